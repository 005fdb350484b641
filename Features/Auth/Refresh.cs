namespace ChartCraft.Features.Auth;

public sealed record RefreshRequest(string RefreshToken);

public sealed class RefreshValidator : Validator<RefreshRequest>
{
    public RefreshValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

/// <summary>
/// Rotates a refresh token: the presented one is spent and a new pair returned. Presenting a spent
/// token again means it was copied, so every token of its family is revoked.
/// </summary>
public sealed class RefreshEndpoint(IDocumentStore store, TokenService tokens, SessionRevocations revocations, TimeProvider clock)
    : Endpoint<RefreshRequest, TokenResponse>
{
    public override void Configure()
    {
        Post("/auth/refresh");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<RefreshRequest>("application/json").Produces<TokenResponse>(200).ProducesProblems(400, 401, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Exchange a refresh token for a new pair (rotation)";
            s.Responses[401] = "Unknown, expired, revoked or reused refresh token";
        });
    }

    public override async Task HandleAsync(RefreshRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var current = await session.LoadAsync<RefreshToken>(TokenService.Hash(req.RefreshToken), ct);
        if (current is null) throw Rejected("The refresh token is not valid.");

        if (current.RevokedAt is not null)
        {
            if (current.RevokedReason == RefreshToken.Rotated) await RevokeFamilyAsync(store, current.FamilyId, now, ct);
            throw Rejected("The refresh token has been revoked.");
        }
        if (current.ExpiresAt <= now) throw Rejected("The refresh token has expired.");

        var user = await session.LoadAsync<User>(current.UserId, ct);
        if (user is not { IsActive: true }) throw Rejected("The account is not active.");

        var (refresh, next) = tokens.CreateRefreshToken(user.Id, current.FamilyId);
        current.RevokedAt = now;
        current.RevokedReason = RefreshToken.Rotated;
        current.ReplacedBy = next.Id;
        session.Update(current);
        session.Store(next);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Concurrency.IsConflict(e))
        {
            // Another request rotated this token a moment ago: the same replay as above.
            await RevokeFamilyAsync(store, current.FamilyId, now, ct);
            throw Rejected("The refresh token has been revoked.");
        }
        await Send.OkAsync(tokens.Pair(user, refresh, next), ct);
    }

    /// <summary>
    /// Revokes every live token of the family, and the access tokens of its session. Replays racing each other revoke
    /// the same tokens: on a conflict the live tokens are read again, so the one a concurrent rotation just issued is
    /// revoked too.
    /// </summary>
    async Task RevokeFamilyAsync(IDocumentStore store, Guid familyId, DateTimeOffset now, CancellationToken ct)
    {
        await RevokeRefreshTokensAsync(store, familyId, now, ct);
        // After Postgres, so a reader falling back to it never sees less than Redis says.
        await revocations.RevokeSessionAsync(familyId, RefreshToken.ReuseDetected);
    }

    static async Task RevokeRefreshTokensAsync(IDocumentStore store, Guid familyId, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var live = await session.Query<RefreshToken>().Where(t => t.FamilyId == familyId && t.RevokedAt == null).ToListAsync(ct);
            if (live.Count == 0) return;
            RefreshToken.RevokeAll(session, live, RefreshToken.ReuseDetected, now);
            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (Exception e) when (Concurrency.IsConflict(e) && attempt < 5)
            {
            }
        }
    }

    static ProblemException Rejected(string detail) => new(401, "Unauthorized", detail);
}
