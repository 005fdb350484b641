namespace ChartCraft.Features.Auth;

public sealed record LogoutRequest(string RefreshToken);

public sealed class LogoutValidator : Validator<LogoutRequest>
{
    public LogoutValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

/// <summary>
/// Ends the session of the caller's refresh token: the token is revoked and so are the access tokens of its family,
/// on every instance. Idempotent: an unknown or someone else's token changes nothing.
/// </summary>
public sealed class LogoutEndpoint(IDocumentStore store, SessionRevocations revocations, TimeProvider clock) : Endpoint<LogoutRequest>
{
    public override void Configure()
    {
        Post("/auth/logout");
        Description(d => d.WithTags("Auth").Accepts<LogoutRequest>("application/json").Produces(204).ProducesProblems(400, 401, 422), clearDefaults: true);
        Summary(s => s.Summary = "End the session of a refresh token (its access tokens stop working too)");
    }

    public override async Task HandleAsync(LogoutRequest req, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<RefreshToken>(TokenService.Hash(req.RefreshToken), ct);
        if (token is not null && token.UserId == User.UserId() && token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            token.RevokedReason = RefreshToken.Logout;
            session.Update(token);
            await session.SaveChangesAsync(ct);
            await revocations.RevokeSessionAsync(token.FamilyId, RefreshToken.Logout);
        }
        await Send.NoContentAsync(ct);
    }
}
