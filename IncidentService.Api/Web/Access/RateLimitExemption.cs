namespace IncidentService.Api.Web.Access;

/// <summary>
/// The requests the rate limit lets through uncounted: the probes, which must stay answerable whatever a client on
/// the same address does. Which requests those are depends on where the probes are served, which the host decides.
/// </summary>
internal sealed record RateLimitExemption(Func<HttpContext, bool> Applies);
