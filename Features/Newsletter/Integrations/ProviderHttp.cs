using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;
using RedisRateLimiting;
using StackExchange.Redis;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// A provider refused or failed a call. <see cref="Reason"/> is the provider's own message (Mailchimp's
/// problem detail, Kit's errors), never a credential.
/// </summary>
public sealed class ProviderException(string provider, int? statusCode, string reason, Exception? inner = null)
    : Exception($"{NewsletterProviders.DisplayName(provider)}: {reason}", inner)
{
    public string Provider { get; } = provider;
    /// <summary>The HTTP status the provider answered, or null when it could not be reached.</summary>
    public int? StatusCode { get; } = statusCode;
    public string Reason { get; } = reason;

    /// <summary>The credentials were refused: retrying cannot help, the connection needs attention.</summary>
    public bool IsUnauthorized => StatusCode == 401;

    /// <summary>Worth trying again later: rate limited, a server error, a timeout, no answer.</summary>
    public bool IsTransient => StatusCode is null or 408 or 429 or >= 500;
}

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

/// <summary>The HTTP pipeline both provider clients share, and turning answers into JSON or <see cref="ProviderException"/>.</summary>
public static class ProviderHttp
{
    /// <summary>A 429 asking for a longer pause is not waited out inline: the job's own retry policy takes over.</summary>
    public static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(3);
    public const int MaxRetries = 3;

    /// <summary>
    /// Outer to inner: a total budget, retries (429 honouring Retry-After for every method; 5xx, 408 and
    /// network errors only for GET/PUT, which are safe to repeat), the per-account limiter, the per-attempt timeout.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, PartitionedRateLimiter<HttpRequestMessage> limiter,
        TimeSpan retryDelay)
    {
        pipeline.AddTimeout(TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retryDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
        });
        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => limiter.AcquireAsync(args.Context.GetRequestMessage()!, 1, args.Context.CancellationToken),
        });
        pipeline.AddTimeout(AttemptTimeout);
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
            return RetryAfter(limited) is not { } wait || wait <= MaxInlineRetryAfter;
        var idempotent = method == HttpMethod.Get || method == HttpMethod.Put;
        return idempotent && HttpClientResiliencePredicates.IsTransient(outcome);
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>Sends a request and returns its JSON body (null when empty); any non-2xx becomes a <see cref="ProviderException"/>.</summary>
    public static async Task<JsonNode?> SendAsync(HttpClient http, string provider, HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException(provider, null, $"could not be reached ({ex.HttpRequestError})", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ProviderException(provider, null, "did not answer in time", ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new ProviderException(provider, 429, "too many requests queued for this account", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? body = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (JsonException) when (!response.IsSuccessStatusCode)
                {
                    // An HTML error page from a proxy: the status says enough.
                }
            }
            if (response.IsSuccessStatusCode) return body;
            throw new ProviderException(provider, (int)response.StatusCode, ErrorReason(body, response.StatusCode));
        }
    }

    /// <summary>
    /// The provider's words for an error: Mailchimp answers Problem Details ({title, detail}), Kit
    /// {"errors": [..]}, OAuth token endpoints {error, error_description}.
    /// </summary>
    public static string ErrorReason(JsonNode? body, HttpStatusCode status)
    {
        if (body is JsonObject o)
        {
            if (o["errors"] is JsonArray errors && errors.Count > 0)
                return string.Join("; ", errors.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : e?.ToJsonString()));
            var title = Text(o["title"]);
            var detail = Text(o["detail"]);
            if (title is not null || detail is not null)
                return title is not null && detail is not null ? $"{title}: {detail}" : (title ?? detail)!;
            var error = Text(o["error"]);
            var description = Text(o["error_description"]);
            if (error is not null) return description is not null ? $"{error}: {description}" : error;
        }
        return $"HTTP {(int)status} {status}";
    }

    static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    public static HttpRequestMessage Request(HttpMethod method, string url, IntegrationCredentials? account = null, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (account is not null) request.Options.Set(ProviderRateLimits.AccountKey, account.AccountKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }
}
