using System.Globalization;
using System.Security.Claims;

namespace IncidentService.Api.Web.Access;

/// <summary>The scopes and the policies built on them.</summary>
internal static class AccessScopes
{
    public const string ReadAll = "incidents:read";
    public const string ReadSelf = "incidents:read:self";
    public const string MetricsRead = "metrics:read";

    /// <summary>The claim naming the employee a <see cref="ReadSelf"/> token belongs to.</summary>
    public const string EmployeeIdClaim = "employee_id";

    // Issuers differ: OAuth's "scope" (space-separated), Azure's "scp", or roles. Array-valued claims arrive as
    // one claim per element; string-valued ones may hold several space-separated scopes.
    private static readonly string[] ScopeClaimTypes = ["scope", "scp", "roles", "role", ClaimTypes.Role];

    public static string[] Split(string? scopes) => (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool Has(ClaimsPrincipal user, string scope) =>
        user.Identities.Any(i => i.IsAuthenticated) &&
        user.Claims.Any(c => ScopeClaimTypes.Contains(c.Type, StringComparer.Ordinal) && Split(c.Value).Contains(scope, StringComparer.Ordinal));

    /// <summary>True when the user holds <see cref="ReadSelf"/> and the route's employee id is the user's own.</summary>
    public static bool IsOwnEmployee(ClaimsPrincipal user, string? routeEmployeeId) =>
        Has(user, ReadSelf) &&
        TryParseId(routeEmployeeId, out var requested) &&
        user.FindAll(EmployeeIdClaim).Any(c => TryParseId(c.Value, out var own) && own == requested);

    /// <summary>The employee ids a <see cref="ReadSelf"/> user may read; empty without that scope.</summary>
    public static long[] OwnEmployees(ClaimsPrincipal user) =>
        !Has(user, ReadSelf) ? [] : [.. user.FindAll(EmployeeIdClaim).Select(c => TryParseId(c.Value, out var own) ? own : -1).Where(id => id >= 0).Distinct()];

    private static bool TryParseId(string? value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}

/// <summary>Policy names required by the endpoints (<c>RequireAuthorization</c>) and by <c>/metrics</c>.</summary>
internal static class AccessPolicies
{
    /// <summary>Every employee's data, the unattributed incidents, <c>/status</c>.</summary>
    public const string ReadAll = "incidents.read";

    /// <summary>One employee's incidents: <see cref="ReadAll"/>, or that employee's own self-scoped token.</summary>
    public const string ReadEmployee = "incidents.read.employee";

    /// <summary>The change stream: <see cref="ReadAll"/>, or a self-scoped token naming its employee (its stream names only that id).</summary>
    public const string ReadChanges = "incidents.read.changes";

    /// <summary><c>/metrics</c>: anonymous unless <c>Auth:ProtectMetrics</c>.</summary>
    public const string Metrics = "metrics.read";
}
