using Microsoft.Extensions.Caching.Hybrid;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>HybridCache lookups counted as hits or misses in chartcraft_cache_requests_total{cache}.</summary>
public static class CountedCache
{
    /// <summary>
    /// <see cref="HybridCache.GetOrCreateAsync{T}(string, Func{CancellationToken, ValueTask{T}}, HybridCacheEntryOptions?, IEnumerable{string}?, CancellationToken)"/>,
    /// counting a miss when the factory runs (a caller that waited on another's factory counts as a hit: it computed nothing).
    /// </summary>
    public static async ValueTask<T> GetOrCreateCountedAsync<T>(this HybridCache cache, string name, string key,
        Func<CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var computed = false;
        var value = await cache.GetOrCreateAsync(key, async token =>
        {
            computed = true;
            AppMetrics.CacheMiss(name); // counted before the work, so a factory that throws is still a miss
            return await factory(token);
        }, options, cancellationToken: cancellationToken);
        if (!computed) AppMetrics.CacheHit(name);
        return value;
    }
}
