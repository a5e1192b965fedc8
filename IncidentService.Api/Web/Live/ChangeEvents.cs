using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IncidentService.Api.Web.Live;

/// <summary>Server-Sent Events lines: a <c>snapshot</c> event per change, and the heartbeat comment.</summary>
internal static class ChangeEvents
{
    public const string ContentType = "text/event-stream";
    public const string EventName = "snapshot";

    public static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // The tag's quotes as they are: the data is read as JSON, never placed in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The event for <paramref name="change"/> as a caller with <paramref name="scope"/> sees it (null: every
    /// employee); null when a self-scoped caller's employee did not change, unless the event is the stream's first
    /// (the current state) or stands for changes it missed (<paramref name="lost"/>).
    /// </summary>
    public static byte[]? Format(SnapshotChange change, long[]? scope, int cap, bool first, bool lost)
    {
        var changed = scope is null ? change.ChangedEmployees : [.. scope.Where(id => Array.BinarySearch(change.ChangedEmployees, id) >= 0)];
        if (scope is not null && changed.Length == 0 && !first && !lost)
        {
            return null;
        }

        var data = new SnapshotChangeEvent(
            change.ETag,
            change.DataAsOf,
            change.Complete,
            change.MissingFeeds,
            [.. changed.Take(cap).Select(id => id.ToString(CultureInfo.InvariantCulture))],
            lost || changed.Length > cap,
            changed.Length);
        // The tag never holds a line break (it is quoted hex), so it is a valid id line as it is.
        return Encoding.UTF8.GetBytes($"id: {change.ETag}\nevent: {EventName}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n");
    }
}
