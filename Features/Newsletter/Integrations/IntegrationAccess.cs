using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// Usable credentials for an integration: decrypts them and refreshes a Kit OAuth token that is about to
/// expire, writing the new tokens back onto the integration (the caller stores the document).
/// </summary>
public sealed class IntegrationAccess(CredentialProtector protector, KitClient kit, TimeProvider clock)
{
    /// <summary>Refresh this long before expiry, so a token does not lapse in the middle of a publish.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    // One refresh at a time per integration in this process: Kit spends a refresh token when it is used.
    readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshLocks = new();

    /// <summary>
    /// Throws <see cref="ProviderException"/> (401) when the stored credentials cannot be read or Kit refuses
    /// the refresh; the integration is then marked revoked, since only connecting again can fix it.
    /// </summary>
    public async Task<IntegrationCredentials> CredentialsAsync(Integration integration, CancellationToken ct)
    {
        var credentials = Read(integration);
        if (integration.Provider != NewsletterProviders.ConvertKit || credentials.RefreshToken is null
            || !credentials.ExpiresWithin(RefreshMargin, clock.GetUtcNow()))
            return credentials;

        var gate = _refreshLocks.GetOrAdd(integration.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            KitTokens tokens;
            try
            {
                tokens = await kit.RefreshAsync(credentials.RefreshToken, ct);
            }
            catch (ProviderException ex) when (ex.StatusCode is 400 or 401)
            {
                var reason = $"Kit refused to refresh the access token ({ex.Reason}): connect again";
                integration.RecordFailure(clock.GetUtcNow(), reason, revoked: true);
                throw new ProviderException(integration.Provider, 401, reason, ex);
            }
            var refreshed = credentials with { Secret = tokens.AccessToken, RefreshToken = tokens.RefreshToken, ExpiresAt = tokens.ExpiresAt };
            integration.ProtectedCredentials = protector.Protect(refreshed);
            return refreshed;
        }
        finally
        {
            gate.Release();
        }
    }

    IntegrationCredentials Read(Integration integration)
    {
        try
        {
            return protector.Unprotect(integration.ProtectedCredentials);
        }
        catch (CryptographicException ex)
        {
            // The data-protection keys were lost or rotated out: the secret is gone for good.
            const string reason = "the stored credentials can no longer be decrypted: connect again";
            integration.RecordFailure(clock.GetUtcNow(), reason, revoked: true);
            throw new ProviderException(integration.Provider, 401, reason, ex);
        }
    }
}
