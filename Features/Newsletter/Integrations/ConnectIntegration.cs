using ChartCraft.Features.Auth.Verification;

namespace ChartCraft.Features.Newsletter.Integrations;

public sealed record ConnectIntegrationRequest(string ApiKey)
{
    // The key is a secret: keep it out of anything that prints the request.
    public override string ToString() => "ConnectIntegrationRequest { ApiKey = *** }";
}

public sealed class ConnectIntegrationValidator : Validator<ConnectIntegrationRequest>
{
    public ConnectIntegrationValidator() => RuleFor(x => x.ApiKey).NotEmpty().MaximumLength(500);
}

/// <summary>
/// POST /api/integrations/{provider}/connect: checks an API key with the provider, then stores it encrypted
/// (replacing an earlier connection to that provider). 422 with the provider's reason when it is refused.
/// </summary>
public sealed class ConnectIntegrationEndpoint(IDocumentStore store, IntegrationConnector connector, CredentialProtector protector,
    TimeProvider clock) : Endpoint<ConnectIntegrationRequest, IntegrationResponse>
{
    public override void Configure()
    {
        Post("/integrations/{provider}/connect");
        Description(d => d.WithTags("Newsletter platforms").Accepts<ConnectIntegrationRequest>("application/json")
            .Produces<IntegrationResponse>(201).ProducesProblems(400, 401, 403, 404, 422, 503), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Connect Mailchimp or Kit (provider = mailchimp | convertkit) with an API key";
            s.Responses[403] = "The account's email address is not verified yet";
            s.Responses[422] = "The provider refused the key (the detail quotes the provider)";
            s.Responses[503] = "The provider could not be reached to check the key";
        });
    }

    public override async Task HandleAsync(ConnectIntegrationRequest req, CancellationToken ct)
    {
        var provider = NewsletterProviders.FromRoute(Route<string>("provider"));
        var userId = User.UserId();
        await using var session = store.LightweightSession();
        // Before the key is tried: an account nobody has proved is not sending newsletters in anyone's name.
        await EmailVerification.RequireVerifiedAsync(session, userId, ct);
        var verified = await connector.VerifyApiKeyAsync(provider, req.ApiKey, ct);
        var integration = await IntegrationUpdates.ConnectAsync(session, userId, provider, AuthMethods.ApiKey, verified, protector,
            clock.GetUtcNow(), ct);
        await Send.ResponseAsync(IntegrationResponse.From(integration), 201, ct);
    }
}
