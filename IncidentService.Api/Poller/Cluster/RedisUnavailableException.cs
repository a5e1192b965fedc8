namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// A Redis operation failed (unreachable, timed out, refused). Thrown by <see cref="RedisRecordStore"/> only, after it
/// has counted and shown the failure, so its callers catch one type and never depend on the client's exceptions.
/// </summary>
internal sealed class RedisUnavailableException(string operation, Exception inner)
    : Exception($"Redis {operation} failed: {inner.Message}", inner);
