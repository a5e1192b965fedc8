namespace IncidentService.Core.Parsing;

/// <summary>Why an upstream item could not become an incident. Values are stable: they appear in status and metrics.</summary>
public static class MalformedReason
{
    public const string NotAnObject = "not-an-object";
    public const string PriorityMissing = "priority-missing";
    public const string PriorityUnknown = "priority-unknown";
    public const string TimestampMissing = "timestamp-missing";
    public const string TimestampNotANumber = "timestamp-not-a-number";

    /// <summary>A name or string that is not text: a lone UTF-16 surrogate escape, or bytes that are not UTF-8.</summary>
    public const string TextInvalid = "text-invalid";

    /// <summary>The same name twice in one object: readers disagree on which one counts, so neither is served.</summary>
    public const string FieldDuplicate = "field-duplicate";

    /// <summary>The item brings its own <c>type</c>: that field is the service's (the feed's name), never the upstream's.</summary>
    public const string TypeReserved = "type-reserved";

    /// <summary>An identities entry that is not an IP address mapped to an employee id.</summary>
    public const string IdentityEntryInvalid = "identity-entry-invalid";

    /// <summary>An identities entry repeating an IP with the same employee: one is kept.</summary>
    public const string IdentityEntryDuplicate = "identity-entry-duplicate";

    /// <summary>An IP the identities map to two different employees: neither mapping is trusted.</summary>
    public const string IdentityEntryConflicting = "identity-entry-conflicting";
}
