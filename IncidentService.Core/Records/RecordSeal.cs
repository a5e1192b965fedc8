using System.Security.Cryptography;

namespace IncidentService.Core.Records;

/// <summary>
/// How a record proves where it comes from. Signed: an HMAC-SHA256 under the key the cluster's replicas share, so only a
/// holder of the key can write a record another replica will serve. Unsigned: a SHA-256, which catches a torn or
/// damaged file but proves nothing about its writer (a single process's own file, when no key is configured).
/// </summary>
public sealed class RecordSeal
{
    /// <summary>The least key length: the HMAC's own output length.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The length of either seal at the end of a record.</summary>
    public const int Length = 32;

    private readonly byte[]? _key;

    private RecordSeal(byte[]? key) => _key = key;

    public static RecordSeal Checksum { get; } = new(null);

    public bool IsSigned => _key is not null;

    public static RecordSeal WithKey(ReadOnlySpan<byte> key) =>
        key.Length >= MinimumKeyBytes ? new RecordSeal(key.ToArray()) : throw new ArgumentException($"a signing key has at least {MinimumKeyBytes} bytes", nameof(key));

    /// <summary>The key from its base64 text, or null when the text is not base64 of at least <see cref="MinimumKeyBytes"/> bytes.</summary>
    public static RecordSeal? FromBase64(string text)
    {
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written >= MinimumKeyBytes ? new RecordSeal(bytes[..written]) : null;
    }

    internal byte[] Compute(ReadOnlySpan<byte> content) => _key is { } key ? HMACSHA256.HashData(key, content) : SHA256.HashData(content);

    internal bool Verifies(ReadOnlySpan<byte> content, ReadOnlySpan<byte> seal) =>
        seal.Length == Length && CryptographicOperations.FixedTimeEquals(Compute(content), seal);
}
