using IncidentService.Core.Ledger;


namespace IncidentService.Upstream;

/// <summary>
/// A failed upstream call. The message is written here, never copied from the response or the request, so it cannot
/// carry credentials or whatever the upstream chose to echo.
/// </summary>
public sealed class UpstreamCallException : Exception
{
    public UpstreamCallException()
    {
    }

    public UpstreamCallException(string message)
        : base(message)
    {
    }

    public UpstreamCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UpstreamCallException(FetchFailureKind failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public FetchFailureKind Failure { get; }
}
