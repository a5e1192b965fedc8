namespace IncidentService.Simulator.Data;

/// <summary>
/// One incident on a feed's time grid, before it is written in the feed's shape.
/// <paramref name="Ip"/> is the internal IP that names the person (null: the employee id does);
/// <paramref name="Ticks"/> are 100 ns units since the Unix epoch, i.e. the timestamp with 7 fractional digits.
/// </summary>
internal readonly record struct GeneratedIncident(long Index, long Ticks, string Priority, int EmployeeId, string? Ip, string ExternalIp);
