using System.Globalization;
using ChartCraft.Features.Auth;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Features.Plans;

/// <summary>
/// The checks of the user's plan, one call at each place where something is created or spent. The user's tier is read
/// from the database on every check, so a tier changed by an admin applies to the very next request.
/// </summary>
/// <remarks>
/// Counts and sizes (sources, charts, stored MB) are read under a per-user PostgreSQL advisory lock taken in the
/// caller's session transaction and held until it commits: two requests of one user, on any instance, cannot both see
/// the last free place. Daily limits are counted in Redis (<see cref="DailyCounters"/>) with check and count in one
/// script; the unit is taken before the operation and given back if it then fails.
/// </remarks>
public sealed class PlanEnforcement(IDocumentStore store, PlanSettings plans, AppSettings app, DailyCounters daily, TimeProvider clock,
    ILogger<PlanEnforcement> logger)
{
    const long MiB = 1024 * 1024;

    /// <summary>The tier's limits for the user (free for an unknown user id, which has nothing to spend anyway).</summary>
    public async Task<(string Tier, TierLimits Limits)> LimitsOfAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        var tier = await session.Query<User>().Where(u => u.Id == userId).Select(u => u.SubscriptionTier).FirstOrDefaultAsync(ct)
                   ?? Tiers.Free;
        return (tier, Effective(plans.For(tier)));
    }

    /// <summary>
    /// 403 when one more <paramref name="limit"/> (sources or charts) would pass the user's plan. Call it in the session
    /// that then stores the new document: the lock it takes is held until that session commits.
    /// </summary>
    public async Task EnsureCanAddAsync(IDocumentSession session, Guid userId, PlanLimit limit, CancellationToken ct)
    {
        var (_, limits) = await LockAndReadAsync(session, userId, ct);
        var allowed = limits.ValueOf(limit);
        var count = limit == PlanLimit.Sources ? await CountSourcesAsync(session, userId, ct)
            : limit == PlanLimit.Charts ? await CountChartsAsync(session, userId, ct)
            : throw new ArgumentOutOfRangeException(nameof(limit), limit.Name, "not a count limit");
        if (count + 1 > allowed)
            throw PlanProblems.Exceeded(limit, allowed, $"Your plan allows {allowed} {limit.Name}; you have {count}. Delete some or upgrade your plan.");
    }

    /// <summary>
    /// 403 when a file of <paramref name="bytes"/> is larger than the plan allows, or would take the user's stored files
    /// past it. Like <see cref="EnsureCanAddAsync"/>, held until the session commits. For a new version of a source.
    /// </summary>
    public async Task EnsureCanStoreAsync(IDocumentSession session, Guid userId, long bytes, CancellationToken ct)
    {
        var (_, limits) = await LockAndReadAsync(session, userId, ct);
        if (bytes > limits.FileSizeMb * MiB)
            throw PlanProblems.Exceeded(PlanLimit.FileSizeMb, limits.FileSizeMb,
                string.Format(CultureInfo.InvariantCulture, "The file is {0:0.##} MB; your plan accepts files up to {1} MB.", bytes / (double)MiB, limits.FileSizeMb));
        var stored = await StoredBytesAsync(session, userId, ct);
        if (stored + bytes > limits.StoredMb * MiB)
            throw PlanProblems.Exceeded(PlanLimit.StoredMb, limits.StoredMb,
                string.Format(CultureInfo.InvariantCulture, "Your files take {0:0.##} MB and this one {1:0.##} MB; your plan keeps up to {2} MB. Delete some or upgrade your plan.",
                    stored / (double)MiB, bytes / (double)MiB, limits.StoredMb));
    }

    /// <summary>An upload: the file's size, the stored total and the number of sources, all under one lock.</summary>
    public async Task EnsureCanAddSourceAsync(IDocumentSession session, Guid userId, long bytes, CancellationToken ct)
    {
        await EnsureCanStoreAsync(session, userId, bytes, ct);
        await EnsureCanAddAsync(session, userId, PlanLimit.Sources, ct);
    }

    /// <summary>
    /// Takes <paramref name="units"/> of today's <paramref name="limit"/>, or 429 (with Retry-After and resets_at) when they
    /// do not fit. Dispose the result after the operation; call <see cref="DailyUnits.Keep"/> once it was accepted, so a
    /// failed operation gives its units back.
    /// </summary>
    public async Task<DailyUnits> ConsumeDailyAsync(Guid userId, PlanLimit limit, CancellationToken ct, int units = 1)
    {
        if (!limit.IsDaily) throw new ArgumentOutOfRangeException(nameof(limit), limit.Name, "not a daily limit");
        int allowed;
        await using (var session = store.QuerySession())
            allowed = (await LimitsOfAsync(session, userId, ct)).Limits.ValueOf(limit);
        var now = clock.GetUtcNow();
        var key = daily.KeyOf(userId, limit, now);
        var (taken, used) = await daily.TryTakeAsync(key, units, allowed, now);
        if (!taken)
            throw PlanProblems.DailyExceeded(limit, allowed, DailyCounters.ResetsAt(now), now,
                units == 1
                    ? $"You have used today's {allowed} {limit.Name.Replace("_per_day", "", StringComparison.Ordinal)}."
                    : $"This needs {units} of today's {allowed} {limit.Name.Replace("_per_day", "", StringComparison.Ordinal)} and {used} are used.");
        return new DailyUnits(() => daily.RefundAsync(key, units), logger);
    }

    /// <summary>What the user has used of every limit, and each limit, for GET /api/account/usage.</summary>
    public async Task<PlanUsage> UsageAsync(Guid userId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (tier, limits) = await LimitsOfAsync(session, userId, ct);
        var now = clock.GetUtcNow();
        var resetsAt = DailyCounters.ResetsAt(now);
        var largest = await session.Query<DataSource>().Where(s => s.UserId == userId).OrderByDescending(s => s.SizeBytes)
            .Select(s => s.SizeBytes).Take(1).ToListAsync(ct);
        var usage = new Dictionary<string, LimitUsage>
        {
            [PlanLimit.FileSizeMb.Name] = new(Megabytes(largest.Count == 0 ? 0 : largest[0]), limits.FileSizeMb, null),
            [PlanLimit.Sources.Name] = new(await CountSourcesAsync(session, userId, ct), limits.Sources, null),
            [PlanLimit.StoredMb.Name] = new(Megabytes(await StoredBytesAsync(session, userId, ct)), limits.StoredMb, null),
            [PlanLimit.Charts.Name] = new(await CountChartsAsync(session, userId, ct), limits.Charts, null),
        };
        foreach (var limit in PlanLimit.All.Where(l => l.IsDaily))
            usage[limit.Name] = new(await daily.UsedAsync(daily.KeyOf(userId, limit, now)), limits.ValueOf(limit), resetsAt);
        return new PlanUsage(tier, usage);
    }

    /// <summary>The global MAX_FILE_SIZE_MB stays the hard cap: a tier never accepts a larger file than the server does.</summary>
    TierLimits Effective(TierLimits limits) => limits with { FileSizeMb = Math.Min(limits.FileSizeMb, app.MaxFileSizeMb) };

    async Task<(string Tier, TierLimits Limits)> LockAndReadAsync(IDocumentSession session, Guid userId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var lockUser = session.Connection!.CreateCommand();
        lockUser.CommandText = "select pg_advisory_xact_lock(hashtext('chartcraft-plan:' || @user))";
        lockUser.Parameters.AddWithValue("user", userId.ToString("N"));
        await lockUser.ExecuteNonQueryAsync(ct);
        return await LimitsOfAsync(session, userId, ct);
    }

    static Task<int> CountSourcesAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        session.Query<DataSource>().CountAsync(s => s.UserId == userId, ct);

    static Task<int> CountChartsAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        session.Query<Chart>().CountAsync(c => c.UserId == userId, ct);

    /// <summary>Every file the user keeps: each source's current file and its kept previous versions.</summary>
    static async Task<long> StoredBytesAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        (await session.Query<DataSource>().Where(s => s.UserId == userId).ToListAsync(ct))
        .Sum(source => source.VersionHistory().Sum(version => version.SizeBytes));

    static double Megabytes(long bytes) => Math.Round(bytes / (double)MiB, 2);
}

/// <summary>One limit in the usage answer: <c>resets_at</c> only for daily limits.</summary>
public sealed record LimitUsage(double Used, int Limit,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ResetsAt);

/// <summary>GET /api/account/usage: the user's tier and every limit with what is used of it.</summary>
public sealed record PlanUsage(string Tier, IReadOnlyDictionary<string, LimitUsage> Limits);
