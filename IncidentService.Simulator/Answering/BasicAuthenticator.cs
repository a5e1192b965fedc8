using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace IncidentService.Simulator.Answering;

/// <summary>Checks HTTP Basic credentials in constant time (digests compared, so not even the length leaks).</summary>
internal sealed class BasicAuthenticator(string username, string password)
{
    // Far above any real credential; bounds the stack buffer below.
    private const int MaxEncodedLength = 1024;

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{username}:{password}"));

    public bool IsAuthorized(string? authorizationHeader)
    {
        if (!AuthenticationHeaderValue.TryParse(authorizationHeader, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is not { Length: > 0 and <= MaxEncodedLength })
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[header.Parameter.Length];
        return Convert.TryFromBase64String(header.Parameter, decoded, out var length)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded[..length]), _expected);
    }
}
