using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace IncidentService.Api.Hosting;

/// <summary>
/// A server that cannot listen (the port is taken, the address is not this machine's) ends the process with one line
/// naming the address and exit code 1. The host logs a failed start with its stack before rethrowing; once the server
/// has failed to listen, that entry is left out, and the unhandled-exception hook prints the line.
/// </summary>
internal static class ListenFailure
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static WebApplicationBuilder AddListenFailureExit(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var index = services.ToList().FindLastIndex(d => d.ServiceType == typeof(IServer) && !d.IsKeyedService);
        if (index < 0 || services[index].ImplementationType is not { } server)
        {
            return builder;
        }

        var failed = new ListenFailed();
        services.AddSingleton(server);
        services[index] = ServiceDescriptor.Singleton<IServer>(sp => new ListeningServer((IServer)sp.GetRequiredService(server), failed));
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && !(failed.Seen && level >= LogLevel.Error));
        return builder;
    }

    private sealed class ListenFailed
    {
        public volatile bool Seen;
    }

    private sealed class ListeningServer(IServer inner, ListenFailed failed) : IServer
    {
        public IFeatureCollection Features => inner.Features;

        public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            var addresses = string.Join(", ", inner.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            try
            {
                await inner.StartAsync(application, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or SocketException)
            {
                failed.Seen = true;
                throw new ListenFailedException(exception is IOException
                    ? $"{exception.Message.TrimEnd('.')}; stop what listens there, or choose another address with --urls or ASPNETCORE_URLS"
                    : $"Failed to listen on {addresses}: {exception.Message}", exception);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
