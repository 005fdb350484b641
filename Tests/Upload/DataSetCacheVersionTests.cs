using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// The data-set cache and source versions: the version comes from the source document, so an instance that cached an older
/// version misses as soon as the document says newer, and a reader with an older document does not push the newer set out.
/// </summary>
public sealed class DataSetCacheVersionTests
{
    static readonly AppSettings App = new(false, [], 50, 100_000, "http://localhost", "http://localhost");

    readonly CountingStorage _storage = new();

    DataSetCache Cache() => new(_storage, App, long.MaxValue, new ManualClock(), NullLogger.Instance);

    DataSource Version(Guid id, int version, string csv)
    {
        var source = new DataSource { Id = id, Version = version, FileName = "data.csv", StorageKey = $"uploads/{id:N}.v{version}.csv" };
        _storage.Files[source.StorageKey] = Encoding.UTF8.GetBytes(csv);
        source.SizeBytes = csv.Length;
        return source;
    }

    [Fact]
    public async Task a_set_cached_for_version_1_is_not_served_for_version_2_and_an_old_reader_does_not_evict_the_new_set()
    {
        var id = Guid.NewGuid();
        var first = Version(id, 1, "region,revenue\nNorth,1\n");
        var second = Version(id, 2, "region,units\nAlpha,7\nBeta,8\n");
        var cache = Cache();
        (await cache.GetAsync(first, CancellationToken.None)).Columns.Select(c => c.Name).ShouldBe(["region", "revenue"]);

        // Another instance made version 2: this one still holds version 1, and reads the new file.
        var now = await cache.GetAsync(second, CancellationToken.None);
        now.Columns.Select(c => c.Name).ShouldBe(["region", "units"]);
        now.RowCount.ShouldBe(2);

        // A request that loaded the document before the change still gets its own version's data...
        (await cache.GetAsync(first, CancellationToken.None)).Columns.Select(c => c.Name).ShouldBe(["region", "revenue"]);
        // ...but the set kept is the newer one: the next reader of version 2 is a hit.
        _storage.ResetCounts();
        (await cache.GetAsync(second, CancellationToken.None)).RowCount.ShouldBe(2);
        _storage.Opens(second).ShouldBe(0);
    }

    [Fact]
    public async Task a_set_put_for_a_new_version_is_served_without_reading_storage()
    {
        var id = Guid.NewGuid();
        var first = Version(id, 1, "a,b\n1,2\n");
        var second = Version(id, 2, "a,b\n3,4\n5,6\n");
        var cache = Cache();
        await cache.GetAsync(first, CancellationToken.None);
        cache.Put(id, await Cache().GetAsync(second, CancellationToken.None), 2);

        _storage.ResetCounts();
        (await cache.GetAsync(second, CancellationToken.None)).RowCount.ShouldBe(2);
        _storage.Opens(second).ShouldBe(0);
    }
}
