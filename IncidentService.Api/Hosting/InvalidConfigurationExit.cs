using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Turns a configuration error at startup into one line naming the keys and exit code 1, instead of a crash with a
/// stack trace (exit 134). It hooks the unhandled-exception event rather than catching around <c>Run</c>, because a
/// catch there would also swallow the error that <c>WebApplicationFactory</c> expects to see in tests; under the
/// factory the exception is never unhandled, so this stays out of its way.
/// </summary>
internal static class InvalidConfigurationExit
{
    public static void Install() => AppDomain.CurrentDomain.UnhandledException += (_, e) =>
    {
        var failures = e.ExceptionObject switch
        {
            OptionsValidationException invalid => invalid.Failures,
            AggregateException many => many.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(i => i.Failures),
            _ => [],
        };
        var messages = failures.Distinct().ToList();
        if (messages.Count > 0)
        {
            Console.Error.WriteLine($"Invalid configuration: {string.Join(" ", messages)}");
            Environment.Exit(1);
        }
    };
}
