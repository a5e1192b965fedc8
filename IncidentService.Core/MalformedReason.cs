namespace IncidentService.Core;

/// <summary>Why an upstream item could not become an incident. Values are stable: they appear in status and metrics.</summary>
public static class MalformedReason
{
    public const string NotAnObject = "not-an-object";
    public const string PriorityMissing = "priority-missing";
    public const string PriorityUnknown = "priority-unknown";
    public const string TimestampMissing = "timestamp-missing";
    public const string TimestampNotANumber = "timestamp-not-a-number";

    /// <summary>An identities entry that is not an IP address mapped to an employee id.</summary>
    public const string IdentityEntryInvalid = "identity-entry-invalid";
}
