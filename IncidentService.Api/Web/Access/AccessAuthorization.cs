using IncidentService.Api.Web.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentService.Api.Web.Access;

/// <summary>The scope policies the routes require, and the authorization services they run on.</summary>
internal static class AccessAuthorization
{
    public static IServiceCollection AddAccessPolicies(this IServiceCollection services, bool protectMetrics)
    {
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();
        services.AddAuthorizationBuilder()
            // Open reads never get here: MapIncidentControllers lets them past the policy.
            .AddPolicy(AccessPolicies.ReadAll, policy => policy.RequireAssertion(c => AccessScopes.Has(c.User, AccessScopes.ReadAll)))
            .AddPolicy(AccessPolicies.ReadEmployee, policy => policy.RequireAssertion(c =>
                AccessScopes.Has(c.User, AccessScopes.ReadAll) ||
                (c.Resource is HttpContext http && AccessScopes.IsOwnEmployee(c.User, http.GetRouteValue(ServiceRoutes.EmployeeId) as string))))
            .AddPolicy(AccessPolicies.ReadChanges, policy => policy.RequireAssertion(c =>
                AccessScopes.Has(c.User, AccessScopes.ReadAll) || AccessScopes.OwnEmployees(c.User).Length > 0))
            .AddPolicy(AccessPolicies.Metrics, policy => policy.RequireAssertion(c => !protectMetrics || AccessScopes.Has(c.User, AccessScopes.MetricsRead)));
        services.KeepAuthorizationServices();
        return services;
    }

    /// <summary>
    /// The framework registers the authorization services as transient: every request built the evaluator, the
    /// service, the policy and handler providers and the handlers again, in a request scope made for them (a third of
    /// what a 304 allocated). They hold no state of their own and no handler here needs a scoped service, so one of
    /// each serves every request.
    /// </summary>
    private static void KeepAuthorizationServices(this IServiceCollection services)
    {
        Type[] stateless =
        [
            typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider),
            typeof(IAuthorizationHandlerProvider), typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory),
        ];
        foreach (var type in stateless)
        {
            var registered = services.LastOrDefault(d => d.ServiceType == type)?.ImplementationType
                ?? throw new InvalidOperationException($"{type.Name} is no longer registered by type; revisit {nameof(KeepAuthorizationServices)}.");
            services.Replace(ServiceDescriptor.Singleton(type, registered));
        }
    }
}
