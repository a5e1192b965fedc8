namespace IncidentService.Api.Hosting;

/// <summary>How requests are run (section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>Let Kestrel run each request on the thread that read it (off by default); see <see cref="InlineIo"/>.</summary>
    public bool InlineIo { get; init; }
}
