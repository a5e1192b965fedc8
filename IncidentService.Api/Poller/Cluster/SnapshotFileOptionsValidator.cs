using IncidentService.Core.Records;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>A signing key that is one, and one wherever records are shared through Redis outside Development.</summary>
internal sealed class SnapshotFileOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<SnapshotFileOptions>
{
    public ValidateOptionsResult Validate(string? name, SnapshotFileOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return RecordSeal.FromBase64(options.SigningKey) is null
                ? ValidateOptionsResult.Fail($"Snapshot:SigningKey: must be base64 of at least {RecordSeal.MinimumKeyBytes} bytes (for example the output of `openssl rand -base64 32`)")
                : ValidateOptionsResult.Success;
        }

        // Whoever can write the shared keys could otherwise hand every replica a record of their making.
        var clustered = !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.Configuration)}"]);
        return clustered && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail($"Snapshot:SigningKey: required with Redis:Configuration outside Development (base64 of at least {RecordSeal.MinimumKeyBytes} bytes, the same on every replica)")
            : ValidateOptionsResult.Success;
    }
}
