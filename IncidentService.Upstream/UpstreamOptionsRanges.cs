using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>The data annotations of <see cref="UpstreamOptions"/>, checked by generated code (no reflection).</summary>
[OptionsValidator]
internal sealed partial class UpstreamOptionsRanges : IValidateOptions<UpstreamOptions>;
