using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentService.Api.Poller.Cluster;

internal sealed class RedisOptionsValidator(IOptions<SnapshotFileOptions> file) : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = ConfigurationOptions.Parse(options.Configuration);
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail($"Redis:Configuration: not a StackExchange.Redis configuration ({exception.Message})");
        }

        // One source of truth for the stored record: a local file beside a shared one would disagree.
        return string.IsNullOrWhiteSpace(file.Value.Path)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Snapshot:Path: not used with Redis:Configuration (the record is kept in Redis); unset one of them");
    }
}
