namespace IncidentService.Core;

/// <summary>How a fetch of an upstream target failed. The default member says nothing is known, never a specific cause.</summary>
public enum FetchFailureKind
{
    Unexpected,
    Unauthorized,
    HttpStatus,
    Timeout,
    CircuitOpen,
    Network,
    BadBody,
    TooLarge,
}

/// <summary>The stable public labels of <see cref="FetchFailureKind"/>: metric tags and <c>/status</c> values.</summary>
public static class FetchFailureKinds
{
    public static string Label(FetchFailureKind kind) => kind switch
    {
        FetchFailureKind.Unauthorized => "unauthorized",
        FetchFailureKind.HttpStatus => "httpstatus",
        FetchFailureKind.Timeout => "timeout",
        FetchFailureKind.CircuitOpen => "circuitopen",
        FetchFailureKind.Network => "network",
        FetchFailureKind.BadBody => "badbody",
        FetchFailureKind.TooLarge => "toolarge",
        _ => "unexpected",
    };
}
