namespace IncidentService.Core.Ledger;

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

    /// <summary>The kind a label stands for; false for a label this version does not know.</summary>
    public static bool TryParse(string? label, out FetchFailureKind kind)
    {
        foreach (var candidate in Enum.GetValues<FetchFailureKind>())
        {
            if (Label(candidate) == label)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
