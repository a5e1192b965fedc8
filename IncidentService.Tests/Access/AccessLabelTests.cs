using IncidentService.Api.Web.Access;

namespace IncidentService.Tests.Access;

/// <summary>The metric tags and log fields of refusals: every value has its label, and the labels are the published ones.</summary>
public sealed class AccessLabelTests
{
    [Fact]
    public void Every_refusal_reason_has_its_published_label()
    {
        Assert.Equal(Enum.GetValues<AuthFailure>().Order(), AuthFailures.Labels.Keys.Order());
        Assert.Equal(
            ["audience", "expired", "insufficient_scope", "invalid", "issuer", "malformed", "metadata_unavailable", "missing", "not_yet_valid", "signature", "unaccountable", "unknown_key"],
            AuthFailures.Labels.Values.Order());
    }

    [Fact]
    public void Every_scheme_has_its_published_label()
    {
        Assert.Equal("none", AccessSchemeLabels.Label(AccessScheme.None));
        Assert.Equal("bearer", AccessSchemeLabels.Label(AccessScheme.Bearer));
        Assert.Equal("api_key", AccessSchemeLabels.Label(AccessScheme.ApiKey));
        Assert.Equal(Enum.GetValues<AccessScheme>().Length, AccessSchemeLabels.Labels.Count);
    }
}
