using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IncidentService.Benchmarks;

// No arguments: the probe (peak memory, shrink, per-employee compression), then every benchmark. Otherwise
// BenchmarkDotNet's own arguments (e.g. --filter '*Compression*'), or "probe" alone.
if (args is ["probe"] or [])
{
    Probe.Run();
    if (args.Length > 0)
    {
        return;
    }
}

// In process (the service's server GC, no generated project to build), with room for a 1 M parse on a busy machine;
// few iterations, as one takes seconds.
var job = Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true)).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
    .WithInvocationCount(1).WithUnrollFactor(1);
var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
