namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Credentials the provider accepted, and the account they belong to.</summary>
public sealed record VerifiedConnection(IntegrationCredentials Credentials, string? AccountName);

/// <summary>
/// Turns what a user brings (an API key, or an OAuth authorization code) into credentials the provider has
/// accepted, asking the provider before anything is stored.
/// </summary>
public sealed class IntegrationConnector(MailchimpClient mailchimp, KitClient kit, NewsletterPlatformSettings settings, PublicUrls urls)
{
    /// <summary>
    /// The redirect URI to register with the provider's OAuth app. Providers compare it with the registered one, so in
    /// production PUBLIC_BASE_URL should be set and this is then always the same; without it, it follows the request.
    /// </summary>
    public string RedirectUri(string provider) => urls.To($"/api/integrations/{provider}/oauth/callback");

    public bool OAuthEnabled(string provider) =>
        provider == NewsletterProviders.Mailchimp ? settings.MailchimpOAuthEnabled : settings.KitOAuthEnabled;

    public Uri AuthorizeUrl(string provider, string state, string redirectUri) => provider == NewsletterProviders.Mailchimp
        ? mailchimp.AuthorizeUrl(state, redirectUri)
        : kit.AuthorizeUrl(state, redirectUri);

    /// <summary>
    /// Checks a key with the provider (Mailchimp GET /3.0/ping on the key's data centre, Kit GET /v4/account).
    /// 422 when the provider refuses it (with the provider's reason), 503 when the provider cannot be reached.
    /// </summary>
    public async Task<VerifiedConnection> VerifyApiKeyAsync(string provider, string apiKey, CancellationToken ct)
    {
        apiKey = apiKey.Trim();
        try
        {
            if (provider == NewsletterProviders.Mailchimp)
            {
                var dataCentre = MailchimpDataCentre.FromApiKey(apiKey) ?? throw new ProblemException(422, "Invalid API key",
                    "A Mailchimp API key ends with its data centre, e.g. …-us6.",
                    new Dictionary<string, string[]> { ["api_key"] = ["must end with the data centre, e.g. -us6"] });
                var credentials = new IntegrationCredentials(AuthMethods.ApiKey, apiKey, DataCentre: dataCentre);
                await mailchimp.PingAsync(credentials, ct);
                return new VerifiedConnection(credentials, await mailchimp.GetAccountNameAsync(credentials, ct));
            }
            var kitCredentials = new IntegrationCredentials(AuthMethods.ApiKey, apiKey);
            return new VerifiedConnection(kitCredentials, await kit.GetAccountNameAsync(kitCredentials, ct));
        }
        catch (ProviderException ex) when (!ex.IsTransient)
        {
            throw new ProblemException(422, "API key rejected", $"{NewsletterProviders.DisplayName(provider)} refused the key: {ex.Reason}",
                new Dictionary<string, string[]> { ["api_key"] = [ex.Reason] });
        }
        catch (ProviderException ex)
        {
            throw Unreachable(provider, ex);
        }
    }

    /// <summary>Exchanges an authorization code for tokens and reads the account they belong to; <paramref name="redirectUri"/>
    /// is the one the authorization was asked with.</summary>
    public async Task<VerifiedConnection> ExchangeCodeAsync(string provider, string code, string redirectUri, CancellationToken ct)
    {
        if (provider == NewsletterProviders.Mailchimp)
        {
            var token = await mailchimp.ExchangeCodeAsync(code, redirectUri, ct);
            var account = await mailchimp.GetMetadataAsync(token, ct);
            return new VerifiedConnection(new IntegrationCredentials(AuthMethods.OAuth, token, DataCentre: account.DataCentre), account.AccountName);
        }
        var tokens = await kit.ExchangeCodeAsync(code, redirectUri, ct);
        var credentials = new IntegrationCredentials(AuthMethods.OAuth, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt);
        return new VerifiedConnection(credentials, await kit.GetAccountNameAsync(credentials, ct));
    }

    public static ProblemException Unreachable(string provider, ProviderException ex) =>
        new(503, "Provider unavailable", $"{NewsletterProviders.DisplayName(provider)} could not check the credentials now: {ex.Reason}");
}
