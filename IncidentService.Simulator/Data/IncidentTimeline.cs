namespace IncidentService.Simulator.Data;

/// <summary>
/// The incidents of every feed on a fixed time grid: feed f's incident k lies in slot k (<c>[k·spacing,
/// (k+1)·spacing)</c> since the Unix epoch), derived only from (seed, f, k). A window is therefore a cheap,
/// repeatable slice: new incidents appear as time passes and old ones age out, with no state kept.
/// </summary>
/// <remarks>
/// To exercise tie-breaking downstream, an odd k sometimes repeats incident k-1 of its feed (same timestamp, person
/// and priority), and an even k is sometimes a "shared" event that two feeds report for the same employee at the
/// same timestamp and priority. Indices are kept non-decreasing in time, so a window is already sorted.
/// </remarks>
internal sealed class IncidentTimeline
{
    private const int SharedStream = -2;
    private const int SaltTime = 1, SaltRound = 2, SaltPriority = 3, SaltCase = 4, SaltActor = 5, SaltIp = 6, SaltExternal = 7, SaltDuplicate = 8, SaltShared = 9;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    private static readonly string[] Priorities = ["low", "medium", "high", "critical"];
    private static readonly string[][] CaseVariants = [["Low", "LOW"], ["Medium", "MEDIUM"], ["High", "HIGH"], ["Critical", "CRITICAL"]];
    private static readonly int[] ExternalFirstOctets = [23, 31, 45, 62, 77, 91, 103, 141, 176, 185, 198, 203, 212];

    private readonly int _seed;
    private readonly long _spacing;
    private readonly long _window;
    private readonly double _unknownIpShare;
    private readonly Workforce _workforce;

    public IncidentTimeline(SimulatorOptions options, Workforce workforce)
    {
        _seed = options.Seed;
        _window = options.Window.Ticks;
        _spacing = options.IncidentsPerFeed > 0 ? Math.Max(1, _window / options.IncidentsPerFeed) : 0;
        _unknownIpShare = options.UnknownIpShare;
        _workforce = workforce;
    }

    /// <summary>Feed <paramref name="feed"/>'s incidents with <c>now - Window &lt; timestamp &lt;= now</c>, ascending.</summary>
    public List<GeneratedIncident> Window(int feed, DateTimeOffset now)
    {
        var result = new List<GeneratedIncident>();
        if (_spacing == 0)
        {
            return result;
        }

        var high = (now - DateTimeOffset.UnixEpoch).Ticks;
        var low = high - _window;
        // One slot past the end: a repeat of the last slot's incident carries that slot's timestamp.
        for (var k = Math.Max(0, FloorDiv(low, _spacing)); k <= FloorDiv(high, _spacing) + 1; k++)
        {
            var incident = Generate(feed, k);
            if (incident.Ticks > low && incident.Ticks <= high && incident.Ticks > 0)
            {
                result.Add(incident);
            }
        }

        return result;
    }

    private GeneratedIncident Generate(int feed, long k)
    {
        if (IsShared(k, feed))
        {
            return Shared(feed, k);
        }

        if (k % 2 == 1 && StableHash.Below(Hash(feed, k, SaltDuplicate), 40) == 0)
        {
            // k-1 is even, so it is never itself a repeat.
            var original = Generate(feed, k - 1);
            return original with { Index = k, ExternalIp = ExternalIp(feed, k) };
        }

        var actor = Hash(feed, k, SaltActor);
        var (employee, ip) = FeedIdentity(feed) switch
        {
            IdentityKind.EmployeeId => (AnyEmployee(actor), null),
            IdentityKind.Ip => AnyIp(feed, k),
            _ => StableHash.Unit(actor) < 0.5 ? (AnyEmployee(actor >> 1), (string?)null) : AnyIp(feed, k),
        };
        return new GeneratedIncident(k, Ticks(feed, k), Priority(Hash(feed, k, SaltPriority), feed, k), employee, ip, ExternalIp(feed, k));
    }

    private bool IsShared(long k, int feed)
    {
        if (k % 2 != 0 || StableHash.Below(Hash(SharedStream, k, SaltShared), 25) != 0)
        {
            return false;
        }

        var pick = Hash(SharedStream, k, SaltActor);
        var first = (int)StableHash.Below(pick, 7);
        var second = (first + 1 + (int)StableHash.Below(pick >> 8, 6)) % 7;
        return feed == first || feed == second;
    }

    private GeneratedIncident Shared(int feed, long k)
    {
        var people = _workforce.EmployeesWithIps.Count > 0 ? _workforce.EmployeesWithIps : _workforce.EmployeeIds;
        var employee = people[(int)StableHash.Below(Hash(SharedStream, k, SaltIp), people.Count)];
        var ip = _workforce.IpOf(employee, Hash(feed, k, SaltIp));
        var useIp = ip is not null && FeedIdentity(feed) switch
        {
            IdentityKind.EmployeeId => false,
            IdentityKind.Ip => true,
            _ => StableHash.Unit(Hash(feed, k, SaltActor)) < 0.5,
        };
        return new GeneratedIncident(k, Ticks(SharedStream, k), Priority(Hash(SharedStream, k, SaltPriority), feed, k), employee, useIp ? ip : null, ExternalIp(feed, k));
    }

    private long Ticks(int stream, long k)
    {
        var slotStart = k * _spacing;
        var ticks = slotStart + StableHash.Below(Hash(stream, k, SaltTime), _spacing);
        var round = Hash(stream, k, SaltRound);
        if (StableHash.Below(round, 8) == 0)
        {
            // Some timestamps have fewer than 7 fractional digits (e.g. 1629256473.5), as the upstream's did.
            var unit = (long)Math.Pow(10, 6 - StableHash.Below(round >> 8, 3));
            var rounded = ticks - (ticks % unit);
            if (rounded >= slotStart && rounded % TicksPerSecond != 0)
            {
                ticks = rounded;
            }
        }

        return ticks;
    }

    private string Priority(ulong hash, int feed, long k)
    {
        var roll = StableHash.Below(hash, 100);
        var level = roll < 35 ? 0 : roll < 70 ? 1 : roll < 90 ? 2 : 3;
        var casing = Hash(feed, k, SaltCase);
        // A few items spell the priority differently, because the upstream was not consistent about case.
        return StableHash.Below(casing, 25) == 0 ? CaseVariants[level][StableHash.Below(casing >> 8, 2)] : Priorities[level];
    }

    private int AnyEmployee(ulong hash) => _workforce.EmployeeIds[(int)StableHash.Below(hash, _workforce.EmployeeIds.Count)];

    private (int Employee, string? Ip) AnyIp(int feed, long k)
    {
        var hash = Hash(feed, k, SaltIp);
        var pairs = _workforce.Pairs;
        if ((StableHash.Unit(hash) < _unknownIpShare && _workforce.UnknownIps.Count > 0) || pairs.Count == 0)
        {
            return (0, _workforce.UnknownIps[(int)StableHash.Below(hash >> 16, _workforce.UnknownIps.Count)]);
        }

        var pair = pairs[(int)StableHash.Below(hash >> 16, pairs.Count)];
        return (pair.Value, pair.Key);
    }

    private string ExternalIp(int feed, long k)
    {
        var h = Hash(feed, k, SaltExternal);
        var first = ExternalFirstOctets[StableHash.Below(h, ExternalFirstOctets.Length)];
        return $"{first}.{(h >> 8) & 0xFF}.{(h >> 16) & 0xFF}.{1 + StableHash.Below(h >> 24, 254)}";
    }

    private ulong Hash(int stream, long k, int salt) => StableHash.Of(_seed, stream, k, salt);

    private static IdentityKind FeedIdentity(int feed) => FeedLayout.Of(feed).Identity;

    private static long FloorDiv(long value, long divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
