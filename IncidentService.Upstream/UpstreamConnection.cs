using System.Net.Http.Headers;
using System.Text;

namespace IncidentService.Upstream;

/// <summary>Where the upstream is and how to authenticate: from configuration, or from the embedded simulator.</summary>
public sealed record UpstreamConnection(Uri BaseAddress, string Username, string Password, bool IsSimulator)
{
    /// <summary>Always ends in '/', so relative feed paths keep the base's path.</summary>
    public Uri Root { get; } = BaseAddress.AbsoluteUri.EndsWith('/') ? BaseAddress : new Uri(BaseAddress.AbsoluteUri + "/");

    public AuthenticationHeaderValue Authorization =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));

    // Records print every property; this one holds a password.
    public override string ToString() => $"{Root} (user {Username}{(IsSimulator ? ", simulator" : "")})";
}
