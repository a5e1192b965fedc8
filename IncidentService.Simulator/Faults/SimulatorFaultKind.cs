namespace IncidentService.Simulator.Faults;

/// <summary>
/// What a target does instead of (or on top of) its normal answer. "Some items" faults break only every 10th
/// incident (by its position on the time grid, so the same incidents stay broken as the window moves); the other
/// items are byte-identical to the unfaulted answer.
/// </summary>
public enum SimulatorFaultKind
{
    None,

    /// <summary>Normal answer after the normal latency × <see cref="SimulatorFault.Factor"/> (still × LatencyScale, so no delay when it is 0).</summary>
    Slow,

    /// <summary>Accepts the request and never sends a byte until the client gives up or the simulator stops.</summary>
    Hang,

    /// <summary>
    /// Works on the request for <see cref="SimulatorFault.Duration"/> (default 150 s) whether or not the client is still
    /// there, then sends the normal answer: a worker that does not notice a closed connection, as a hung upstream behind
    /// a proxy does. Counted in flight all that time; only the simulator stopping ends it early.
    /// </summary>
    HangIgnoringAbort,

    /// <summary>Sends 200, headers (with the full Content-Length) and half of the body, flushes, then hangs.</summary>
    StallMidBody,

    /// <summary>500 with an HTML error page.</summary>
    ServerError,

    /// <summary>502 with a proxy's HTML error page.</summary>
    BadGateway,

    /// <summary>503 without Retry-After.</summary>
    Unavailable,

    /// <summary>503 with Retry-After (<see cref="SimulatorFault.RetryAfter"/>, default 1 s).</summary>
    UnavailableRetryAfter,

    /// <summary>429 with Retry-After (<see cref="SimulatorFault.RetryAfter"/>, default 1 s).</summary>
    TooManyRequests,

    /// <summary>401 even with good credentials.</summary>
    Unauthorized,

    /// <summary>200 with an HTML page (text/html) instead of JSON.</summary>
    Html,

    /// <summary>200, application/json, a complete response whose body is the first half of the JSON.</summary>
    TruncatedJson,

    /// <summary>Feeds: valid JSON without a <c>results</c> property. Identities: no effect.</summary>
    ResultsMissing,

    /// <summary>Feeds: <c>results</c> is an object. Identities: the answer is a JSON array instead of an object.</summary>
    ResultsNotArray,

    /// <summary>Feeds: every 10th item is not an object or misses/mistypes a field. Identities: every 10th value is not an int or key not an IP.</summary>
    WrongShapeItems,

    /// <summary>Feeds: every 10th item has a priority outside low/medium/high/critical. Identities: no effect.</summary>
    UnknownPriority,

    /// <summary>Feeds: every 10th item has its timestamp as a JSON string. Identities: no effect.</summary>
    TimestampAsString,

    /// <summary>A valid answer padded to 32 MiB (an extra <c>padding</c> property after the data).</summary>
    HugeBody,

    /// <summary>Identities: <c>{}</c>. Feeds: <c>{"results": []}</c>.</summary>
    IdentitiesEmpty,

    /// <summary>Identities: only the first <see cref="SimulatorFault.Factor"/> share of the pairs. Feeds: the first share of the items.</summary>
    IdentitiesShrunk,

    /// <summary>
    /// Feeds: the whole answer, then <c>"results": []</c> again in the same envelope (readers disagree on which counts).
    /// Identities: no effect.
    /// </summary>
    ResultsTwice,

    /// <summary>
    /// Identities: the first <see cref="SimulatorFault.Factor"/> share of the pairs (all by default) map to the next
    /// pair's employee, as an answer that mixes up its attribution. Feeds: no effect.
    /// </summary>
    IdentitiesChurned,

    /// <summary>Aborts the connection without an answer: the nearest in-process thing to "upstream down".</summary>
    ConnectionReset,
}
