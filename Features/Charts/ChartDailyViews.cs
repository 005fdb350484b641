using System.Security.Cryptography;
using System.Text;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace ChartCraft.Features.Charts;

/// <summary>
/// Views of a public chart per UTC day (the public chart API and the embed page), and how many different visitors made
/// them. Counted in Redis like the total (<see cref="ChartReads"/>): an exact INCR per chart and day, and a HyperLogLog of
/// visitors; <see cref="ChartViewFlush"/> writes both to <see cref="ChartDayViews"/> with the totals. A visitor is a
/// keyed hash of the client address and user agent under a random salt of the day, shared by every instance through
/// Redis and expiring with the day: a visitor is recognised within a day, never across days, and no address is stored.
/// </summary>
public sealed class ChartDailyViews(IDocumentStore store, IConnectionMultiplexer redis, RedisSettings redisSettings, TimeProvider clock,
    ILogger<ChartDailyViews> logger)
{
    const int BatchSize = 1000;
    /// <summary>Outlives any unflushed count (flushes run every few seconds), and keeps yesterday live past midnight.</summary>
    static readonly TimeSpan DayKeysLifetime = TimeSpan.FromDays(3);
    /// <summary>How long an instance reuses the day's salt before asking Redis again (Redis may have lost it).</summary>
    static readonly TimeSpan SaltReuse = TimeSpan.FromMinutes(1);

    readonly string _prefix = redisSettings.KeyPrefix;
    volatile DaySalt? _salt;

    sealed record DaySalt(DateOnly Day, byte[] Salt, DateTimeOffset FetchedAt);

    public RedisKey DirtyKey => _prefix + "chart-day-views-dirty";
    public RedisKey ViewsKey(Guid chartId, DateOnly day) => $"{_prefix}chart-day-views:{{{chartId}}}:{day:yyyyMMdd}";
    public RedisKey VisitorsKey(Guid chartId, DateOnly day) => $"{_prefix}chart-day-visitors:{{{chartId}}}:{day:yyyyMMdd}";
    public RedisKey SaltKey(DateOnly day) => $"{_prefix}view-salt:{day:yyyyMMdd}";

    /// <summary>The current UTC day.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    // KEYS: views, visitors, dirty set. ARGV: visitor hash, ttl, dirty member. Returns the day's view count.
    const string CountScript = """
        local n = redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('PFADD', KEYS[2], ARGV[1]); redis.call('EXPIRE', KEYS[2], ARGV[2])
        redis.call('SADD', KEYS[3], ARGV[3])
        return n
        """;

    // KEYS: salt. ARGV: a new random salt, unix time it expires. The first instance to ask creates the day's salt.
    const string SaltScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EXAT', ARGV[2])
        return redis.call('GET', KEYS[1])
        """;

    /// <summary>Counts one view of a public chart today by the client of <paramref name="http"/>.</summary>
    public async Task CountAsync(Guid chartId, HttpContext http, CancellationToken ct)
    {
        var day = Today;
        try
        {
            var visitor = await VisitorAsync(day, http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                http.Request.Headers.UserAgent.ToString());
            var views = (long)await redis.GetDatabase().ScriptEvaluateAsync(CountScript,
                [ViewsKey(chartId, day), VisitorsKey(chartId, day), DirtyKey],
                [visitor, (long)DayKeysLifetime.TotalSeconds, Member(chartId, day)]);
            // The day's first view since Redis started counting it: resume from what a flush already wrote, if anything
            // (Redis restarted without its data). Added, not set, so views counted meanwhile stay counted.
            if (views == 1 && await DurableAsync(chartId, day, ct) is { Views: > 0 } durable)
                await redis.GetDatabase().StringIncrementAsync(ViewsKey(chartId, day), durable.Views);
        }
        catch (Exception ex) when (RedisFailures.CanDoWithout(ex))
        {
            // The total (ChartReads) falls back to PostgreSQL; the day's figures need Redis and miss this view.
            logger.LogDebug(ex, "Redis unavailable; a view of {ChartId} is not counted in its daily statistics", chartId);
        }
    }

    /// <summary>
    /// The visitor's identity for the day: HMAC-SHA256 of address and user agent under the day's salt, so the stored
    /// HyperLogLog holds neither, and a hash of one day cannot be matched with another day's.
    /// </summary>
    async Task<string> VisitorAsync(DateOnly day, string address, string userAgent)
    {
        var salt = await SaltAsync(day);
        var hash = HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(address + "\n" + userAgent));
        return Convert.ToHexString(hash, 0, 16);
    }

    async Task<byte[]> SaltAsync(DateOnly day)
    {
        var now = clock.GetUtcNow();
        if (_salt is { } known && known.Day == day && now - known.FetchedAt < SaltReuse) return known.Salt;
        var endOfDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var salt = (string)(await redis.GetDatabase().ScriptEvaluateAsync(SaltScript, [SaltKey(day)],
            [Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), endOfDay.AddMinutes(1).ToUnixTimeSeconds()]))!;
        var bytes = Convert.FromBase64String(salt);
        _salt = new DaySalt(day, bytes, now);
        return bytes;
    }

    static string Member(Guid chartId, DateOnly day) => $"{chartId:N}:{day:yyyyMMdd}";

    async Task<ChartDayViews?> DurableAsync(Guid chartId, DateOnly day, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ChartDayViews>(ChartDayViews.IdOf(chartId, day), ct);
    }

    /// <summary>The live counts of these days of a chart that Redis still has (views, unique visitors).</summary>
    public async Task<IReadOnlyDictionary<DateOnly, (long Views, long Visitors)>> LiveAsync(Guid chartId, IReadOnlyList<DateOnly> days)
    {
        var live = new Dictionary<DateOnly, (long, long)>();
        try
        {
            var db = redis.GetDatabase();
            var counts = days.Select(day => (day, views: db.StringGetAsync(ViewsKey(chartId, day)),
                visitors: db.HyperLogLogLengthAsync(VisitorsKey(chartId, day)))).ToList();
            foreach (var (day, views, visitors) in counts)
                if (!(await views).IsNull) live[day] = ((long)await views, await visitors);
        }
        catch (Exception ex) when (RedisFailures.CanDoWithout(ex))
        {
            logger.LogDebug(ex, "Redis unavailable; stored daily views of {ChartId} shown", chartId);
        }
        return live;
    }

    /// <summary>Writes every pending day count to PostgreSQL (totals, never lowered); returns how many were written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var written = 0;
        while (true)
        {
            var popped = await db.SetPopAsync(DirtyKey, BatchSize);
            if (popped.Length == 0) return written;
            try
            {
                var rows = new List<DayCount>(popped.Length);
                var reads = popped.Select(m => Parse(m!)).Select(p => (p.ChartId, p.Day,
                    views: db.StringGetAsync(ViewsKey(p.ChartId, p.Day)), visitors: db.HyperLogLogLengthAsync(VisitorsKey(p.ChartId, p.Day)))).ToList();
                foreach (var (chartId, day, views, visitors) in reads)
                    if (!(await views).IsNull) rows.Add(new DayCount(chartId, day, (long)await views, await visitors));
                await WriteAsync(rows, ct);
                written += rows.Count;
            }
            catch (Exception)
            {
                // Put them back for the next run; the counts in Redis are still the truth.
                await db.SetAddAsync(DirtyKey, popped);
                throw;
            }
        }
    }

    static (Guid ChartId, DateOnly Day) Parse(string member)
    {
        var parts = member.Split(':');
        return (Guid.ParseExact(parts[0], "N"), DateOnly.ParseExact(parts[1], "yyyyMMdd"));
    }

    sealed record DayCount(Guid ChartId, DateOnly Day, long Views, long Visitors);

    async Task WriteAsync(List<DayCount> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var table = store.Options.Schema.For<ChartDayViews>();
        var charts = store.Options.Schema.For<Chart>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // One statement for the batch. The owner comes from the chart, so a deleted chart has no row and is skipped;
        // an existing day keeps the greater of each figure, so a late or repeated flush never lowers one.
        await using var upsert = new NpgsqlCommand($$"""
            insert into {{table}} as d (id, data)
            select v.id, jsonb_build_object('id', v.id, 'chart_id', v.chart_id, 'user_id', c.data -> 'user_id', 'day', v.day,
                                            'views', v.views, 'unique_visitors', v.visitors)
              from unnest(@ids, @charts, @days, @views, @visitors) as v(id, chart_id, day, views, visitors)
              join {{charts}} c on c.id = v.chart_id
            on conflict (id) do update
               set data = d.data
                   || jsonb_build_object('views', greatest((d.data ->> 'views')::bigint, (excluded.data ->> 'views')::bigint),
                                         'unique_visitors', greatest((d.data ->> 'unique_visitors')::bigint, (excluded.data ->> 'unique_visitors')::bigint))
            """, connection);
        upsert.Parameters.Add(Array("ids", NpgsqlDbType.Text, rows.Select(r => ChartDayViews.IdOf(r.ChartId, r.Day)).ToArray()));
        upsert.Parameters.Add(Array("charts", NpgsqlDbType.Uuid, rows.Select(r => r.ChartId).ToArray()));
        upsert.Parameters.Add(Array("days", NpgsqlDbType.Text, rows.Select(r => r.Day.ToString("yyyy-MM-dd")).ToArray()));
        upsert.Parameters.Add(Array("views", NpgsqlDbType.Bigint, rows.Select(r => r.Views).ToArray()));
        upsert.Parameters.Add(Array("visitors", NpgsqlDbType.Bigint, rows.Select(r => r.Visitors).ToArray()));
        await upsert.ExecuteNonQueryAsync(ct);
    }

    static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, T[] values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values };
}

/// <summary>
/// One chart's views on one UTC day, as last flushed from Redis (<see cref="ChartDailyViews"/>). The id names chart and
/// day, so the flush finds the row without a lookup; the owner is kept so an account's data can be found by user.
/// </summary>
public sealed class ChartDayViews : IOwnedDocument
{
    public string Id { get; set; } = "";
    public Guid ChartId { get; set; }
    public Guid UserId { get; set; }
    public DateOnly Day { get; set; }
    public long Views { get; set; }
    public long UniqueVisitors { get; set; }

    public static string IdOf(Guid chartId, DateOnly day) => $"{chartId:N}:{day:yyyy-MM-dd}";
}
