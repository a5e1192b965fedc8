using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>Only Development may fall back to the simulator, so production can never serve simulated data.</summary>
internal sealed class UpstreamTargetValidator(IHostEnvironment environment) : IValidateOptions<UpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamOptions options) =>
        options.BaseUrl is null && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail($"Upstream:BaseUrl: is required in the '{environment.EnvironmentName}' environment (only Development falls back to the embedded simulator)")
            : ValidateOptionsResult.Success;
}
