using ChartCraft.Infrastructure.Configuration;
using StackExchange.Redis;

namespace ChartCraft.Features.Plans;

/// <summary>
/// Per-user counters of the current UTC day in Redis, shared by every instance. A key per user, limit and day
/// (<c>{REDIS_KEY_PREFIX}plan-daily:{limit}:{user}:{yyyyMMdd}</c>) expires an hour after the day ends, so a new day starts
/// from zero without any reset job, and a refund arriving just after midnight still finds yesterday's key.
/// </summary>
public sealed class DailyCounters(IConnectionMultiplexer redis, RedisSettings redisSettings)
{
    // Check and count in one script: Redis runs it alone, so two requests at the edge cannot both pass.
    const string TakeScript = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local units = tonumber(ARGV[1])
        if used + units > tonumber(ARGV[2]) then return {0, used} end
        used = redis.call('INCRBY', KEYS[1], units)
        redis.call('EXPIREAT', KEYS[1], ARGV[3])
        return {1, used}
        """;

    // A refund never takes a counter below zero, nor recreates a key that has expired.
    const string RefundScript = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        if used <= 0 then return 0 end
        return redis.call('DECRBY', KEYS[1], math.min(used, tonumber(ARGV[1])))
        """;

    /// <summary>Where the day of <paramref name="now"/> ends: the moment its counters start again from zero.</summary>
    public static DateTimeOffset ResetsAt(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    public RedisKey KeyOf(Guid userId, PlanLimit limit, DateTimeOffset now) =>
        $"{redisSettings.KeyPrefix}plan-daily:{limit.Name}:{userId:N}:{now.UtcDateTime:yyyyMMdd}";

    /// <summary>Counts <paramref name="units"/> if they fit under <paramref name="limit"/>; the count after (or as it stays).</summary>
    public async Task<(bool Taken, long Used)> TryTakeAsync(RedisKey key, int units, int limit, DateTimeOffset now)
    {
        var expiresAt = ResetsAt(now).AddHours(1).ToUnixTimeSeconds();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TakeScript, [key], [units, limit, expiresAt]))!;
        return ((long)result[0] == 1, (long)result[1]);
    }

    public Task RefundAsync(RedisKey key, int units) => redis.GetDatabase().ScriptEvaluateAsync(RefundScript, [key], [units]);

    public async Task<long> UsedAsync(RedisKey key) => (long?)await redis.GetDatabase().StringGetAsync(key) ?? 0;
}

/// <summary>
/// Daily units taken for an operation that may still fail. Disposed without <see cref="Keep"/> (the operation threw or
/// was refused later) they are given back, so only operations that were accepted count.
/// </summary>
public sealed class DailyUnits(Func<Task> refund, ILogger logger) : IAsyncDisposable
{
    bool _kept;

    /// <summary>The operation was accepted: the units stay counted.</summary>
    public void Keep() => _kept = true;

    public async ValueTask DisposeAsync()
    {
        if (_kept) return;
        _kept = true;
        try
        {
            await refund();
        }
        catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
        {
            // Not worth failing the response over: the user loses a unit until midnight.
            logger.LogWarning(ex, "Could not give back a daily plan unit after a failed operation");
        }
    }
}
