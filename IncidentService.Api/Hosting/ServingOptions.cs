namespace IncidentService.Api.Hosting;

/// <summary>How requests are run (section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>
    /// Process each request on the thread that read it (the default) rather than handing it to the thread pool; see
    /// <see cref="InlineIo"/>.
    /// </summary>
    public bool InlineIo { get; init; } = true;
}
