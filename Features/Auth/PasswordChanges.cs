namespace ChartCraft.Features.Auth;

/// <summary>
/// A new password and the end of the sessions it must end, committed in one transaction: a refresh token that survived
/// a password reset would mint fresh access tokens for whoever held it. Access tokens of the ended sessions stop at once
/// (<see cref="SessionRevocations.RevokeSessionAsync"/>); a reset also raises the token generation, which ends every
/// access token of the account, the ones without a session too.
/// </summary>
public static class PasswordChanges
{
    /// <param name="keepSession">The caller's session (a change made while signed in): it stays, every other one ends.</param>
    /// <param name="alongside">Loads what else commits with the change (the reset token it spends) and returns the user, or null to stop.</param>
    public static async Task<User?> SetAsync(IDocumentStore store, SessionRevocations revocations, string passwordHash, Guid? keepSession,
        bool endAllAccessTokens, Func<IDocumentSession, Task<User?>> alongside, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var user = await alongside(session);
            if (user is null) return null;
            user.PasswordHash = passwordHash;
            user.UpdatedAt = now;
            if (endAllAccessTokens) user.TokenGeneration++;
            session.Store(user);

            var keep = keepSession ?? Guid.Empty;
            var live = await session.Query<RefreshToken>().Where(t => t.UserId == user.Id && t.RevokedAt == null && t.FamilyId != keep).ToListAsync(ct);
            RefreshToken.RevokeAll(session, live, RefreshToken.PasswordChanged, now);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (Concurrency.IsConflict(e) && attempt < 5)
            {
                continue; // a session refreshed meanwhile (or the token was spent): read everything again
            }
            // After Postgres, so a reader falling back to it never sees less than Redis says.
            foreach (var family in live.Select(t => t.FamilyId).Distinct()) await revocations.RevokeSessionAsync(family, RefreshToken.PasswordChanged);
            return user;
        }
    }
}
