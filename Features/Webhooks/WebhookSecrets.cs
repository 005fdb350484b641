using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ChartCraft.Features.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks form (<c>whsec_</c> + base64 key) and their protection at rest:
/// the database holds only what Data Protection (keys in PostgreSQL) can turn back into the secret.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    public const string Prefix = "whsec_";

    // Versioned purpose: a future scheme gets its own protector and old secrets stay readable under this one.
    readonly IDataProtector _protector = dataProtection.CreateProtector("chartcraft.webhooks.v1");

    /// <summary>A new secret: 32 random bytes (the spec asks for 24 to 64).</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// where the key is the base64-decoded part of the <c>whsec_</c> secret.
/// </summary>
public static class StandardWebhookSignature
{
    public static string Sign(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(WebhookSecrets.Prefix, StringComparison.Ordinal)
            ? secret[WebhookSecrets.Prefix.Length..]
            : secret);
        var prefix = System.Text.Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
