namespace IncidentService.Tests.Faults;

/// <summary>
/// Tests on the real clock with sub-second upstream timeouts run alone, after the parallel tests: sharing two cores
/// with a dozen other hosts, a healthy call can miss a 0.5 s timeout, and the test would measure the machine.
/// </summary>
[CollectionDefinition(nameof(RealClockRunsAlone), DisableParallelization = true)]
public sealed class RealClockRunsAlone;
