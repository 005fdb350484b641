using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// What authenticates calls to a provider: an API key, or an OAuth access token (with Kit's refresh token
/// and expiry). Lives only in memory and, protected, in <see cref="Integration.ProtectedCredentials"/>.
/// </summary>
public sealed record IntegrationCredentials(
    string Method,
    string Secret,
    string? RefreshToken = null,
    DateTimeOffset? ExpiresAt = null,
    string? DataCentre = null)
{
    /// <summary>A key for per-account limits that does not reveal the secret (a hash prefix).</summary>
    public string AccountKey => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)))[..16];

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => ExpiresAt is { } at && at - margin <= now;

    // Records print every property; these must never reach a log line.
    public override string ToString() => $"{Method} credentials";
}

/// <summary>Encrypts credentials at rest with ASP.NET Data Protection (keys shared through PostgreSQL).</summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "chartcraft.integrations.v1";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(IntegrationCredentials credentials) =>
        _protector.Protect(JsonSerializer.Serialize(credentials, Json));

    /// <summary>Throws CryptographicException when the payload was not made with these keys.</summary>
    public IntegrationCredentials Unprotect(string protectedCredentials) =>
        JsonSerializer.Deserialize<IntegrationCredentials>(_protector.Unprotect(protectedCredentials), Json)
        ?? throw new CryptographicException("Empty credentials payload");
}
