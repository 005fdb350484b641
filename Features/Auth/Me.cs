namespace ChartCraft.Features.Auth;

/// <summary>The signed-in user's profile.</summary>
public sealed class MeEndpoint(IDocumentStore store) : EndpointWithoutRequest<UserResponse>
{
    public override void Configure()
    {
        Get("/auth/me");
        Description(d => d.WithTags("Auth").Produces<UserResponse>(200).ProducesProblems(401), clearDefaults: true);
        Summary(s => s.Summary = "Current user");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var user = await session.LoadAsync<User>(User.UserId(), ct);
        // The revocation check has refused tokens of inactive users already (within its cache lifetime); this read is current.
        if (user is not { IsActive: true }) throw new ProblemException(401, "Unauthorized", "The account is not active.");
        await Send.OkAsync(UserResponse.From(user), ct);
    }
}
