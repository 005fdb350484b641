using System.Security.Cryptography;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>What an OAuth state stands for: one authorization attempt by one user for one provider.</summary>
/// <param name="RedirectUri">The redirect URI the authorization was asked with. The code exchange must send the identical
/// one (RFC 6749 §4.1.3); without PUBLIC_BASE_URL it follows the request, so the instance that completes the flow takes
/// it from here rather than from its own request. Null in states sealed before it was carried.</param>
public sealed record OAuthState(string Nonce, Guid UserId, string Provider, string? RedirectUri = null);

/// <summary>
/// Seals an <see cref="OAuthState"/> into the opaque <c>state</c> parameter: encrypted and authenticated with
/// Data Protection, with an expiry, so it cannot be forged, altered or used late.
/// </summary>
public sealed class OAuthStateCodec(IDataProtectionProvider provider)
{
    public const string Purpose = "chartcraft.integrations.oauth-state.v1";
    readonly ITimeLimitedDataProtector _protector = provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    public string Seal(OAuthState state, DateTimeOffset expiresAt) =>
        _protector.Protect($"{state.Nonce}|{state.UserId:N}|{state.Provider}|{state.RedirectUri}", expiresAt);

    /// <summary>The state, or null when it is forged, tampered with, expired or malformed.</summary>
    public OAuthState? Open(string? sealedState)
    {
        if (string.IsNullOrWhiteSpace(sealedState)) return null;
        string payload;
        try
        {
            payload = _protector.Unprotect(sealedState);
        }
        catch (CryptographicException)
        {
            return null; // forged, altered or expired: all mean "not a state we issued and still honour"
        }
        // The redirect URI comes last and takes the rest, whatever it holds.
        var parts = payload.Split('|', 4);
        return parts.Length >= 3 && Guid.TryParseExact(parts[1], "N", out var userId) && NewsletterProviders.IsKnown(parts[2])
            ? new OAuthState(parts[0], userId, parts[2], parts.Length == 4 && parts[3].Length > 0 ? parts[3] : null)
            : null;
    }
}

/// <summary>
/// Issues OAuth states and redeems each at most once: the nonce lives in Redis until it expires or is
/// redeemed (GETDEL, atomic across instances), so a replayed callback finds nothing.
/// </summary>
public sealed class OAuthStateStore(OAuthStateCodec codec, IConnectionMultiplexer redis, RedisSettings redisSettings,
    NewsletterPlatformSettings settings, TimeProvider clock, ILogger<OAuthStateStore> logger)
{
    RedisKey Key(string nonce) => redisSettings.KeyPrefix + "oauth-state:" + nonce;

    /// <summary>A new sealed state; 503 when Redis cannot record it.</summary>
    public async Task<string> IssueAsync(Guid userId, string provider, string redirectUri)
    {
        var state = new OAuthState(Base64Url(RandomNumberGenerator.GetBytes(24)), userId, provider, redirectUri);
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(state.Nonce), Binding(state), settings.OAuthStateLifetime);
        }
        catch (RedisException ex)
        {
            logger.LogWarning(ex, "Could not record an OAuth state in Redis");
            throw new ProblemException(503, "Service unavailable", "Connecting with OAuth is unavailable right now; try again shortly.");
        }
        return codec.Seal(state, clock.GetUtcNow() + settings.OAuthStateLifetime);
    }

    /// <summary>
    /// The state as issued (its user and redirect URI), or null when it is not a live, unused state for this provider.
    /// Throws <see cref="RedisException"/> when Redis cannot be asked (the state is then left unspent).
    /// </summary>
    public async Task<OAuthState?> RedeemAsync(string? sealedState, string provider)
    {
        var state = codec.Open(sealedState);
        if (state is null || state.Provider != provider) return null;
        var stored = await redis.GetDatabase().StringGetDeleteAsync(Key(state.Nonce));
        return stored == Binding(state) ? state : null;
    }

    static string Binding(OAuthState state) => $"{state.UserId:N}:{state.Provider}";

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
