namespace IncidentService.Core.Records;

/// <summary>Why a stored record is refused.</summary>
public enum RecordRejection
{
    /// <summary>Not a record of this format at all (another format, another program's bytes, empty).</summary>
    Foreign,

    /// <summary>Signed when this replica expects none, or unsigned when it expects a signature.</summary>
    SealKind,

    /// <summary>The seal does not verify: signed with another key, altered, torn or truncated.</summary>
    Seal,

    /// <summary>Sealed correctly but its inside does not read (structure, JSON, other feeds, bodies not matching their tag).</summary>
    Unreadable,

    /// <summary>Reads, but carries a generation no cluster reaches: a floor taken from it would lock the lease out.</summary>
    Implausible,

    /// <summary>Not read at all: where the record should be is not a regular file (a link, a device), or is larger than any record.</summary>
    NotAFile,
}

/// <summary>The public labels of <see cref="RecordRejection"/> (metric tags).</summary>
public static class RecordRejections
{
    public static string Label(RecordRejection rejection) => rejection switch
    {
        RecordRejection.Foreign => "foreign",
        RecordRejection.SealKind => "seal-kind",
        RecordRejection.Seal => "seal",
        RecordRejection.Implausible => "implausible",
        RecordRejection.NotAFile => "not-a-file",
        _ => "unreadable",
    };
}
