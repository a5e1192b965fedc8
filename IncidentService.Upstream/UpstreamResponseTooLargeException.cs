namespace IncidentService.Upstream;

/// <summary>Not an <see cref="HttpRequestException"/> on purpose: an oversized answer is not worth retrying.</summary>
public sealed class UpstreamResponseTooLargeException : Exception
{
    public UpstreamResponseTooLargeException()
    {
    }

    public UpstreamResponseTooLargeException(long limit)
        : base($"The upstream answer exceeded the {limit}-byte limit (Upstream:MaxResponseBytes).")
    {
    }

    public UpstreamResponseTooLargeException(string message)
        : base(message)
    {
    }

    public UpstreamResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
