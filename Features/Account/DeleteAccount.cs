using ChartCraft.Features.Auth;
using Wolverine.Marten;

namespace ChartCraft.Features.Account;

public sealed record DeleteAccountRequest(string? Password);

public sealed class DeleteAccountValidator : Validator<DeleteAccountRequest>
{
    public DeleteAccountValidator() => RuleFor(x => x.Password).NotEmpty().MaximumLength(128);
}

/// <summary>
/// DELETE /api/account {password}: 202. A missing password is 400, a wrong one 403, and then nothing changes. On success,
/// in one commit, the user is deactivated with a new token generation (every access token is refused from the next
/// request on: <c>SessionRevocations</c>; login and refresh refuse an inactive user), every live refresh token is
/// revoked, and <see cref="DeleteAccountData"/> is queued through the outbox: a durable job then deletes everything the
/// account owns, the user document last, which frees the email for a new registration.
/// </summary>
public sealed class DeleteAccountEndpoint(IDocumentStore store, IMartenOutbox outbox, PasswordHasher passwords, TimeProvider clock)
    : Endpoint<DeleteAccountRequest>
{
    /// <summary>The revocation reason of the refresh tokens of a deleted account.</summary>
    public const string AccountDeleted = "account_deleted";

    public override void Configure()
    {
        Delete("/account");
        Description(d => d.WithTags("Account").Accepts<DeleteAccountRequest>("application/json").Produces(202).ProducesProblems(400, 401, 403),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Delete the account and everything it owns";
            s.Responses[202] = "Tokens revoked at once; the data is deleted by a durable job";
            s.Responses[403] = "Wrong password";
        });
    }

    public override async Task HandleAsync(DeleteAccountRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var user = await session.LoadAsync<User>(userId, ct);
        // A user whose deletion has begun has no live token to get here with; a deleted one has no document.
        if (user is null || !await passwords.VerifyAsync(req.Password!, user.PasswordHash, ct))
            throw new ProblemException(403, "Wrong password", "The password does not match; nothing was deleted.");

        var now = clock.GetUtcNow();
        user.IsActive = false;
        user.TokenGeneration++;
        user.UpdatedAt = now;
        session.Store(user);
        var live = await session.Query<RefreshToken>().Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct);
        RefreshToken.RevokeAll(session, live, AccountDeleted, now);
        await outbox.PublishAsync(new DeleteAccountData(userId, now));
        await session.SaveChangesAsync(ct);
        await Send.StatusCodeAsync(202, ct);
    }
}
