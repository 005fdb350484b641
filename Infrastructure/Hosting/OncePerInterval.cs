using JasperFx;
using Npgsql;

namespace ChartCraft.Infrastructure.Hosting;

/// <summary>
/// The record that one run of a cluster-wide job took one interval: its id is "{job}:{interval}", so the database's
/// primary key lets exactly one instance insert it. Kept a week, for "who ran what when".
/// </summary>
public sealed class ScheduledRun
{
    public string Id { get; set; } = "";
    public string Job { get; set; } = "";
    /// <summary>Intervals counted from the Unix epoch, so every instance numbers them alike.</summary>
    public long Interval { get; set; }
    public DateTimeOffset IntervalStart { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
    /// <summary>Which process ran it (host/pid).</summary>
    public string Instance { get; set; } = "";

    public static string IdFor(string job, long interval) => $"{job}:{interval}";
}

/// <summary>
/// Claims an interval of a job for this instance, in PostgreSQL. Why a row and not an advisory lock: a lock only
/// keeps two runs from overlapping, while an instance whose timer fires later in the same interval would still run it
/// again; the row says "this interval is taken" and the primary key makes the claim atomic. Why PostgreSQL and not
/// Redis (which the integration check used before): these jobs work on PostgreSQL data anyway, so when it is down they
/// cannot run either, whereas a Redis outage let every instance run. Why not Wolverine's scheduled messages: a chain of
/// self-rescheduling messages needs someone to start it exactly once and stops for good if one link is lost.
/// </summary>
public sealed class IntervalClaims(IDocumentStore store, TimeProvider clock)
{
    static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);
    static readonly string ThisInstance = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>True when this instance is the one to run <paramref name="job"/> for <paramref name="interval"/>.</summary>
    public async Task<bool> TryClaimAsync(string job, long interval, TimeSpan period, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Insert(new ScheduledRun
        {
            Id = ScheduledRun.IdFor(job, interval),
            Job = job,
            Interval = interval,
            IntervalStart = DateTimeOffset.FromUnixTimeMilliseconds(interval * (long)period.TotalMilliseconds),
            ClaimedAt = now,
            Instance = ThisInstance,
        });
        // The winner also forgets old claims, in the same transaction: one small delete per interval.
        var forgetBefore = now - KeptFor;
        session.DeleteWhere<ScheduledRun>(r => r.Job == job && r.ClaimedAt < forgetBefore);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception ex) when (IsDuplicate(ex))
        {
            return false; // another instance claimed it first
        }
    }

    static bool IsDuplicate(Exception ex) => ex is DocumentAlreadyExistsException
        || ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || (ex.InnerException is { } inner && IsDuplicate(inner));
}

/// <summary>
/// A job that runs once per interval across the whole cluster, however many instances run it: every instance wakes at
/// each interval boundary (intervals counted from the Unix epoch, so all instances agree), and only the one whose
/// <see cref="IntervalClaims"/> claim succeeds does the work. A claimed run that fails is logged and not retried in
/// that interval; the next one runs again. Each run logs one line (Job, Interval) so runs can be counted in the logs.
/// </summary>
public abstract class OncePerIntervalJob(TimeSpan interval, IntervalClaims claims, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>What the job is, for the log ("File cleanup").</summary>
    protected abstract string Name { get; }

    /// <summary>A stable key for the claim ("file-cleanup"): the same on every instance and every version.</summary>
    protected abstract string Key { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var periodMs = (long)interval.TotalMilliseconds;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Sleep to the next boundary; the interval is named by the boundary, not by when the timer woke.
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var next = now / periodMs + 1;
            await Task.Delay(TimeSpan.FromMilliseconds(next * periodMs - now), clock, stoppingToken);
            await RunIfClaimedAsync(next, stoppingToken);
        }
    }

    async Task RunIfClaimedAsync(long intervalNumber, CancellationToken ct)
    {
        try
        {
            if (!await claims.TryClaimAsync(Key, intervalNumber, interval, ct)) return;
            logger.LogInformation("{Job} runs for interval {Interval} (every {Period}) on this instance", Name, intervalNumber, interval);
            await RunOnceAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be away for a moment: nothing stops, the next interval tries again. An outage is
            // already reported by /health/ready; only other failures are errors.
            var level = Errors.ProblemExceptionHandler.UnavailableDependency(ex) is null ? LogLevel.Error : LogLevel.Warning;
            logger.Log(level, ex, "{Job} failed; it runs again in {Period}", Name, interval);
        }
    }
}
