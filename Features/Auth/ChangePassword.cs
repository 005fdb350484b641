namespace ChartCraft.Features.Auth;

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword)
{
    public override string ToString() => "ChangePasswordRequest { CurrentPassword = ***, NewPassword = *** }";
}

public sealed class ChangePasswordValidator : Validator<ChangePasswordRequest>
{
    public ChangePasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().MaximumLength(128);
        RuleFor(x => x.NewPassword).MustBeAValidPassword();
    }
}

/// <summary>
/// Changes the signed-in user's password. The caller's session goes on (its access and refresh tokens keep working, so
/// the frontend stays signed in); every other session ends at once, refresh and access tokens alike. 403 when the
/// current password is wrong.
/// </summary>
public sealed class ChangePasswordEndpoint(IDocumentStore store, SessionRevocations revocations, PasswordHasher passwords, TimeProvider clock)
    : Endpoint<ChangePasswordRequest>
{
    public override void Configure()
    {
        Post("/auth/password");
        Description(d => d.WithTags("Auth").Accepts<ChangePasswordRequest>("application/json").Produces(204).ProducesProblems(400, 401, 403, 422),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Change the password; other sessions end, this one stays signed in";
            s.Responses[403] = "The current password is wrong";
        });
    }

    public override async Task HandleAsync(ChangePasswordRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using (var read = store.QuerySession())
        {
            var current = await read.LoadAsync<User>(userId, ct);
            if (current is not { IsActive: true }) throw new ProblemException(401, "Unauthorized", "The account is not active.");
            if (!await passwords.VerifyAsync(req.CurrentPassword, current.PasswordHash, ct))
                throw new ProblemException(403, "Wrong password", "The current password is not right.");
        }
        var keep = Guid.TryParse(User.FindFirst(SessionRevocations.SessionClaim)?.Value, out var sessionId) ? sessionId : (Guid?)null;
        var now = clock.GetUtcNow();
        await PasswordChanges.SetAsync(store, revocations, await passwords.HashAsync(req.NewPassword, ct), keep, endAllAccessTokens: false,
            async session => await session.LoadAsync<User>(userId, ct), now, ct);
        await Send.NoContentAsync(ct);
    }
}
