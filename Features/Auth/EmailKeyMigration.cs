namespace ChartCraft.Features.Auth;

/// <summary>What one pass of <see cref="EmailKeyMigration"/> did; users are named by id, never by address.</summary>
/// <param name="Rewritten">Users whose stored address or key now has its canonical form.</param>
/// <param name="Refused">Users whose stored address has no canonical form (invisible or non-ASCII characters): they cannot sign in until an operator changes it.</param>
/// <param name="Collisions">Users whose canonical key already belongs to another account (User), left unchanged for an operator to resolve.</param>
public sealed record EmailKeyMigrationReport(IReadOnlyList<Guid> Rewritten, IReadOnlyList<Guid> Refused,
    IReadOnlyList<(Guid User, Guid KeyHolder)> Collisions);

/// <summary>
/// Brings users stored before <see cref="EmailCanonicalization"/> existed to the canonical form. Keys were then
/// trimmed and lower-cased only, which equals the canonical key for every printable-ASCII address; so only rows
/// with other characters in the address or key are read. Idempotent: a second pass finds nothing to do.
/// </summary>
public static class EmailKeyMigration
{
    public static async Task<EmailKeyMigrationReport> RunAsync(IDocumentStore store, CancellationToken ct)
    {
        List<User> candidates;
        await using (var query = store.QuerySession())
            candidates = (await query.QueryAsync<User>(
                "where data ->> 'email' !~ '^[ -~]*$' or data ->> 'normalized_email' !~ '^[ -~]*$'", ct)).ToList();

        var rewritten = new List<Guid>();
        var refused = new List<Guid>();
        var collisions = new List<(Guid, Guid)>();
        foreach (var candidate in candidates)
        {
            var (address, _) = EmailCanonicalization.Canonicalize(candidate.Email);
            if (address is null)
            {
                refused.Add(candidate.Id);
                continue;
            }
            if (address.Display == candidate.Email && address.Key == candidate.NormalizedEmail) continue;

            await using var session = store.LightweightSession();
            var holder = await session.Query<User>().FirstOrDefaultAsync(u => u.NormalizedEmail == address.Key && u.Id != candidate.Id, ct);
            if (holder is not null)
            {
                collisions.Add((candidate.Id, holder.Id));
                continue;
            }
            var user = await session.LoadAsync<User>(candidate.Id, ct);
            if (user is null) continue; // deleted meanwhile
            user.Email = address.Display;
            user.NormalizedEmail = address.Key;
            session.Update(user);
            try
            {
                await session.SaveChangesAsync(ct);
                rewritten.Add(user.Id);
            }
            catch (Exception ex) when (RegisterEndpoint.IsUniqueViolation(ex))
            {
                // Someone registered the canonical address between the check and the update.
                collisions.Add((candidate.Id, Guid.Empty));
            }
        }
        return new EmailKeyMigrationReport(rewritten, refused, collisions);
    }
}

/// <summary>Runs <see cref="EmailKeyMigration"/> once at start-up on every instance (it is idempotent) and logs what needs a person.</summary>
public sealed class EmailKeyMigrationAtStartup(IDocumentStore store, ILogger<EmailKeyMigrationAtStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await EmailKeyMigration.RunAsync(store, stoppingToken);
            if (report.Rewritten.Count > 0)
                logger.LogInformation("E-mail keys: {Count} users rewritten to the canonical form", report.Rewritten.Count);
            foreach (var user in report.Refused)
                logger.LogWarning("E-mail keys: user {UserId} has an address with invisible or non-ASCII characters; it cannot sign in until its address is changed", user);
            foreach (var (user, holder) in report.Collisions)
                logger.LogWarning("E-mail keys: user {UserId} has the same canonical address as user {HolderId}; left unchanged, resolve by hand", user, holder);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "E-mail keys: the canonical-form migration failed; it runs again at the next start");
        }
    }
}
