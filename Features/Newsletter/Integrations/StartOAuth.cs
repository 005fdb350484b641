using ChartCraft.Features.Auth.Verification;

namespace ChartCraft.Features.Newsletter.Integrations;

public sealed record OAuthStartResponse(string AuthorizeUrl);

/// <summary>
/// GET /api/integrations/{provider}/oauth/start: the provider's authorization page, with a state bound to
/// this user (sealed, expiring, single use). The frontend sends the browser there.
/// </summary>
public sealed class StartOAuthEndpoint(IDocumentStore store, IntegrationConnector connector, OAuthStateStore states) : EndpointWithoutRequest<OAuthStartResponse>
{
    public override void Configure()
    {
        Get("/integrations/{provider}/oauth/start");
        Description(d => d.WithTags("Newsletter platforms").Produces<OAuthStartResponse>(200).ProducesProblems(401, 403, 404, 422, 503),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Start connecting a newsletter platform with OAuth";
            s.Responses[403] = "The account's email address is not verified yet";
            s.Responses[422] = "OAuth is not configured for this provider on this server (use an API key)";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var provider = NewsletterProviders.FromRoute(Route<string>("provider"));
        await using (var session = store.QuerySession()) await EmailVerification.RequireVerifiedAsync(session, User.UserId(), ct);
        if (!connector.OAuthEnabled(provider))
            throw new ProblemException(422, "OAuth not configured",
                $"This server has no {NewsletterProviders.DisplayName(provider)} OAuth app configured; connect with an API key instead.");
        var redirectUri = connector.RedirectUri(provider);
        var state = await states.IssueAsync(User.UserId(), provider, redirectUri);
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new OAuthStartResponse(connector.AuthorizeUrl(provider, state, redirectUri).AbsoluteUri), ct);
    }
}
