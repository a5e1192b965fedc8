namespace IncidentService.Core.Parsing;

/// <summary>A whole upstream response could not be read; the feed keeps its last good data.</summary>
public sealed class FeedFormatException : Exception
{
    public FeedFormatException()
    {
    }

    public FeedFormatException(string message)
        : base(message)
    {
    }

    public FeedFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
