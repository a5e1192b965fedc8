using Microsoft.Extensions.Logging;
using Polly.Telemetry;

namespace IncidentService.Upstream;

/// <summary>
/// The resilience pipeline's log lines (category <c>Polly</c>), cut to one line per failed attempt at most and no
/// stack traces. Polly logged each failed attempt twice (the attempt, then the retry), each with the exception and
/// its stack, plus a third line for a timeout: 72 stack lines a minute while the upstream was down. The refresher's
/// event 101 already says which target failed and why; the retry line stays, as one line naming the cause.
/// </summary>
internal static class ResilienceLogging
{
    /// <summary>Polly's per-attempt report and its timeout event: the retry line (or event 101) that follows says the same.</summary>
    private static readonly HashSet<string> Detail = new(StringComparer.Ordinal) { "ExecutionAttempt", "OnTimeout" };

    /// <summary>
    /// For <see cref="TelemetryOptions"/>, after Polly has set its logger factory. The severity also tags
    /// <c>resilience.polly.strategy.events</c>: OnTimeout is counted as before, tagged Debug.
    /// </summary>
    public static void OneLinePerAttempt(TelemetryOptions telemetry)
    {
        telemetry.LoggerFactory = new WithoutExceptions(telemetry.LoggerFactory);
        var inner = telemetry.SeverityProvider;
        telemetry.SeverityProvider = args =>
            Detail.Contains(args.Event.EventName) ? ResilienceEventSeverity.Debug : inner?.Invoke(args) ?? args.Event.Severity;
    }

    /// <summary>The cause in one line: the innermost exception's type and message (the outer one is often generic).</summary>
    internal static string Cause(Exception exception)
    {
        var root = exception;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        return $"{root.GetType().Name}: {root.Message}".ReplaceLineEndings(" ");
    }

    /// <summary>Loggers that write the message with the cause appended, and never the exception object (its stack).</summary>
    private sealed class WithoutExceptions(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The inner factory belongs to the container.
        }

        private sealed class Logger(ILogger inner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => inner.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (exception is null)
                {
                    inner.Log(logLevel, eventId, state, null, formatter);
                    return;
                }

                var cause = Cause(exception);
                inner.Log(logLevel, eventId, state, null, (s, _) => $"{formatter(s, null).ReplaceLineEndings(" ")} ({cause})");
            }
        }
    }
}
