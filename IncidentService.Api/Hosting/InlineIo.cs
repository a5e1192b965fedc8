using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Runs a request on the socket engine's thread that read it, as nginx's workers do, instead of queueing it to the
/// thread pool at each step: Kestrel's <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/> and the
/// runtime's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>. A stored answer costs a few microseconds; the hops
/// around it cost more, and on two cores together they halved the CPU per answer (docs/perf.md). "Unsafe" because a
/// request that blocked would hold every connection of its thread: none here does (every wait is awaited; the longest
/// synchronous work, a filtered answer or a metrics scrape, takes milliseconds). <c>Serving:InlineIo=false</c> turns
/// both off.
/// </summary>
internal static partial class InlineIo
{
    /// <summary>Read by the runtime once, when the first socket is made: so it is set while the host is being built.</summary>
    public const string SocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static WebApplicationBuilder AddInlineIo(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<ServingOptions>(builder.Configuration, ServingOptions.SectionName);
        var inline = (ConfigurationTypeCheck.TryGet<ServingOptions>(builder.Configuration, ServingOptions.SectionName) ?? new ServingOptions()).InlineIo;
        if (inline && Environment.GetEnvironmentVariable(SocketCompletionsVariable) is null)
        {
            // An operator's own value wins; a socket made before this point (a test host's) keeps the pool.
            Environment.SetEnvironmentVariable(SocketCompletionsVariable, "1");
        }

        builder.Services.Configure<SocketTransportOptions>(transport => transport.UnsafePreferInlineScheduling = inline);
        return builder;
    }

    /// <summary>Says once how requests are run.</summary>
    public static WebApplication LogInlineIo(this WebApplication app)
    {
        var inline = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling;
        var socketCompletions = Environment.GetEnvironmentVariable(SocketCompletionsVariable) ?? "unset";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InlineIo).FullName!);
        LogScheduling(logger, inline ? "on the socket thread that read them" : "on the thread pool", socketCompletions);
        return app;
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Information,
        Message = "Requests run {Where} (Serving:InlineIo); " + SocketCompletionsVariable + "={SocketCompletions}")]
    private static partial void LogScheduling(ILogger logger, string where, string socketCompletions);
}
