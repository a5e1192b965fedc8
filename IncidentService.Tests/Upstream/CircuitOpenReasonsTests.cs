using System.Net;
using IncidentService.Upstream;
using Polly;
using Polly.Timeout;

namespace IncidentService.Tests.Upstream;

/// <summary>An open circuit only says "open"; the reason recorded when it opened says what the upstream did.</summary>
public sealed class CircuitOpenReasonsTests
{
    public static TheoryData<Exception, string> Failures => new()
    {
        { new TimeoutRejectedException(), "timed out" },
        { new HttpRequestException("reset"), "network error" },
        { new InvalidDataException("odd"), nameof(InvalidDataException) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_circuit_opened_by_an_exception_names_its_kind(Exception exception, string expected)
    {
        var reasons = new CircuitOpenReasons();

        reasons.Record("/api/incidents/probing/", Outcome.FromException<HttpResponseMessage>(exception));

        Assert.Equal(expected, reasons.For("/api/incidents/probing/"));
    }

    [Fact]
    public void A_circuit_opened_by_answers_names_the_status_and_each_feed_keeps_its_own()
    {
        var reasons = new CircuitOpenReasons();

        reasons.Record("/api/incidents/probing/", Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway)));

        Assert.Equal("HTTP 502", reasons.For("/api/incidents/probing/"));
        Assert.Null(reasons.For("/api/incidents/denial/"));
    }

    [Fact]
    public void An_outcome_with_neither_answer_nor_exception_is_unknown()
    {
        var reasons = new CircuitOpenReasons();

        reasons.Record("/api/identities/", Outcome.FromResult<HttpResponseMessage>(null!));

        Assert.Equal("unknown", reasons.For("/api/identities/"));
    }
}
