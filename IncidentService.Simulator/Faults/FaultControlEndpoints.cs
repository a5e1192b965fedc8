using System.Text.Json;
using IncidentService.Simulator.Answering;

namespace IncidentService.Simulator.Faults;

/// <summary>
/// The test tool under <c>/_simulator</c> (no auth): <c>GET /_simulator/faults</c> lists every target's fault;
/// <c>PUT /_simulator/faults/{target}</c> with <c>{"fault": "Slow:3"}</c> (or <c>{"fault": "Slow", "factor": 3}</c>,
/// <c>"retryAfterSeconds"</c>) sets one, target <c>all</c> sets all; <c>DELETE /_simulator/faults[/{target}]</c> clears;
/// <c>GET /_simulator/stats</c> shows the request counters.
/// </summary>
internal static class FaultControlEndpoints
{
    public const string Prefix = "/_simulator";
    private const string AllTargets = "all";

    public static void Map(IEndpointRouteBuilder endpoints, SimulatorFaultBoard faults, RequestTracker tracker)
    {
        endpoints.MapGet(Prefix + "/faults", context => WriteFaultsAsync(context, faults));
        endpoints.MapPut(Prefix + "/faults/{target}", context => PutAsync(context, faults));
        endpoints.MapDelete(Prefix + "/faults", context =>
        {
            faults.Clear();
            return WriteFaultsAsync(context, faults);
        });
        endpoints.MapDelete(Prefix + "/faults/{target}", context => SetAsync(context, faults, SimulatorFault.None));
        endpoints.MapGet(Prefix + "/stats", context => WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("inFlight", tracker.InFlight);
            json.WriteNumber("peakInFlight", tracker.PeakInFlight);
            json.WriteNumber("requestCount", tracker.RequestCount);
        }));
    }

    private static async Task PutAsync(HttpContext context, SimulatorFaultBoard faults)
    {
        var cancellationToken = context.RequestAborted;
        SimulatorFault? fault;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            fault = Read(body.RootElement);
        }
        catch (JsonException)
        {
            fault = null;
        }

        if (fault is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"Expected {{\"fault\": \"Kind[:number]\"}} with Kind one of {string.Join(", ", Enum.GetNames<SimulatorFaultKind>())}.");
            return;
        }

        await SetAsync(context, faults, fault);
    }

    private static Task SetAsync(HttpContext context, SimulatorFaultBoard faults, SimulatorFault fault)
    {
        var target = context.Request.RouteValues["target"] as string;
        if (string.Equals(target, AllTargets, StringComparison.OrdinalIgnoreCase))
        {
            faults.SetAll(fault);
        }
        else if (SimulatorTargets.Normalize(target) is { } name)
        {
            faults.Set(name, fault);
        }
        else
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Unknown target; expected {AllTargets} or one of {string.Join(", ", SimulatorTargets.All)}.");
        }

        return WriteFaultsAsync(context, faults);
    }

    private static SimulatorFault? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("fault", out var text)
            || text.ValueKind != JsonValueKind.String
            || !SimulatorFault.TryParse(text.GetString(), out var fault))
        {
            return null;
        }

        if (root.TryGetProperty("factor", out var factor) && factor.TryGetDouble(out var value) && value >= 0)
        {
            fault = fault with { Factor = value };
        }

        if (root.TryGetProperty("retryAfterSeconds", out var retry) && retry.TryGetDouble(out var seconds) && seconds >= 0)
        {
            fault = fault with { RetryAfter = TimeSpan.FromSeconds(seconds) };
        }

        return fault;
    }

    private static Task WriteFaultsAsync(HttpContext context, SimulatorFaultBoard faults) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            foreach (var (target, fault) in faults.Snapshot())
            {
                json.WriteString(target, fault.ToString());
            }
        });

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, json => json.WriteString("error", message));

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> writeProperties)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        writeProperties(json);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
