namespace IncidentService.Api.Hosting;

/// <summary>The <c>Management</c> configuration section: where the probes and the metrics are served.</summary>
internal sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>
    /// Addresses (<c>;</c>-separated, each with its port, e.g. <c>http://0.0.0.0:9001</c>) that serve <c>/healthz</c>,
    /// <c>/readyz</c> and <c>/metrics</c> and nothing else; those three are then not served on the API's addresses.
    /// Unset: they are served beside the API, as the rest is.
    /// </summary>
    public string? Urls { get; set; }

    public bool Separate => !string.IsNullOrWhiteSpace(Urls);

    /// <summary>The addresses, as given.</summary>
    public IReadOnlyList<string> Addresses => Split(Urls);

    /// <summary>A <c>Urls</c>-style list: <c>;</c>-separated, blanks dropped.</summary>
    public static string[] Split(string? urls) => (urls ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
