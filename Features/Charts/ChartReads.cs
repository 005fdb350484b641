using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChartCraft.Infrastructure.Configuration;
using Marten.Patching;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace ChartCraft.Features.Charts;

/// <summary>
/// Chart reads from memory, kept correct across instances. Each instance keeps charts it has read in a local cache,
/// each entry stamped with the chart's version token from Redis; a read asks Redis for the token (one round trip,
/// which also counts a public view) and uses the local copy only when the token still matches. Every committed change
/// of a chart (<see cref="ChartChangeListener"/>) writes a new random token, so no instance serves the old copy after.
/// A miss costs one database round trip (the chart, with its durable view count when Redis has none).
/// View counts live in Redis (INCR, exact under concurrency) and are written to PostgreSQL by <see cref="ChartViewFlush"/>.
/// Without Redis every read goes to the database, as before.
/// </summary>
public sealed class ChartReads(IDocumentStore store, IConnectionMultiplexer redis, RedisSettings redisSettings,
    ILogger<ChartReads> logger) : IDisposable
{
    /// <summary>
    /// Bounds staleness if a token write was lost (Redis away at the moment of a change, or restarted without data):
    /// a hot chart is read from the database once per instance per this period, which costs nothing measurable.
    /// </summary>
    static readonly TimeSpan LocalLifetime = TimeSpan.FromMinutes(5);
    /// <summary>Longer than <see cref="LocalLifetime"/>; an expired token is replaced by a new one, which only causes a miss.</summary>
    static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);
    /// <summary>The live count outlives any unflushed increment (flushes run every few seconds).</summary>
    static readonly TimeSpan ViewsLifetime = TimeSpan.FromDays(7);

    // Entries counted, not weighed: a chart's config is capped (2 000 points), so 10 000 entries stay within tens of MiB.
    readonly MemoryCache _local = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    readonly string _prefix = redisSettings.KeyPrefix;
    public RedisKey DirtyViewsKey => _prefix + "chart-views-dirty";

    RedisKey TokenKey(Guid id) => $"{_prefix}chart-version:{{{id}}}";
    public RedisKey ViewsKey(Guid id) => $"{_prefix}chart-views:{{{id}}}";

    // KEYS: token, views, dirty set. ARGV: new token, token ttl, expected token, count a view (1/0), chart id, views ttl.
    // Returns {token, views or nil}. A view is counted only when the caller's copy is current (expected == token): the
    // caller then knows the chart is public without another round trip.
    const string CheckScript = """
        local v = redis.call('GET', KEYS[1])
        if not v then v = ARGV[1]; redis.call('SET', KEYS[1], v, 'EX', ARGV[2]) end
        local n = false
        if redis.call('EXISTS', KEYS[2]) == 1 then
          if ARGV[4] == '1' and v == ARGV[3] then
            n = redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], ARGV[6]); redis.call('SADD', KEYS[3], ARGV[5])
          else
            n = redis.call('GET', KEYS[2])
          end
        end
        return {v, n}
        """;

    // KEYS: views, dirty set. ARGV: durable count, increment, chart id, views ttl. Starts the live count from the
    // durable one when Redis has none (first read, or Redis restarted), then adds the increment.
    const string SeedScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
        local n = redis.call('INCRBY', KEYS[1], ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        if ARGV[2] ~= '0' then redis.call('SADD', KEYS[2], ARGV[3]) end
        return n
        """;

    sealed record Entry(Chart Chart, string Token);

    /// <summary>The caller's chart and its view count; another user's chart is a 404, as a missing one.</summary>
    public async Task<(Chart Chart, long Views)> OwnedAsync(Guid chartId, Guid userId, CancellationToken ct)
    {
        var (chart, views) = await ReadAsync(chartId, countView: false, mustBePublic: false, ct);
        return chart is not null && chart.UserId == userId ? (chart, views) : throw Charts.NotFound(chartId);
    }

    /// <summary>A public chart, counting one view; private or missing is a 404 and counts nothing.</summary>
    public async Task<Chart> ViewPublicAsync(Guid chartId, CancellationToken ct)
    {
        var (chart, _) = await ReadAsync(chartId, countView: true, mustBePublic: true, ct);
        return chart ?? throw Charts.NotFound(chartId);
    }

    /// <summary>A public chart without counting a view (the embed page); private or missing is a 404.</summary>
    public async Task<Chart> PublicAsync(Guid chartId, CancellationToken ct)
    {
        var (chart, _) = await ReadAsync(chartId, countView: false, mustBePublic: true, ct);
        return chart ?? throw Charts.NotFound(chartId);
    }

    async Task<(Chart? Chart, long Views)> ReadAsync(Guid chartId, bool countView, bool mustBePublic, CancellationToken ct)
    {
        var entry = _local.Get<Entry>(chartId);
        RedisResult[] check;
        try
        {
            var expected = entry is not null && (!countView || entry.Chart.IsPublic) ? entry.Token : "";
            check = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(CheckScript,
                [TokenKey(chartId), ViewsKey(chartId), DirtyViewsKey],
                [NewToken(), (long)TokenLifetime.TotalSeconds, expected, countView ? 1 : 0, chartId.ToString(), (long)ViewsLifetime.TotalSeconds]))!;
        }
        catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
        {
            return await ReadWithoutRedisAsync(chartId, countView, mustBePublic, ex, ct);
        }
        var token = (string)check[0]!;
        long? live = check[1].IsNull ? null : (long)check[1];

        Chart? chart;
        long? durable = null;
        var hit = entry is not null && entry.Token == token;
        if (hit) chart = entry!.Chart;
        else
        {
            (chart, durable) = await LoadAsync(chartId, withViews: live is null, ct);
            if (chart is not null) Remember(chart, token);
        }
        if (chart is null || (mustBePublic && !chart.IsPublic)) return (null, 0);

        var counted = countView && hit && live is not null;
        if (live is not null && (counted || !countView)) return (chart, live.Value);
        // The live count is missing (first read since Redis lost it or it expired), or the view is still to be counted.
        durable ??= live is null ? (await LoadAsync(chartId, withViews: true, ct, withChart: false)).Views : 0;
        try
        {
            var views = (long)(await redis.GetDatabase().ScriptEvaluateAsync(SeedScript, [ViewsKey(chartId), DirtyViewsKey],
                [durable.Value, countView ? 1 : 0, chartId.ToString(), (long)ViewsLifetime.TotalSeconds]));
            return (chart, views);
        }
        catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
        {
            logger.LogDebug(ex, "Redis unavailable while counting views of {ChartId}", chartId);
            if (countView) await CountInDatabaseAsync(chartId, ct);
            return (chart, durable.Value + (countView ? 1 : 0));
        }
    }

    /// <summary>The live view counts of these charts, falling back to the durable ones when Redis has none.</summary>
    public async Task<IReadOnlyDictionary<Guid, long>> LiveViewsAsync(IReadOnlyCollection<Guid> chartIds, IReadOnlyDictionary<Guid, long> durable)
    {
        var counts = chartIds.ToDictionary(id => id, id => durable.GetValueOrDefault(id));
        if (chartIds.Count == 0) return counts;
        try
        {
            var ids = chartIds.ToArray();
            var values = await redis.GetDatabase().StringGetAsync(ids.Select(ViewsKey).ToArray());
            for (var i = 0; i < ids.Length; i++)
                if (!values[i].IsNull) counts[ids[i]] = Math.Max(counts[ids[i]], (long)values[i]);
        }
        catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
        {
            logger.LogDebug(ex, "Redis unavailable; durable view counts shown");
        }
        return counts;
    }

    /// <summary>
    /// Marks these charts changed on every instance (a new token) and drops this instance's copies. Called after the
    /// change is committed, so a read that sees the new token also sees the new data.
    /// </summary>
    public async Task ChangedAsync(IReadOnlyCollection<Guid> chartIds)
    {
        foreach (var id in chartIds) _local.Remove(id);
        try
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(chartIds.Select(id => db.StringSetAsync(TokenKey(id), NewToken(), TokenLifetime)));
        }
        catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
        {
            // Other instances may serve their copy until it expires (LocalLifetime).
            logger.LogWarning(ex, "Could not mark {Count} changed chart(s) in Redis; other instances may show them unchanged for up to {Minutes} minutes",
                chartIds.Count, LocalLifetime.TotalMinutes);
        }
    }

    void Remember(Chart chart, string token)
    {
        // The copy is shared by concurrent requests: build every node of the lazily parsed JSON now, so later reads only read.
        Materialize(chart.ChartConfig);
        _local.Set(chart.Id, new Entry(chart, token), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = LocalLifetime });
    }

    static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj) Materialize(value);
                break;
            case JsonArray array:
                foreach (var item in array) Materialize(item);
                break;
        }
    }

    async Task<(Chart? Chart, long? Views)> LoadAsync(Guid chartId, bool withViews, CancellationToken ct, bool withChart = true)
    {
        await using var session = store.QuerySession();
        if (!withViews) return (await session.LoadAsync<Chart>(chartId, ct), null);
        if (!withChart) return (null, (await session.LoadAsync<ChartViews>(chartId, ct))?.ViewCount ?? 0);
        // One round trip for both documents.
        var batch = session.CreateBatchQuery();
        var chart = batch.Load<Chart>(chartId);
        var views = batch.Load<ChartViews>(chartId);
        await batch.Execute(ct);
        return (await chart, (await views)?.ViewCount ?? 0);
    }

    async Task<(Chart? Chart, long Views)> ReadWithoutRedisAsync(Guid chartId, bool countView, bool mustBePublic, Exception ex,
        CancellationToken ct)
    {
        // Tokens cannot be checked, and changes made meanwhile could not be announced: forget every copy.
        logger.LogDebug(ex, "Redis unavailable; chart {ChartId} read from the database", chartId);
        _local.Clear();
        var (chart, views) = await LoadAsync(chartId, withViews: true, ct);
        if (chart is null || (mustBePublic && !chart.IsPublic)) return (null, 0);
        if (countView) await CountInDatabaseAsync(chartId, ct);
        return (chart, views!.Value + (countView ? 1 : 0));
    }

    async Task CountInDatabaseAsync(Guid chartId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Patch<ChartViews>(chartId).Increment(v => v.ViewCount);
        await session.SaveChangesAsync(ct);
    }

    static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public void Dispose() => _local.Dispose();
}
