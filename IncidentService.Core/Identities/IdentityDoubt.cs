namespace IncidentService.Core.Identities;

/// <summary>Why an identities answer was not believed at once.</summary>
public enum IdentityDoubt
{
    /// <summary>It lost more than the shrink share of the trusted entries.</summary>
    Shrunk,

    /// <summary>It mapped more than the churn share of the trusted addresses to other employees.</summary>
    Churned,
}

/// <summary>The stable public labels of <see cref="IdentityDoubt"/>: metric tags.</summary>
public static class IdentityDoubts
{
    public static string Label(IdentityDoubt doubt) => doubt switch
    {
        IdentityDoubt.Shrunk => "shrunk",
        IdentityDoubt.Churned => "churned",
        _ => "unknown",
    };
}
