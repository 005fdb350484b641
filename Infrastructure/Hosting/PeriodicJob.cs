namespace ChartCraft.Infrastructure.Hosting;

/// <summary>
/// Runs <see cref="RunOnceAsync"/> every <paramref name="interval"/> on every instance (so the work must be
/// idempotent): for work each instance does for itself (re-warming its caches, flushing what it counted). Work to be
/// done once for the whole cluster is a <see cref="OncePerIntervalJob"/>. A failed run is logged and the next tick
/// tries again: a database away for a moment stops nothing.
/// </summary>
public abstract class PeriodicJob(TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>What the job is, for the log ("File cleanup").</summary>
    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // An outage of PostgreSQL, Redis or storage is reported by /health/ready; only other failures are errors.
                var level = Errors.ProblemExceptionHandler.UnavailableDependency(ex) is null ? LogLevel.Error : LogLevel.Warning;
                logger.Log(level, ex, "{Job} failed; it runs again in {Interval}", Name, interval);
            }
        }
    }
}
