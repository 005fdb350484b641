using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Storage;

/// <summary>Why a signed link was refused.</summary>
public enum LinkCheck { Valid, Tampered, Expired }

/// <summary>
/// HMAC-SHA256 over key, file name, content type and expiry, so an app-served download link works
/// without a bearer token but cannot be altered or used after it expires.
/// </summary>
public sealed class DownloadLinkSigner
{
    readonly byte[] _key;

    public DownloadLinkSigner(JwtSettings jwt)
    {
        // A key of its own, derived from the app secret, so a link signature is never a token signature.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(jwt.SecretKey), 32,
            info: Encoding.UTF8.GetBytes("chartcraft/download-links"));
    }

    public string Sign(string key, string fileName, string contentType, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"name={Uri.EscapeDataString(fileName)}&type={Uri.EscapeDataString(contentType)}&expires={expires}" +
               $"&sig={Signature(key, fileName, contentType, expires)}";
    }

    public LinkCheck Check(string key, string? fileName, string? contentType, string? expires, string? signature, DateTimeOffset now)
    {
        if (fileName is null || contentType is null || expires is null || signature is null) return LinkCheck.Tampered;
        var expected = Encoding.ASCII.GetBytes(Signature(key, fileName, contentType, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))) return LinkCheck.Tampered;
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)) return LinkCheck.Tampered;
        return now.ToUnixTimeSeconds() > unix ? LinkCheck.Expired : LinkCheck.Valid;
    }

    string Signature(string key, string fileName, string contentType, string expires)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', key, fileName, contentType, expires));
        return Base64UrlEncode(HMACSHA256.HashData(_key, payload));
    }

    static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
