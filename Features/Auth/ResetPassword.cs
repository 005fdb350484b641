namespace ChartCraft.Features.Auth;

public sealed record ResetPasswordRequest(string Token, string NewPassword)
{
    public override string ToString() => "ResetPasswordRequest { Token = ***, NewPassword = *** }";
}

public sealed class ResetPasswordValidator : Validator<ResetPasswordRequest>
{
    public ResetPasswordValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(200);
        RuleFor(x => x.NewPassword).MustBeAValidPassword();
    }
}

/// <summary>
/// Sets a new password with the token of a reset mail. The token is spent (with every other reset token of the account),
/// every session ends: refresh tokens are revoked and access tokens stop at once. Opening the mail also proves the
/// address, so an unverified account becomes verified.
/// </summary>
public sealed class ResetPasswordEndpoint(IDocumentStore store, SessionRevocations revocations, PasswordHasher passwords, TimeProvider clock)
    : Endpoint<ResetPasswordRequest>
{
    public override void Configure()
    {
        Post("/auth/password/reset");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<ResetPasswordRequest>("application/json").Produces(204).ProducesProblems(400, 422),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Set a new password with the token of a reset mail; every session is ended";
            s.Responses[400] = "Unknown, expired or spent token";
        });
    }

    public override async Task HandleAsync(ResetPasswordRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hash = await passwords.HashAsync(req.NewPassword, ct);
        var user = await PasswordChanges.SetAsync(store, revocations, hash, keepSession: null, endAllAccessTokens: true,
            session => SpendAsync(session, req.Token, now, ct), now, ct);
        if (user is null) throw AccountTokens.Invalid();
        await Send.NoContentAsync(ct);
    }

    /// <summary>The token's user, with the token and the user's other live reset tokens marked spent in <paramref name="session"/>.</summary>
    static async Task<User?> SpendAsync(IDocumentSession session, string token, DateTimeOffset now, CancellationToken ct)
    {
        var spent = await AccountTokens.FindUsableAsync(session, token, AccountToken.ResetPassword, now, ct);
        if (spent is null) return null;
        var user = await session.LoadAsync<User>(spent.UserId, ct);
        if (user is not { IsActive: true }) return null;
        var live = await session.Query<AccountToken>()
            .Where(t => t.UserId == user.Id && t.Purpose == AccountToken.ResetPassword && t.UsedAt == null).ToListAsync(ct);
        foreach (var other in live.Where(t => t.Id != spent.Id).Append(spent))
        {
            other.UsedAt = now;
            session.Update(other);
        }
        if (user.EmailVerifiedAt is null && EmailCanonicalization.KeyOf(spent.Email) == user.NormalizedEmail) user.EmailVerifiedAt = now;
        return user;
    }
}
