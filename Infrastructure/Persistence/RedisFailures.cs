using StackExchange.Redis;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>
/// What counts as "Redis cannot answer now", for the features that fall back to PostgreSQL or to local state. A
/// timeout is a <see cref="RedisTimeoutException"/>, which is not a <see cref="RedisException"/>; a Redis that is still
/// loading its append-only file answers with a server error (LOADING) for a moment after it starts.
/// </summary>
public static class RedisFailures
{
    public static bool IsOutage(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException || IsTransientServerError(exception);

    /// <summary>Any failure to get an answer from Redis, outages included: for callers that can do without it.</summary>
    public static bool CanDoWithout(Exception exception) => exception is RedisException or RedisTimeoutException;

    /// <summary>LOADING (reading its data set after a restart) and BUSY (a long script): Redis is there but cannot answer yet.</summary>
    static bool IsTransientServerError(Exception exception) =>
        exception is RedisServerException server &&
        (server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("BUSY", StringComparison.Ordinal));
}
