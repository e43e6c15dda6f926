using System.Security.Cryptography;
using System.Text;

namespace CausalStream.Dashboard.Hosting;

/// <summary>
/// Checks an "Authorization: Bearer &lt;token&gt;" header against the configured token in constant time: both are
/// hashed (SHA-256) and the hashes compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so
/// neither the content nor the length of the token leaks through timing. Only the hash is kept.
/// </summary>
internal sealed class BearerToken
{
    private readonly byte[] _hash;

    public BearerToken(string token)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool Matches(string? authorization)
    {
        const string scheme = "Bearer ";
        string presented = authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[scheme.Length..].Trim()
            : string.Empty;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _hash) & presented.Length > 0;
    }
}
