using IncidentService.Api.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Lets Kestrel run a request on the thread that completed its read, instead of queueing it to the thread pool at
/// each step (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>; <c>Serving:InlineIo</c>, default off).
/// "Unsafe" because a request that blocked would hold that thread's connections: none here does (every wait is
/// awaited; the longest synchronous work, a filtered answer or a scrape, takes milliseconds).
/// </summary>
/// <remarks>
/// Its companion, the runtime's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, also runs socket completions on
/// the socket engine's own threads, as an nginx worker does; together they take a third to a half off the CPU per
/// answer. Off by default all the same: when the service has its own share of the cores (its own session or
/// container) and something else wants them, a socket thread that never sleeps holds all its connections while it
/// waits, and p99 went from 4 ms to 30-50 ms (docs/perf.md). For a machine of its own, turn both on.
/// The variable is process-wide and read once, at the first socket, so it belongs to how the process is started.
/// What would then run on those threads besides requests is the upstream client's continuations, and
/// <c>UpstreamClient</c> moves its parsing (and with it the refresher's build) to the thread pool.
/// </remarks>
internal static class InlineIo
{
    public const string SocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static WebApplicationBuilder AddInlineIo(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<ServingOptions>(builder.Configuration, ServingOptions.SectionName);
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<ServingOptions>>((transport, serving) =>
            transport.UnsafePreferInlineScheduling = serving.Value.InlineIo);
        return builder;
    }

    /// <summary>Says once how requests are run.</summary>
    public static WebApplication LogInlineIo(this WebApplication app)
    {
        var inline = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling;
        var socketCompletions = Environment.GetEnvironmentVariable(SocketCompletionsVariable) ?? "unset";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InlineIo).FullName!);
        HostingLog.Scheduling(logger, inline ? "on the thread that read them" : "on the thread pool", socketCompletions);
        return app;
    }
}
