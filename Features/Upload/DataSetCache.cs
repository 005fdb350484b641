using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace ChartCraft.Features.Upload;

/// <summary>
/// Parsed data sets for the read path (preview, analysis, charts, exports). A file is parsed once and
/// kept in memory, bounded by DATASET_CACHE_MB; after eviction or on another instance it is read back
/// from blob storage with the same encoding, delimiter and sheet it was uploaded with.
/// </summary>
public sealed class DataSetCache(IBlobStorage storage, AppSettings app, ILogger<DataSetCache> logger) : IDisposable
{
    readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = app.DataSetCacheBytes });
    readonly SemaphoreSlim _loading = new(2);

    public void Put(Guid sourceId, DataSet data) =>
        _cache.Set(sourceId, data, new MemoryCacheEntryOptions { Size = Math.Max(1, data.EstimatedBytes), SlidingExpiration = TimeSpan.FromHours(1) });

    public void Remove(Guid sourceId) => _cache.Remove(sourceId);

    public async Task<DataSet> GetAsync(DataSource source, CancellationToken ct)
    {
        if (_cache.TryGetValue(source.Id, out DataSet? cached))
        {
            AppMetrics.CacheHit("dataset");
            return cached!;
        }
        AppMetrics.CacheMiss("dataset");
        // Parsing is CPU and memory heavy: at most two reloads at a time.
        await _loading.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue(source.Id, out cached)) return cached!;
            var data = await LoadAsync(source, ct);
            Put(source.Id, data);
            return data;
        }
        finally
        {
            _loading.Release();
        }
    }

    async Task<DataSet> LoadAsync(DataSource source, CancellationToken ct)
    {
        logger.LogInformation("Reloading data source {DataSourceId} from storage", source.Id);
        var temp = Path.Combine(Path.GetTempPath(), $"chartcraft-reload-{Guid.NewGuid():N}");
        try
        {
            await using (var stored = await storage.OpenReadAsync(source.StorageKey, ct)
                                      ?? throw new InvalidOperationException($"Stored file of data source {source.Id} is missing"))
            await using (var file = File.Create(temp))
                await stored.CopyToAsync(file, ct);
            var parsed = DataFileReader.Read(temp, source.FileName, source.Sheet, DataFileLimits.ForMaxFileBytes(Math.Max(source.SizeBytes, app.MaxFileSizeBytes)));
            return parsed.Data;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _loading.Dispose();
    }
}
