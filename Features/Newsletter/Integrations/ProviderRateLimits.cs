using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// Per-account limits the providers document: Mailchimp allows 10 simultaneous connections per account,
/// Kit 120 requests per minute per key. Calls over the limit wait their turn rather than fail. Each limit is
/// kept twice: in process (fair queueing among this instance's calls) and, when Redis is given, in Redis, so
/// every instance draws from the one budget the provider grants the account.
/// </summary>
public sealed class ProviderRateLimits : IDisposable
{
    public const int MailchimpConcurrentConnections = 10;
    public const int KitRequestsPerMinute = 120;
    const int QueueLimit = 10_000;

    /// <summary>The account a request is made for (a hash, see <see cref="IntegrationCredentials.AccountKey"/>).</summary>
    public static readonly HttpRequestOptionsKey<string> AccountKey = new("chartcraft.provider_account");

    readonly PartitionedRateLimiter<HttpRequestMessage>[] _owned;

    /// <param name="limits">The limits; <see cref="ProviderLimitOptions.Documented"/> unless a test needs small ones.</param>
    /// <param name="redis">Shares the limits between instances; null keeps them per instance.</param>
    /// <param name="keyPrefix">Prefix of the Redis keys (REDIS_KEY_PREFIX).</param>
    public ProviderRateLimits(ProviderLimitOptions? limits = null, IConnectionMultiplexer? redis = null, string keyPrefix = "",
        ILogger<ProviderRateLimits>? logger = null)
    {
        limits ??= ProviderLimitOptions.Documented;
        var localMailchimp = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            request.Options.TryGetValue(AccountKey, out var account)
                ? RateLimitPartition.GetConcurrencyLimiter(account, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.MailchimpConcurrentConnections,
                    QueueLimit = QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter("unlimited"));
        var localKit = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            request.Options.TryGetValue(AccountKey, out var account)
                ? RateLimitPartition.GetSlidingWindowLimiter(account, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = limits.KitRequests,
                    Window = limits.KitWindow,
                    SegmentsPerWindow = 6,
                    QueueLimit = QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("unlimited"));
        if (redis is null)
        {
            Mailchimp = localMailchimp;
            Kit = localKit;
            _owned = [localMailchimp, localKit];
            return;
        }

        var log = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var sharedMailchimp = new SharedAccountLimiter(redis, log, account => new RedisConcurrencyRateLimiter<string>(
            $"{keyPrefix}provider:mailchimp:{account}",
            new RedisConcurrencyRateLimiterOptions
            {
                PermitLimit = limits.MailchimpConcurrentConnections,
                ConnectionMultiplexerFactory = () => redis,
            }));
        var sharedKit = new SharedAccountLimiter(redis, log, account => new RedisSlidingWindowRateLimiter<string>(
            $"{keyPrefix}provider:kit:{account}",
            new RedisSlidingWindowRateLimiterOptions
            {
                PermitLimit = limits.KitRequests,
                Window = limits.KitWindow,
                ConnectionMultiplexerFactory = () => redis,
            }));
        // In process first: a call waits its turn here before it polls Redis, so one instance never floods the shared count.
        Mailchimp = PartitionedRateLimiter.CreateChained(localMailchimp, sharedMailchimp);
        Kit = PartitionedRateLimiter.CreateChained(localKit, sharedKit);
        _owned = [Mailchimp, Kit, localMailchimp, localKit, sharedMailchimp, sharedKit];
    }

    public PartitionedRateLimiter<HttpRequestMessage> Mailchimp { get; }

    public PartitionedRateLimiter<HttpRequestMessage> Kit { get; }

    public void Dispose()
    {
        foreach (var limiter in _owned) limiter.Dispose();
    }
}

/// <summary>The provider limits: the documented ones in production, small ones in tests.</summary>
public sealed record ProviderLimitOptions(int MailchimpConcurrentConnections, int KitRequests, TimeSpan KitWindow)
{
    public static readonly ProviderLimitOptions Documented =
        new(ProviderRateLimits.MailchimpConcurrentConnections, ProviderRateLimits.KitRequestsPerMinute, TimeSpan.FromMinutes(1));
}

/// <summary>
/// A per-account limit counted in Redis (RedisRateLimiting's scripts). Those answer at once rather than queue
/// across instances, so a call over the limit asks again every <see cref="PollInterval"/> until a permit frees up
/// or its pipeline's timeout cancels it. While Redis is unreachable the call goes ahead: the in-process limit
/// still holds, and a provider 429 is retried anyway.
/// </summary>
sealed class SharedAccountLimiter(IConnectionMultiplexer redis, ILogger logger, Func<string, RateLimiter> create)
    : PartitionedRateLimiter<HttpRequestMessage>
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    readonly ConcurrentDictionary<string, RateLimiter> _accounts = new();
    DateTime _nextWarning = DateTime.MinValue;

    public override RateLimiterStatistics? GetStatistics(HttpRequestMessage resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpRequestMessage resource, int permitCount)
    {
        if (!resource.Options.TryGetValue(ProviderRateLimits.AccountKey, out var account) || !redis.IsConnected) return GrantedLease.Instance;
        try
        {
            return _accounts.GetOrAdd(account, create).AttemptAcquire(permitCount);
        }
        catch (RedisException ex)
        {
            WarnUnshared(ex);
            return GrantedLease.Instance;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpRequestMessage resource, int permitCount,
        CancellationToken cancellationToken)
    {
        if (!resource.Options.TryGetValue(ProviderRateLimits.AccountKey, out var account)) return GrantedLease.Instance;
        var limiter = _accounts.GetOrAdd(account, create);
        while (true)
        {
            if (!redis.IsConnected)
            {
                WarnUnshared(null);
                return GrantedLease.Instance;
            }
            RateLimitLease lease;
            try
            {
                lease = await limiter.AcquireAsync(permitCount, cancellationToken);
            }
            catch (RedisException ex)
            {
                WarnUnshared(ex);
                return GrantedLease.Instance;
            }
            if (lease.IsAcquired) return lease;
            lease.Dispose();
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    void WarnUnshared(Exception? ex)
    {
        if (DateTime.UtcNow < _nextWarning) return;
        _nextWarning = DateTime.UtcNow.AddMinutes(1);
        logger.LogWarning(ex, "Redis unavailable: provider rate limits are counted per instance until it returns");
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var limiter in _accounts.Values) limiter.Dispose();
    }

    sealed class GrantedLease : RateLimitLease
    {
        public static readonly GrantedLease Instance = new();
        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
