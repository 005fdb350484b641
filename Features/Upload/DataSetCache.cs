using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Upload;

/// <summary>
/// Parsed data sets for the read path (preview, analysis, charts, exports). A file is parsed once and
/// kept in memory, bounded by DATASET_CACHE_MB; after eviction or on another instance it is read back
/// from blob storage with the same encoding, delimiter and sheet it was uploaded with.
/// </summary>
/// <remarks>
/// A least-recently-used list by estimated bytes, under one lock. Not <c>MemoryCache</c>: with a SizeLimit it refuses
/// an entry that does not fit and compacts only down to 95 % of the limit, so with sets of ~70 MiB under 256 MiB the
/// fourth and every later set was never admitted (STACK-NOTES, 2026-12-03). Here the newest set always gets in,
/// evicting the least recently used ones until it fits; only a set larger than the whole limit is served without
/// being kept. The cache holds a handful of entries, so a lock around a dictionary and a linked list costs nothing
/// next to a parse (0.25–0.5 s), and its behaviour can be read in one screen.
/// </remarks>
public sealed class DataSetCache
{
    // Sliding: a set nobody has read for an hour gives its memory back even when nothing newer needs the room.
    internal static readonly TimeSpan SlidingExpiry = TimeSpan.FromHours(1);
    // Parsing is CPU and memory heavy: at most two loads at a time, whatever the number of sources missed.
    const int ParallelLoads = 2;

    readonly IBlobStorage _storage;
    readonly AppSettings _app;
    readonly TimeProvider _clock;
    readonly ILogger _logger;
    readonly long _limitBytes;
    readonly SemaphoreSlim _loading = new(ParallelLoads);

    readonly Lock _gate = new();
    readonly Dictionary<Guid, LinkedListNode<Entry>> _entries = [];
    readonly LinkedList<Entry> _recency = []; // most recently used first, so expired entries are a tail
    readonly Dictionary<Guid, Load> _loads = []; // one load per source; concurrent misses wait for it
    long _bytes, _hits, _misses, _loadCount, _evictions, _notKept;

    public DataSetCache(IBlobStorage storage, AppSettings app, TimeProvider clock, ILogger<DataSetCache> logger)
        : this(storage, app, app.DataSetCacheBytes, clock, logger) { }

    /// <summary>With a limit in bytes, so tests can fill a cache with small sets.</summary>
    internal DataSetCache(IBlobStorage storage, AppSettings app, long limitBytes, TimeProvider clock, ILogger logger)
    {
        _storage = storage;
        _app = app;
        _limitBytes = limitBytes;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>
    /// Keeps a set just parsed (an upload, or a source's new version), evicting the least recently used sets if needed.
    /// Entries carry the source's version: a lookup with a newer version misses (on every instance, since the version
    /// comes from the source document), so a replaced file is never served from memory.
    /// </summary>
    public void Put(Guid sourceId, DataSet data, int version = 1)
    {
        var bytes = SizeOf(data);
        bool kept;
        lock (_gate)
        {
            DropExpired(_clock.GetUtcNow());
            kept = Admit(sourceId, version, data, bytes);
        }
        if (!kept) LogNotKept(sourceId, bytes);
    }

    /// <summary>
    /// Forgets a deleted source. A load of it still in flight is detached, so it cannot put the set back when it ends.
    /// (A load that starts after this finds the stored file gone: DeleteSource deletes the file first.)
    /// </summary>
    public void Remove(Guid sourceId)
    {
        lock (_gate)
        {
            if (_entries.Remove(sourceId, out var node)) Unlink(node);
            _loads.Remove(sourceId);
        }
    }

    public async Task<DataSet> GetAsync(DataSource source, CancellationToken ct)
    {
        Load? load;
        var starts = false;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            DropExpired(now);
            if (_entries.TryGetValue(source.Id, out var node) && node.Value.Version == source.Version)
            {
                node.Value.LastUsed = now;
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                AppMetrics.CacheHit("dataset");
                return node.Value.Data;
            }
            _misses++;
            AppMetrics.CacheMiss("dataset");
            if (!_loads.TryGetValue(source.Id, out load) || load.Version != source.Version)
            {
                // A load of another version still running is detached: it serves its own waiters and keeps nothing.
                load = new Load(source.Version);
                _loads[source.Id] = load;
                _loadCount++;
                starts = true;
            }
        }
        // Started outside the lock; the load itself ignores the caller's token, since other requests may be waiting for it.
        if (starts) _ = RunLoadAsync(source, load);
        return await load.Result.Task.WaitAsync(ct);
    }

    /// <summary>Counts and sizes of this instance's cache (the Prometheus series add up every host in the process).</summary>
    public DataSetCacheStats Stats
    {
        get
        {
            lock (_gate) return new DataSetCacheStats(_hits, _misses, _loadCount, _evictions, _notKept, _entries.Count, _bytes, _limitBytes);
        }
    }

    internal bool Contains(Guid sourceId)
    {
        lock (_gate) return _entries.ContainsKey(sourceId);
    }

    /// <summary>Drops the sets unused for longer than the sliding expiry (also done on every lookup).</summary>
    public void DropExpired()
    {
        lock (_gate) DropExpired(_clock.GetUtcNow());
    }

    async Task RunLoadAsync(DataSource source, Load load)
    {
        try
        {
            DataSet data;
            await _loading.WaitAsync();
            try
            {
                data = await LoadAsync(source, CancellationToken.None);
            }
            finally
            {
                _loading.Release();
            }
            var bytes = SizeOf(data);
            var kept = true;
            lock (_gate)
            {
                // Not ours any more: the source was removed (deleted) while it loaded. Serve it, don't keep it.
                if (_loads.TryGetValue(source.Id, out var current) && current == load)
                {
                    _loads.Remove(source.Id);
                    DropExpired(_clock.GetUtcNow());
                    kept = Admit(source.Id, source.Version, data, bytes);
                }
            }
            if (!kept) LogNotKept(source.Id, bytes);
            load.Result.SetResult(data);
        }
        catch (Exception ex)
        {
            // Every waiter sees the failure; the next request tries again.
            lock (_gate)
            {
                if (_loads.TryGetValue(source.Id, out var current) && current == load) _loads.Remove(source.Id);
            }
            load.Result.TrySetException(ex);
        }
    }

    async Task<DataSet> LoadAsync(DataSource source, CancellationToken ct)
    {
        _logger.LogInformation("Reloading data source {DataSourceId} from storage", source.Id);
        var temp = Path.Combine(Path.GetTempPath(), $"chartcraft-reload-{Guid.NewGuid():N}");
        try
        {
            await using (var stored = await _storage.OpenReadAsync(source.StorageKey, ct)
                                      ?? throw new InvalidOperationException($"Stored file of data source {source.Id} is missing"))
            await using (var file = File.Create(temp))
                await stored.CopyToAsync(file, ct);
            var parsed = DataFileReader.Read(temp, source.FileName, source.Sheet,
                DataFileLimits.ForMaxFileBytes(Math.Max(source.SizeBytes, _app.MaxFileSizeBytes)),
                new TextFormat(source.Encoding, source.Delimiter));
            return parsed.Data;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    // Walks every cell: computed before taking the lock.
    static long SizeOf(DataSet data) => Math.Max(1, data.EstimatedBytes);

    /// <summary>Under the lock. False when the set alone is larger than the limit: it is not kept and nothing is evicted for it.</summary>
    bool Admit(Guid sourceId, int version, DataSet data, long bytes)
    {
        // A reader holding an older copy of the source document must not push out the newer version's set.
        if (_entries.TryGetValue(sourceId, out var newer) && newer.Value.Version > version) return true;
        if (_entries.Remove(sourceId, out var previous)) Unlink(previous);
        if (bytes > _limitBytes)
        {
            _notKept++;
            AppMetrics.DataSetCacheNotKept.Inc();
            return false;
        }
        while (_bytes + bytes > _limitBytes) Evict(_recency.Last!, "size");
        _entries[sourceId] = _recency.AddFirst(new Entry(sourceId, version, data, bytes, _clock.GetUtcNow()));
        _bytes += bytes;
        return true;
    }

    void DropExpired(DateTimeOffset now)
    {
        while (_recency.Last is { } oldest && now - oldest.Value.LastUsed >= SlidingExpiry) Evict(oldest, "expired");
    }

    void Evict(LinkedListNode<Entry> node, string reason)
    {
        _entries.Remove(node.Value.SourceId);
        Unlink(node);
        _evictions++;
        AppMetrics.DataSetCacheEvictions.WithLabels(reason).Inc();
    }

    void Unlink(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _bytes -= node.Value.Bytes;
    }

    void LogNotKept(Guid sourceId, long bytes) =>
        _logger.LogWarning("Data source {DataSourceId} takes {Bytes} bytes in memory, more than DATASET_CACHE_MB ({Limit} bytes): served, not cached",
            sourceId, bytes, _limitBytes);

    sealed class Entry(Guid sourceId, int version, DataSet data, long bytes, DateTimeOffset lastUsed)
    {
        public Guid SourceId { get; } = sourceId;
        public int Version { get; } = version;
        public DataSet Data { get; } = data;
        public long Bytes { get; } = bytes;
        public DateTimeOffset LastUsed { get; set; } = lastUsed;
    }

    sealed class Load(int version)
    {
        public int Version { get; } = version;
        // Continuations run elsewhere: the loader must not run every waiter's request on its own thread.
        public TaskCompletionSource<DataSet> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What one <see cref="DataSetCache"/> has done and holds.</summary>
/// <param name="Misses">Lookups not served from memory, including those that waited for another request's load.</param>
/// <param name="Loads">Loads from storage started (one per source however many misses wait for it).</param>
/// <param name="NotKept">Sets served but not kept because one alone exceeds the limit.</param>
public sealed record DataSetCacheStats(long Hits, long Misses, long Loads, long Evictions, long NotKept, int Entries, long Bytes, long LimitBytes)
{
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}

/// <summary>chartcraft_dataset_cache_bytes, _entries and _limit_bytes of this instance, set when /metrics is collected.</summary>
public sealed class DataSetCacheGauge(DataSetCache cache) : IScrapeTimeGauge
{
    public Task RefreshAsync(CancellationToken ct)
    {
        // A scrape also gives back the memory of sets that expired while nobody asked for any.
        cache.DropExpired();
        var stats = cache.Stats;
        AppMetrics.DataSetCacheBytes.Set(stats.Bytes);
        AppMetrics.DataSetCacheEntries.Set(stats.Entries);
        AppMetrics.DataSetCacheLimitBytes.Set(stats.LimitBytes);
        return Task.CompletedTask;
    }
}
