using System.Collections.Concurrent;
using Polly;
using Polly.Timeout;

namespace IncidentService.Upstream;

/// <summary>
/// Why each feed's circuit last opened. A refused call only says "circuit open"; an operator needs the failure behind
/// it, which only the breaker saw.
/// </summary>
public sealed class CircuitOpenReasons
{
    private readonly ConcurrentDictionary<string, string> _byPath = new(StringComparer.Ordinal);

    public string? For(string path) => _byPath.TryGetValue(path, out var reason) ? reason : null;

    internal void Record(string path, Outcome<HttpResponseMessage> outcome) => _byPath[path] = Describe(outcome);

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => $"HTTP {(int)response.StatusCode}",
        { Exception: TimeoutRejectedException } => "timed out",
        { Exception: HttpRequestException } => "network error",
        { Exception: { } exception } => exception.GetType().Name,
        _ => "unknown",
    };
}
