using System.Text.RegularExpressions;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Features.Newsletter.Integrations;

public sealed class OAuthCallbackRequest
{
    [QueryParam, BindFrom("code")] public string? Code { get; set; }
    [QueryParam, BindFrom("state")] public string? State { get; set; }
    /// <summary>Set by the provider when the user declined (e.g. access_denied).</summary>
    [QueryParam, BindFrom("error")] public string? Error { get; set; }

    public override string ToString() => "OAuthCallbackRequest { *** }";
}

/// <summary>
/// GET /api/integrations/{provider}/oauth/callback: where the provider sends the browser back. No bearer
/// token: the single-use state says which user started the flow. Exchanges the code, stores the connection
/// and redirects (302) to {FRONTEND_URL}/integrations?provider=..&amp;status=connected, or status=error&amp;reason=..
/// (a forged, expired or replayed state stores nothing).
/// </summary>
public sealed partial class CompleteOAuthEndpoint(IDocumentStore store, IntegrationConnector connector, OAuthStateStore states,
    CredentialProtector protector, AppSettings app, TimeProvider clock, ILogger<CompleteOAuthEndpoint> logger)
    : Endpoint<OAuthCallbackRequest>
{
    [GeneratedRegex("^[a-z_]{1,40}$")]
    private static partial Regex ErrorCode();

    public override void Configure()
    {
        Get("/integrations/{provider}/oauth/callback");
        AllowAnonymous();
        Description(d => d.WithTags("Newsletter platforms").Produces(302).ProducesProblems(404), clearDefaults: true);
        Summary(s => s.Summary = "OAuth redirect target (register PUBLIC_BASE_URL/api/integrations/{provider}/oauth/callback with the provider; set PUBLIC_BASE_URL so it never changes)");
    }

    public override async Task HandleAsync(OAuthCallbackRequest req, CancellationToken ct)
    {
        var provider = NewsletterProviders.FromRoute(Route<string>("provider"));
        // Redeemed first, whatever else is wrong, so a state never works twice.
        OAuthState? state;
        try
        {
            state = await states.RedeemAsync(req.State, provider);
        }
        catch (StackExchange.Redis.RedisException ex)
        {
            logger.LogWarning(ex, "OAuth callback for {Provider} could not reach Redis", provider);
            await RedirectAsync(provider, "temporarily_unavailable", ct);
            return;
        }
        if (state is null)
        {
            await RedirectAsync(provider, "invalid_state", ct);
            return;
        }
        if (!string.IsNullOrEmpty(req.Error))
        {
            await RedirectAsync(provider, ErrorCode().IsMatch(req.Error) ? req.Error : "authorization_failed", ct);
            return;
        }
        if (string.IsNullOrWhiteSpace(req.Code))
        {
            await RedirectAsync(provider, "missing_code", ct);
            return;
        }

        VerifiedConnection verified;
        try
        {
            verified = await connector.ExchangeCodeAsync(provider, req.Code, state.RedirectUri ?? connector.RedirectUri(provider), ct);
        }
        catch (ProviderException ex)
        {
            logger.LogWarning("OAuth code exchange with {Provider} failed: {Status} {Reason}", provider, ex.StatusCode, ex.Reason);
            await RedirectAsync(provider, "token_exchange_failed", ct);
            return;
        }
        await using var session = store.LightweightSession();
        await IntegrationUpdates.ConnectAsync(session, state.UserId, provider, AuthMethods.OAuth, verified, protector, clock.GetUtcNow(), ct);
        await RedirectAsync(provider, null, ct);
    }

    Task RedirectAsync(string provider, string? error, CancellationToken ct)
    {
        var query = error is null
            ? $"provider={provider}&status=connected"
            : $"provider={provider}&status=error&reason={Uri.EscapeDataString(error)}";
        HttpContext.Response.Headers.CacheControl = "no-store";
        return Send.RedirectAsync($"{app.FrontendUrl}/integrations?{query}", isPermanent: false, allowRemoteRedirects: true);
    }
}
