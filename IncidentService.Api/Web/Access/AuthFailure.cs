using System.Collections.Frozen;

namespace IncidentService.Api.Web.Access;

/// <summary>Why a request was refused.</summary>
internal enum AuthFailure
{
    Missing,
    Expired,
    NotYetValid,
    WrongAudience,
    WrongIssuer,
    BadSignature,
    Malformed,
    MetadataUnavailable,
    InvalidToken,
    UnknownKey,
    InsufficientScope,
    Unaccountable,
}

/// <summary>The public labels of <see cref="AuthFailure"/>: the <c>reason</c> tag of the metric and the log, never the enum's name.</summary>
internal static class AuthFailures
{
    public static readonly FrozenDictionary<AuthFailure, string> Labels = new Dictionary<AuthFailure, string>
    {
        [AuthFailure.Missing] = "missing",
        [AuthFailure.Expired] = "expired",
        [AuthFailure.NotYetValid] = "not_yet_valid",
        [AuthFailure.WrongAudience] = "audience",
        [AuthFailure.WrongIssuer] = "issuer",
        [AuthFailure.BadSignature] = "signature",
        [AuthFailure.Malformed] = "malformed",
        [AuthFailure.MetadataUnavailable] = "metadata_unavailable",
        [AuthFailure.InvalidToken] = "invalid",
        [AuthFailure.UnknownKey] = "unknown_key",
        [AuthFailure.InsufficientScope] = "insufficient_scope",
        [AuthFailure.Unaccountable] = "unaccountable",
    }.ToFrozenDictionary();

    public static string Label(AuthFailure failure) => Labels[failure];
}
