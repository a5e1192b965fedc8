using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentService.Api.Hosting;

/// <summary>
/// The service's own hosted services (the embedded simulator, the lease keeper, the follower, the refresher) start
/// once the server listens. The host starts hosted services before the server, so a port already taken used to fail
/// only after the simulator and the refresher were polling, and a poll could reach the other process on that port.
/// </summary>
internal static class ServerFirst
{
    /// <summary>Moves every hosted service registered from <paramref name="first"/> on, except <paramref name="beforeServer"/>, behind the server.</summary>
    public static IServiceCollection StartAfterServer(this IServiceCollection services, int first, params Type[] beforeServer)
    {
        for (var i = first; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService || beforeServer.Contains(descriptor.ImplementationType))
            {
                continue;
            }

            var inner = Resolver(services, descriptor);
            services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => new StartedAfterServer(
                inner(sp), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<StartedAfterServer>>()));
        }

        return services;
    }

    /// <summary>How the wrapped service is obtained; a type becomes a singleton of its own, so the container still owns and disposes it.</summary>
    private static Func<IServiceProvider, IHostedService> Resolver(IServiceCollection services, ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is IHostedService instance)
        {
            return _ => instance;
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return sp => (IHostedService)factory(sp);
        }

        var type = descriptor.ImplementationType!;
        services.TryAddSingleton(type);
        return sp => (IHostedService)sp.GetRequiredService(type);
    }
}
