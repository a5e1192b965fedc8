using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Kestrel's connection limit and idle timeout. Without a limit, a flood of idle connections used up the process's
/// open files and the runtime aborted (exit 134) instead of refusing them. The default limit leaves headroom below
/// the open-file limit for the upstream client, files and the runtime; beyond it Kestrel closes new connections at
/// once and counts them in <c>kestrel.rejected_connections</c>.
/// </summary>
internal static class ConnectionLimits
{
    public const string MaxConnectionsKey = "Kestrel:Limits:MaxConcurrentConnections";
    public const string KeepAliveTimeoutKey = "Kestrel:Limits:KeepAliveTimeout";

    /// <summary>Above the usual probe and scrape intervals (10–15 s), so they keep their connection; Kestrel's own default is 130 s.</summary>
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Kestrel's category for connection events; its only Warning is one per refused connection (event 24).</summary>
    public const string KestrelConnectionsCategory = "Microsoft.AspNetCore.Server.Kestrel.Connections";

    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // A flood is thousands of refused connections, and a Warning line for each would flood the log as well;
        // kestrel.rejected_connections counts them. Configuring the category's level brings the lines back.
        if (configuration[$"Logging:LogLevel:{KestrelConnectionsCategory}"] is null)
        {
            builder.Logging.AddFilter(KestrelConnectionsCategory, LogLevel.Error);
        }

        builder.Services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = Choose(configuration).Limit;
            kestrel.Limits.KeepAliveTimeout = configuration.GetValue<TimeSpan?>(KeepAliveTimeoutKey) ?? DefaultKeepAliveTimeout;
        });
        return builder;
    }

    /// <summary>
    /// Says once what was chosen. Called while mapping, after the configuration was validated: a process that is about
    /// to refuse its configuration prints that one line and nothing else.
    /// </summary>
    public static WebApplication LogConnectionLimits(this WebApplication app)
    {
        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        var (limit, source) = Choose(app.Configuration);
        var shown = limit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectionLimits).FullName!);
        var keepAlive = kestrel.Limits.KeepAliveTimeout;
        HostingLog.ConnectionLimits(logger, shown, source, keepAlive);
        return app;
    }

    private static (long? Limit, string Source) Choose(IConfiguration configuration)
    {
        var configured = configuration.GetValue<long?>(MaxConnectionsKey);
        var openFiles = OpenFileLimit();
        return configured is not null ? (configured, $"configured {MaxConnectionsKey}")
            : openFiles is { } files ? (FromOpenFileLimit(files), $"open-file limit {files} minus headroom")
            : (null, "open-file limit unknown");
    }

    /// <summary>
    /// The default connection limit for an open-file limit: it minus max(256, a quarter of it), at least 1. 4,096 open
    /// files give 3,072 connections, 1,024 give 768, 65,536 give 49,152. A flood beyond the limit still costs a
    /// descriptor per connection until Kestrel has closed it; with an eighth spare, one flood run in five exhausted
    /// the descriptors and the runtime aborted ("Out of memory").
    /// </summary>
    public static long FromOpenFileLimit(long openFiles) => Math.Max(1, openFiles - Math.Max(256, openFiles / 4));

    /// <summary>The soft <c>RLIMIT_NOFILE</c> of this process from <c>/proc/self/limits</c>; null off Linux or when unlimited.</summary>
    public static long? OpenFileLimit()
    {
        try
        {
            return OperatingSystem.IsLinux() ? ParseOpenFileLimit(File.ReadLines("/proc/self/limits")) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from the lines of <c>/proc/self/limits</c> (<c>Max open files  4096  4096  files</c>).</summary>
    public static long? ParseOpenFileLimit(IEnumerable<string> lines)
    {
        const string prefix = "Max open files";
        var line = lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        var soft = line?[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
    }
}
