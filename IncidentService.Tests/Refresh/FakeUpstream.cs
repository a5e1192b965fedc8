using System.Net;
using IncidentService.Tests.Upstream;

namespace IncidentService.Tests.Refresh;

/// <summary>One incident per feed, switchable failures, and an optional gate that holds every answer.</summary>
internal sealed class FakeUpstream
{
    public FakeUpstream() => Handler = new StubUpstreamHandler(AnswerAsync);

    public StubUpstreamHandler Handler { get; }

    public HashSet<string> Failing { get; } = [];

    public bool FailEverything { get; set; }

    public int Timestamp { get; set; } = 1000;

    public TaskCompletionSource? Gate { get; init; }

    /// <summary>Bodies that replace a target's normal answer.</summary>
    public Dictionary<string, string> Bodies { get; } = [];

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate.Task.WaitAsync(cancellationToken);
        }

        var target = request.RequestUri!.Segments[^1].TrimEnd('/');
        if (FailEverything || Failing.Contains(target))
        {
            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        }

        var t = Timestamp;
        if (Bodies.TryGetValue(target, out var body))
        {
            return UpstreamHarness.Json(body);
        }

        return UpstreamHarness.Json(target switch
        {
            "identities" => """{"10.0.0.1": 7, "10.0.0.2": 8}""",
            "denial" => $$"""{"results":[{"priority":"low","reported_by":7,"timestamp":{{t}}.1,"source_ip":"8.8.8.8"}]}""",
            "intrusion" => $$"""{"results":[{"priority":"low","internal_ip":"10.0.0.1","source_ip":"8.8.8.8","timestamp":{{t}}.2}]}""",
            "executable" => $$"""{"results":[{"priority":"high","machine_ip":"10.0.0.2","timestamp":{{t}}.3}]}""",
            "misuse" => $$"""{"results":[{"priority":"medium","employee_id":8,"timestamp":{{t}}.4}]}""",
            "unauthorized" => $$"""{"results":[{"priority":"critical","employee_id":7,"timestamp":{{t}}.5}]}""",
            "probing" => $$"""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":{{t}}.6}]}""",
            "other" => $$"""{"results":[{"priority":"low","identifier":8,"timestamp":{{t}}.7},{"priority":"low","identifier":"10.0.0.2","timestamp":{{t}}.8}]}""",
            _ => throw new InvalidOperationException(target),
        });
    }
}
