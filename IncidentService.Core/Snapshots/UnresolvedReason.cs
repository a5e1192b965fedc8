namespace IncidentService.Core.Snapshots;

/// <summary>Why an incident could not be attributed to an employee. Values are stable: they are served.</summary>
public static class UnresolvedReason
{
    public const string IpNotInIdentities = "ip-not-in-identities";
    public const string IdentityMissing = "identity-missing";
    public const string IdentityMalformed = "identity-malformed";
}
