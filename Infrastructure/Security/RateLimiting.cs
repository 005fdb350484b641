using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ChartCraft.Infrastructure.Configuration;
using RedisRateLimiting;
using StackExchange.Redis;

namespace ChartCraft.Infrastructure.Security;

/// <summary>
/// A fixed one-minute window per caller, counted in Redis so every instance shares it, with an
/// in-process window standing in while Redis is unreachable so the API keeps serving.
/// </summary>
/// <remarks>
/// One limiter object per caller lives only while that caller is active: both sets are
/// <see cref="PartitionedRateLimiter"/>s, which drop a partition's limiter once it has been idle for a few seconds
/// (the Redis ones as soon as no request is in flight, since their count is in Redis; the local ones once their window
/// has refilled). Memory therefore follows the callers of the last minute, not every address ever seen.
/// </remarks>
public sealed class RequestRateLimiter : IDisposable
{
    readonly IConnectionMultiplexer _redis;
    readonly ILogger<RequestRateLimiter> _logger;
    readonly PartitionedRateLimiter<string> _shared;
    readonly PartitionedRateLimiter<string> _local;
    DateTime _nextFallbackWarning = DateTime.MinValue;

    /// <summary>The API's limit: RATE_LIMIT_PER_MINUTE per caller.</summary>
    public RequestRateLimiter(IConnectionMultiplexer redis, AppSettings app, RedisSettings redisSettings, ILogger<RequestRateLimiter> logger)
        : this(redis, redisSettings, logger, "rl:", app.RateLimitPerMinute, TimeSpan.FromMinutes(1))
    {
    }

    RequestRateLimiter(IConnectionMultiplexer redis, RedisSettings redisSettings, ILogger<RequestRateLimiter> logger, string name, int limit,
        TimeSpan window)
    {
        _redis = redis;
        _logger = logger;
        Limit = limit;
        _shared = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.Get(partition,
            key => new RedisFixedWindowRateLimiter<string>(redisSettings.KeyPrefix + name + key, new RedisFixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = window,
                ConnectionMultiplexerFactory = () => redis,
            })));
        _local = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));
    }

    /// <summary>
    /// A limiter of its own (<paramref name="name"/> keeps its Redis keys apart, e.g. "rl:password-forgot:"): the same
    /// shared window and the same stand-in while Redis is away, with another limit and window.
    /// </summary>
    public static RequestRateLimiter Create(IServiceProvider services, string name, int limit, TimeSpan window) =>
        new(services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<RedisSettings>(),
            services.GetRequiredService<ILogger<RequestRateLimiter>>(), name, limit, window);

    public int Limit { get; }

    public async ValueTask<RateLimitLease> AcquireAsync(string partition, CancellationToken cancellationToken)
    {
        if (_redis.IsConnected)
        {
            try
            {
                return await _shared.AcquireAsync(partition, 1, cancellationToken);
            }
            catch (Exception ex) when (Persistence.RedisFailures.CanDoWithout(ex))
            {
                WarnFallback(ex);
            }
        }
        else WarnFallback(null);

        var lease = _local.AttemptAcquire(partition);
        return new LocalLease(lease, _local.GetStatistics(partition)?.CurrentAvailablePermits ?? 0);
    }

    public void Dispose()
    {
        _shared.Dispose();
        _local.Dispose();
    }

    /// <summary>The in-process lease, reporting what is left in the window like the Redis one does.</summary>
    sealed class LocalLease(RateLimitLease inner, long remaining) : RateLimitLease
    {
        public override bool IsAcquired => inner.IsAcquired;
        public override IEnumerable<string> MetadataNames => inner.MetadataNames.Append(RateLimitMetadataName.Remaining.Name);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == RateLimitMetadataName.Remaining.Name)
            {
                metadata = remaining;
                return true;
            }
            if (metadataName == RateLimitMetadataName.RetryAfter.Name && inner.TryGetMetadata(MetadataName.RetryAfter, out var wait))
            {
                metadata = (int)Math.Ceiling(wait.TotalSeconds);
                return true;
            }
            return inner.TryGetMetadata(metadataName, out metadata);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
        }
    }

    void WarnFallback(Exception? ex)
    {
        if (DateTime.UtcNow < _nextFallbackWarning) return;
        _nextFallbackWarning = DateTime.UtcNow.AddMinutes(1);
        _logger.LogWarning(ex, "Redis unavailable: rate limiting per instance until it returns");
    }

    /// <summary>Per user when authenticated, else per client address.</summary>
    public static string PartitionFor(HttpContext http) =>
        http.User.FindFirstValue("sub") is { } userId
            ? "user:" + userId
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>Applies <see cref="RequestRateLimiter"/> to API calls and reports X-RateLimit-* headers.</summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RequestRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        // The API and the public embed pages are user traffic; probes, metrics scrapes, static files and CORS
        // preflights are not.
        if (!(path.StartsWithSegments("/api") || path.StartsWithSegments("/embed")) || HttpMethods.IsOptions(http.Request.Method))
        {
            await next(http);
            return;
        }

        using var lease = await limiter.AcquireAsync(RequestRateLimiter.PartitionFor(http), http.RequestAborted);
        var remaining = lease.IsAcquired && lease.TryGetMetadata(RateLimitMetadataName.Remaining.Name, out var r)
            ? Math.Max(0, Convert.ToInt64(r, CultureInfo.InvariantCulture))
            : 0;
        // Set as the response starts: an error turned into Problem Details by the exception handler has had its
        // headers cleared by then, and still must say how much of the budget is left.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers["X-RateLimit-Limit"] = limiter.Limit.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        if (lease.IsAcquired)
        {
            await next(http);
            return;
        }

        var retryAfter = lease.TryGetMetadata(RateLimitMetadataName.RetryAfter.Name, out var seconds)
            ? Math.Max(1, Convert.ToInt32(seconds, CultureInfo.InvariantCulture))
            : 60;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"The limit is {limiter.Limit} requests per minute; retry in {retryAfter} s.");
    }
}
