using ChartCraft.Infrastructure.Hosting;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace ChartCraft.Features.Charts;

/// <summary>
/// Writes the live view counts of recently viewed charts from Redis to their <see cref="ChartViews"/> documents, every
/// VIEW_COUNT_FLUSH_SECONDS and once more at shutdown. Totals, not increments, are written, and never lowered: a flush
/// that is retried, or two instances flushing at once, cannot count a view twice or lose one already written.
/// At most the views of the last interval are lost if Redis loses its data before a flush. The views per day
/// (<see cref="ChartDailyViews"/>) are written in the same run, the same way.
/// </summary>
public sealed class ChartViewFlush(ChartViewSettings settings, ChartReads reads, ChartDailyViews daily, IConnectionMultiplexer redis,
    IDocumentStore store, ILogger<ChartViewFlush> logger) : PeriodicJob(settings.FlushInterval, logger)
{
    const int BatchSize = 1000;

    protected override string Name => "View count flush";

    protected override Task RunOnceAsync(CancellationToken ct) => FlushAsync(ct);

    /// <summary>Writes every pending count, totals and days; returns how many rows were written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct) => await FlushTotalsAsync(ct) + await daily.FlushAsync(ct);

    async Task<int> FlushTotalsAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var written = 0;
        while (true)
        {
            var popped = await db.SetPopAsync(reads.DirtyViewsKey, BatchSize);
            if (popped.Length == 0) return written;
            var ids = popped.Select(v => Guid.Parse(v.ToString())).ToArray();
            try
            {
                var totals = await db.StringGetAsync(ids.Select(reads.ViewsKey).ToArray());
                var known = ids.Zip(totals).Where(p => !p.Second.IsNull).ToArray();
                await WriteAsync(known.Select(p => p.First).ToArray(), known.Select(p => (long)p.Second).ToArray(), ct);
                written += known.Length;
            }
            catch (Exception)
            {
                // Put them back for the next run; the totals in Redis are still the truth.
                await db.SetAddAsync(reads.DirtyViewsKey, popped);
                throw;
            }
        }
    }

    async Task WriteAsync(Guid[] ids, long[] totals, CancellationToken ct)
    {
        if (ids.Length == 0) return;
        var table = store.Options.Schema.For<ChartViews>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // One statement for the whole batch; a deleted chart has no row and is skipped.
        await using var update = new NpgsqlCommand($$"""
            update {{table}} as d
               set data = jsonb_set(d.data, '{view_count}', to_jsonb(greatest(coalesce((d.data ->> 'view_count')::bigint, 0), v.total)))
              from unnest(@ids, @totals) as v(id, total)
             where d.id = v.id
            """, connection);
        update.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        update.Parameters.Add(new NpgsqlParameter("totals", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = totals });
        await update.ExecuteNonQueryAsync(ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        // ObjectDisposedException: the host gave up waiting for stop and disposed Redis or the store under us.
        catch (Exception ex) when (ex is NpgsqlException or RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "View counts not flushed at shutdown; the next flush of any instance writes them");
        }
    }
}

/// <summary>VIEW_COUNT_FLUSH_SECONDS (default 5): how often live view counts are written to PostgreSQL.</summary>
public sealed record ChartViewSettings(TimeSpan FlushInterval)
{
    public static ChartViewSettings Load(IConfiguration config) =>
        new(TimeSpan.FromSeconds(Infrastructure.Configuration.SettingValues.Int(config, "VIEW_COUNT_FLUSH_SECONDS", 5, 1, 3600)));
}

/// <summary>After every commit that changed or deleted charts, tells <see cref="ChartReads"/> (and so every instance).</summary>
public sealed class ChartChangeListener(Func<ChartReads> reads) : DocumentSessionListenerBase
{
    public override async Task AfterCommitAsync(IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token)
    {
        var changed = commit.GetEvents().Where(e => e.Data is ChartUpdated or ChartDataRefreshed or ChartDeleted or ChartThumbnailRendered)
            .Select(e => e.StreamId).Distinct().ToList();
        if (changed.Count > 0) await reads().ChangedAsync(changed);
    }
}
