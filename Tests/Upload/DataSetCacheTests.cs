using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// The parsed-data-set cache on its own: real parsing of generated CSVs read from an in-memory storage that counts
/// (and can hold) every read, under limits measured in data sets, so the tests keep their meaning when the in-memory
/// layout of a data set changes.
/// </summary>
public sealed class DataSetCacheTests(ITestOutputHelper output)
{
    static readonly AppSettings App = new(false, [], 50, 100_000, "http://localhost", "http://localhost");

    readonly CountingStorage _storage = new();
    readonly ManualClock _clock = new();

    DataSetCache Cache(long limitBytes) => new(_storage, App, limitBytes, _clock, NullLogger.Instance);

    /// <summary>A stored CSV of <paramref name="rows"/> rows; every source of one row count has the same size in memory.</summary>
    DataSource Source(int rows = 400)
    {
        var id = Guid.NewGuid();
        var seed = id.GetHashCode() & 0xFFFF;
        var csv = new StringBuilder("day,region,amount,units\n");
        string[] regions = ["Nord", "Sued", "West", "Ostl"];
        for (var r = 0; r < rows; r++)
            csv.Append($"{new DateTime(2024, 1, 1).AddDays(r % 365):yyyy-MM-dd},{regions[(r + seed) % 4]},{10000 + (r * 37 + seed) % 90000}.25,{100 + (r + seed) % 900}\n");
        var source = new DataSource { Id = id, FileName = "data.csv", StorageKey = $"uploads/{id:N}.csv" };
        _storage.Files[source.StorageKey] = Encoding.UTF8.GetBytes(csv.ToString());
        source.SizeBytes = _storage.Files[source.StorageKey].Length;
        return source;
    }

    /// <summary>A stored file, as UTF-8 bytes, whose upload recorded the given encoding and separator.</summary>
    DataSource StoredText(string text, string? encoding = "utf-8", string? delimiter = ",")
    {
        var id = Guid.NewGuid();
        var source = new DataSource
        {
            Id = id, FileName = "data.csv", StorageKey = $"uploads/{id:N}.csv", Encoding = encoding, Delimiter = delimiter,
        };
        _storage.Files[source.StorageKey] = Encoding.UTF8.GetBytes(text);
        source.SizeBytes = _storage.Files[source.StorageKey].Length;
        return source;
    }

    /// <summary>Bytes one set of these sources takes in the cache (the largest, should they differ).</summary>
    async Task<long> SizeInMemoryAsync(params DataSource[] sources)
    {
        var roomy = Cache(long.MaxValue);
        long largest = 0;
        foreach (var source in sources)
        {
            var before = roomy.Stats.Bytes;
            await roomy.GetAsync(source, CancellationToken.None);
            largest = Math.Max(largest, roomy.Stats.Bytes - before);
        }
        _storage.ResetCounts();
        return largest;
    }

    [Fact]
    public async Task with_room_for_two_and_a_half_sets_the_most_recent_of_six_is_always_served_from_memory()
    {
        var sources = Enumerable.Range(0, 6).Select(_ => Source()).ToArray();
        var setBytes = await SizeInMemoryAsync(sources);
        var cache = Cache(setBytes * 5 / 2);

        for (var i = 0; i < sources.Length; i++)
        {
            var loaded = await cache.GetAsync(sources[i], CancellationToken.None);
            cache.Contains(sources[i].Id).ShouldBeTrue($"set {i + 1} was not admitted");
            // The next requests on the newest set (suggestions, create, export) do not parse it again.
            for (var again = 0; again < 3; again++)
                (await cache.GetAsync(sources[i], CancellationToken.None)).ShouldBeSameAs(loaded);
            _storage.Opens(sources[i]).ShouldBe(1);
            if (i > 0) cache.Contains(sources[i - 1].Id).ShouldBeTrue("the previous set was evicted although two fit");
            cache.Stats.Bytes.ShouldBeLessThanOrEqualTo(cache.Stats.LimitBytes);
        }

        var stats = cache.Stats;
        stats.Entries.ShouldBe(2);
        stats.Loads.ShouldBe(6);
        stats.Evictions.ShouldBe(4);
        stats.Hits.ShouldBe(18);
        stats.Misses.ShouldBe(6);
        // The oldest sets were the ones to go; asking for one again reloads it and evicts the least recent.
        await cache.GetAsync(sources[0], CancellationToken.None);
        _storage.Opens(sources[0]).ShouldBe(2);
        cache.Contains(sources[4].Id).ShouldBeFalse();
        cache.Contains(sources[5].Id).ShouldBeTrue();
    }

    [Fact]
    public async Task a_reload_reads_the_file_with_the_encoding_and_separator_of_its_upload_not_a_fresh_guess()
    {
        // Valid UTF-8 bytes that the upload read as Windows-1252 (as an earlier detection could have): the charts were
        // made from "ZÃ¼rich", so a reload after an eviction or on another instance must give that table again.
        var source = StoredText("Ort;Anteil\nZürich;1,5\nCafé;2,25\n", encoding: "windows-1252", delimiter: ";");

        var data = await Cache(long.MaxValue).GetAsync(source, CancellationToken.None);

        data.Find("Ort")!.Raw.ToArray().ShouldBe(["ZÃ¼rich", "CafÃ©"]);
        data.Find("Anteil")!.Numbers.ShouldBe([1.5, 2.25]);
    }

    [Fact]
    public async Task a_reload_splits_the_rows_at_the_separator_of_the_upload_where_another_splits_them_as_evenly()
    {
        var source = StoredText("Ort;Wert, CHF\nZürich;1, 5\nBern;2, 25\n", delimiter: ";");

        var data = await Cache(long.MaxValue).GetAsync(source, CancellationToken.None);

        data.Columns.Select(c => c.Name).ShouldBe(["Ort", "Wert, CHF"]);
    }

    [Fact]
    public async Task an_uploaded_set_is_kept_even_when_the_cache_is_full()
    {
        var sources = Enumerable.Range(0, 6).Select(_ => Source()).ToArray();
        var setBytes = await SizeInMemoryAsync(sources);
        var parsed = Cache(long.MaxValue);
        var cache = Cache(setBytes * 5 / 2);

        foreach (var source in sources)
        {
            // What the upload endpoint does with the set it has just parsed.
            cache.Put(source.Id, await parsed.GetAsync(source, CancellationToken.None));
            await cache.GetAsync(source, CancellationToken.None);
        }

        cache.Stats.Loads.ShouldBe(0);
        cache.Stats.Hits.ShouldBe(6);
        cache.Stats.Entries.ShouldBe(2);
    }

    [Fact]
    public async Task concurrent_misses_for_one_source_wait_for_a_single_load()
    {
        var source = Source();
        var cache = Cache(long.MaxValue);
        _storage.Hold();

        var requests = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetAsync(source, CancellationToken.None))).ToArray();
        await _storage.WaitForReadsInProgressAsync(1);
        await Task.Delay(100); // time for any request that would start a second load to do so
        _storage.Release();
        var sets = await Task.WhenAll(requests);

        _storage.Opens(source).ShouldBe(1);
        sets.ShouldAllBe(set => ReferenceEquals(set, sets[0]));
        cache.Stats.Loads.ShouldBe(1);
        cache.Stats.Misses.ShouldBe(20);
    }

    [Fact]
    public async Task different_sources_load_side_by_side_but_at_most_two_at_a_time()
    {
        var sources = Enumerable.Range(0, 5).Select(_ => Source()).ToArray();
        var cache = Cache(long.MaxValue);
        _storage.Hold();

        var requests = sources.Select(s => Task.Run(() => cache.GetAsync(s, CancellationToken.None))).ToArray();
        await _storage.WaitForReadsInProgressAsync(2);
        await Task.Delay(100);
        _storage.ReadsInProgress.ShouldBe(2);
        _storage.Release();
        await Task.WhenAll(requests);

        _storage.MaxReadsInProgress.ShouldBe(2);
        cache.Stats.Entries.ShouldBe(5);
    }

    [Fact]
    public async Task a_caller_that_gives_up_does_not_cancel_the_load_others_wait_for()
    {
        var source = Source();
        var cache = Cache(long.MaxValue);
        _storage.Hold();
        using var impatient = new CancellationTokenSource();

        var first = cache.GetAsync(source, impatient.Token);
        var second = cache.GetAsync(source, CancellationToken.None);
        await _storage.WaitForReadsInProgressAsync(1);
        await impatient.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(first);
        _storage.Release();

        (await second).RowCount.ShouldBe(400);
        cache.Contains(source.Id).ShouldBeTrue();
        _storage.Opens(source).ShouldBe(1);
    }

    [Fact]
    public async Task a_set_larger_than_the_whole_cache_is_served_but_not_kept_and_evicts_nothing()
    {
        var (small1, small2, huge) = (Source(), Source(), Source(rows: 4000));
        var smallBytes = await SizeInMemoryAsync(small1, small2);
        var cache = Cache(smallBytes * 3);
        await cache.GetAsync(small1, CancellationToken.None);
        await cache.GetAsync(small2, CancellationToken.None);

        (await cache.GetAsync(huge, CancellationToken.None)).RowCount.ShouldBe(4000);
        (await cache.GetAsync(huge, CancellationToken.None)).RowCount.ShouldBe(4000);

        cache.Contains(huge.Id).ShouldBeFalse();
        cache.Contains(small1.Id).ShouldBeTrue();
        cache.Contains(small2.Id).ShouldBeTrue();
        var stats = cache.Stats;
        (stats.Evictions, stats.NotKept, stats.Entries).ShouldBe((0L, 2L, 2));
        _storage.Opens(huge).ShouldBe(2);
    }

    [Fact]
    public async Task a_failed_load_reaches_every_waiter_and_the_next_request_tries_again()
    {
        var source = Source();
        var cache = Cache(long.MaxValue);
        var stored = _storage.Files[source.StorageKey];
        _storage.Files.TryRemove(source.StorageKey, out _);

        await Should.ThrowAsync<InvalidOperationException>(cache.GetAsync(source, CancellationToken.None));
        _storage.Files[source.StorageKey] = stored;
        (await cache.GetAsync(source, CancellationToken.None)).RowCount.ShouldBe(400);
        cache.Contains(source.Id).ShouldBeTrue();
    }

    [Fact]
    public async Task a_set_unused_for_an_hour_expires_and_one_in_use_does_not()
    {
        var (idle, busy) = (Source(), Source());
        var cache = Cache(long.MaxValue);
        await cache.GetAsync(idle, CancellationToken.None);
        await cache.GetAsync(busy, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(40));
            await cache.GetAsync(busy, CancellationToken.None);
        }

        cache.Contains(idle.Id).ShouldBeFalse();
        cache.Contains(busy.Id).ShouldBeTrue();
        _storage.Opens(busy).ShouldBe(1);
        cache.Stats.Evictions.ShouldBe(1);
        // Nothing asked for anything for an hour: a scrape gives the memory back.
        _clock.Advance(TimeSpan.FromMinutes(61));
        await new DataSetCacheGauge(cache).RefreshAsync(CancellationToken.None);
        cache.Stats.Entries.ShouldBe(0);
    }

    [Fact]
    public async Task removing_a_source_drops_its_set()
    {
        var source = Source();
        var cache = Cache(long.MaxValue);
        await cache.GetAsync(source, CancellationToken.None);

        cache.Remove(source.Id);

        cache.Contains(source.Id).ShouldBeFalse();
        (cache.Stats.Entries, cache.Stats.Bytes).ShouldBe((0, 0L));
    }

    [Fact]
    public async Task a_load_in_flight_when_its_source_is_deleted_is_served_but_not_put_back()
    {
        var source = Source();
        var cache = Cache(long.MaxValue);
        _storage.Hold();

        var racing = cache.GetAsync(source, CancellationToken.None);
        await _storage.WaitForReadsInProgressAsync(1);
        // DeleteSource: the file goes, then the cache entry.
        _storage.Files.TryRemove(source.StorageKey, out _);
        cache.Remove(source.Id);
        _storage.Release();

        (await racing).RowCount.ShouldBe(400);
        cache.Contains(source.Id).ShouldBeFalse();
        (cache.Stats.Entries, cache.Stats.Bytes).ShouldBe((0, 0L));
        // A request that still holds the deleted document finds no file, and nothing is cached.
        await Should.ThrowAsync<InvalidOperationException>(cache.GetAsync(source, CancellationToken.None));
        cache.Contains(source.Id).ShouldBeFalse();
    }

    [Fact]
    public async Task users_working_on_recent_sources_are_served_from_memory_more_than_80_percent_of_the_time()
    {
        // The default 256 MiB holds three and a half 70 MiB sets (a 9 MB CSV): the same ratio, scaled down.
        var sources = Enumerable.Range(0, 10).Select(_ => Source()).ToArray();
        var setBytes = await SizeInMemoryAsync(sources);
        var parsed = Cache(long.MaxValue);
        foreach (var source in sources) await parsed.GetAsync(source, CancellationToken.None);
        var cache = Cache(setBytes * 256 / 70);

        var (requests, sessions) = await WorkingSetAsync(cache, parsed, sources, new Random(20261203));
        var stats = cache.Stats;
        output.WriteLine($"{sessions} sessions, {requests} requests over {sources.Length} sources, room for {stats.LimitBytes / setBytes} sets: " +
                         $"hit ratio {stats.HitRatio:P1} ({stats.Hits} hits, {stats.Misses} misses, {stats.Loads} loads, {stats.Evictions} evictions)");
        stats.HitRatio.ShouldBeGreaterThan(0.8);
        stats.Misses.ShouldBe(stats.Loads); // one request at a time here
    }

    /// <summary>
    /// Users upload a source now and then and work in sessions (preview, suggestions, a chart or two, an export: 2–6
    /// reads of one source). Which source a session opens follows a Zipf law (s = 1.2) over how recently each was
    /// worked on: mostly the last one or two, sometimes an older one.
    /// </summary>
    static async Task<(int Requests, int Sessions)> WorkingSetAsync(DataSetCache cache, DataSetCache parsed, DataSource[] sources, Random random)
    {
        var recency = new List<DataSource>();
        var requests = 0;
        var sessions = 0;
        foreach (var upload in sources)
        {
            cache.Put(upload.Id, await parsed.GetAsync(upload, CancellationToken.None));
            recency.Insert(0, upload);
            for (var s = 0; s < 30; s++, sessions++)
            {
                var weights = recency.Select((_, rank) => 1 / Math.Pow(rank + 1, 1.2)).ToArray();
                var pick = random.NextDouble() * weights.Sum();
                var rank = 0;
                while (rank < weights.Length - 1 && (pick -= weights[rank]) > 0) rank++;
                var source = recency[rank];
                recency.RemoveAt(rank);
                recency.Insert(0, source);
                var reads = random.Next(2, 7);
                for (var r = 0; r < reads; r++, requests++) await cache.GetAsync(source, CancellationToken.None);
            }
        }
        return (requests, sessions);
    }
}
