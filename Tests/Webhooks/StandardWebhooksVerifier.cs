using System.Security.Cryptography;
using System.Text;

namespace ChartCraft.Tests.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and independently
/// of the app's signer: HMAC-SHA256 keyed with the base64 part of whsec_..., over "{id}.{timestamp}.{body}",
/// compared in constant time against each "v1,..." entry of the header, with a 5-minute timestamp tolerance.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, string id, string timestamp, string signatureHeader, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300) return false;

        using var hmac = new HMACSHA256(Convert.FromBase64String(secret.Split('_', 2)[1]));
        var content = Encoding.UTF8.GetBytes(id + "." + timestamp + "." + Encoding.UTF8.GetString(body));
        var expected = hmac.ComputeHash(content);
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', 2);
            if (parts.Length == 2 && parts[0] == "v1"
                && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(parts[1]), expected))
                return true;
        }
        return false;
    }

    public static bool Verify(string secret, ReceivedWebhook request) =>
        Verify(secret, request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"),
            request.Body, DateTimeOffset.UtcNow);
}
