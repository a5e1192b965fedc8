using System.Globalization;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>Each management address is an http(s) address with its own port, one the API does not listen on.</summary>
internal sealed class ManagementOptionsValidator(ApiAddresses api) : IValidateOptions<ManagementOptions>
{
    private const string Key = $"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Urls)}";

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        if (!options.Separate)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var apiPorts = api.Urls.Select(PortOf).OfType<int>().ToHashSet();
        foreach (var url in options.Addresses)
        {
            if (PortOf(url) is not { } port)
            {
                failures.Add($"{Key}: '{url}' is not an http or https address with an explicit port (e.g. http://0.0.0.0:9001).");
            }
            else if (apiPorts.Contains(port))
            {
                failures.Add($"{Key}: port {port} is also in Urls; the management port must be one the API does not use.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The explicit port of an http(s) address without a path, as Kestrel reads it; null otherwise.</summary>
    internal static int? PortOf(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }

        var explicitPort = url.TrimEnd('/').EndsWith(":" + address.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return address.Scheme is "http" or "https" && !address.IsUnixPipe && address.PathBase.Length == 0 && explicitPort && address.Port is > 0 and <= 65535
            ? address.Port
            : null;
    }
}
