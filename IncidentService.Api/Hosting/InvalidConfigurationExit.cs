using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Invalid configuration (and an address the server cannot listen on, see <see cref="ListenFailure"/>) ends the process with exit code 1 and one line, <c>Invalid configuration: &lt;key&gt;: &lt;problem&gt;; …</c>,
/// instead of a crash with a stack trace (exit 134). <see cref="ValidateConfiguration"/> runs every start-time validation
/// before the host starts (so the host never logs the failure with its stack), and the exception it throws is turned
/// into that line by the unhandled-exception hook. A catch around it instead would also swallow the exception that
/// <c>WebApplicationFactory</c> expects to see from the entry point; under the factory the exception is never
/// unhandled, so the hook stays out of its way.
/// </summary>
internal static class InvalidConfigurationExit
{
    public static void Install() => AppDomain.CurrentDomain.UnhandledException += (_, e) =>
    {
        if (e.ExceptionObject is ListenFailedException listen)
        {
            Console.Error.WriteLine(listen.Message);
            Environment.Exit(1);
        }

        var failures = e.ExceptionObject switch
        {
            OptionsValidationException invalid => invalid.Failures,
            AggregateException many => many.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(i => i.Failures),
            _ => [],
        };
        var messages = failures.Distinct().Select(f => f.TrimEnd('.')).ToList();
        if (messages.Count > 0)
        {
            Console.Error.WriteLine($"Invalid configuration: {string.Join("; ", messages)}");
            Environment.Exit(1);
        }
    };

    /// <summary>Binds and validates every option validated on start, now; throws <see cref="OptionsValidationException"/> on a problem.</summary>
    public static WebApplication ValidateConfiguration(this WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        return app;
    }
}
