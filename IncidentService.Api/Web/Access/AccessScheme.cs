using System.Collections.Frozen;

namespace IncidentService.Api.Web.Access;

/// <summary>How a refused request presented itself: with no credential, a bearer token or an API key.</summary>
internal enum AccessScheme
{
    None,
    Bearer,
    ApiKey,
}

/// <summary>The public labels of <see cref="AccessScheme"/>: the <c>scheme</c> tag of the metric and the log.</summary>
internal static class AccessSchemeLabels
{
    public static readonly FrozenDictionary<AccessScheme, string> Labels = new Dictionary<AccessScheme, string>
    {
        [AccessScheme.None] = "none",
        [AccessScheme.Bearer] = "bearer",
        [AccessScheme.ApiKey] = "api_key",
    }.ToFrozenDictionary();

    public static string Label(AccessScheme scheme) => Labels[scheme];
}
