using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IncidentService.Api.Web.Controllers;

/// <summary>
/// Takes every MVC filter that would run off these controllers' actions: <c>[ApiController]</c> adds one that turns a
/// bare status result into a problem, and no action here returns one (each returns a <c>SnapshotAnswer</c> or a typed
/// value). Filters that only describe the action (<c>[ProducesResponseType]</c>, read by the API explorer) stay.
/// Runs after the <c>[ApiController]</c> conventions (MVC applies the options' conventions last).
/// </summary>
internal sealed class NoActionFilters : IActionModelConvention
{
    public void Apply(ActionModel action)
    {
        if (action.Controller.ControllerType.Assembly != typeof(NoActionFilters).Assembly)
        {
            return;
        }

        for (var i = action.Filters.Count - 1; i >= 0; i--)
        {
            if (action.Filters[i] is IFilterFactory or IActionFilter or IAsyncActionFilter or IResultFilter or IAsyncResultFilter
                or IResourceFilter or IAsyncResourceFilter or IExceptionFilter or IAsyncExceptionFilter)
            {
                action.Filters.RemoveAt(i);
            }
        }
    }
}
