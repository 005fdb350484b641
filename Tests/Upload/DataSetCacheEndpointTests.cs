using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ChartCraft.Tests.Upload;

/// <summary>The cache inside the running app: uploads, reads, deletion and /metrics.</summary>
[Collection(ApiCollection.Name)]
public sealed class DataSetCacheEndpointTests(AppFixture app)
{
    [Fact]
    public async Task an_upload_is_read_from_memory_an_evicted_set_reloads_once_and_a_deleted_source_leaves_the_cache()
    {
        var cache = app.Host.Services.GetRequiredService<DataSetCache>();
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        var id = Guid.Parse((await app.UploadOkAsync(user, Uploads.SalesCsv(), "sales.csv"))["data_source_id"]!.GetValue<string>());
        cache.Contains(id).ShouldBeTrue();

        var before = cache.Stats;
        (await client.GetAsync($"/api/data/sources/{id}/preview?limit=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (cache.Stats.Hits - before.Hits, cache.Stats.Loads - before.Loads).ShouldBe((1L, 0L));

        cache.Remove(id);
        var previews = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAsync($"/api/data/sources/{id}/preview?limit=1")));
        previews.ShouldAllBe(p => p.StatusCode == HttpStatusCode.OK);
        (cache.Stats.Loads - before.Loads).ShouldBe(1);
        cache.Contains(id).ShouldBeTrue();

        (await client.DeleteAsync($"/api/data/sources/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        cache.Contains(id).ShouldBeFalse();

        var metrics = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        metrics.ShouldContain("chartcraft_cache_requests_total{cache=\"dataset\",result=\"hit\"}");
        metrics.ShouldContain("chartcraft_cache_requests_total{cache=\"dataset\",result=\"miss\"}");
        metrics.ShouldContain("chartcraft_dataset_cache_evictions_total{reason=\"size\"}");
        metrics.ShouldContain("chartcraft_dataset_cache_evictions_total{reason=\"expired\"}");
        metrics.ShouldContain("chartcraft_dataset_cache_not_kept_total ");
        metrics.ShouldContain("chartcraft_dataset_cache_bytes ");
        metrics.ShouldContain("chartcraft_dataset_cache_entries ");
        metrics.ShouldContain($"chartcraft_dataset_cache_limit_bytes {256L * 1024 * 1024}");
    }

    [Fact]
    public async Task a_windows_1252_semicolon_file_reads_the_same_after_eviction_as_at_upload()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csv = "Stadt;Lokal;Umsatz\nZürich;Café Süd;1.234,50\nGenève;Crêperie;987,25\nBâle;Bäckerei;12,75\n";
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        var upload = await app.UploadAsync(user, Encoding.GetEncoding(1252).GetBytes(csv), "umsatz.csv");
        var id = Guid.Parse((await upload.JsonAsync())["data_source_id"]!.GetValue<string>());
        var source = await (await client.GetAsync($"/api/data/sources/{id}")).JsonAsync();
        (source["encoding"]!.GetValue<string>(), source["delimiter"]!.GetValue<string>()).ShouldBe(("windows-1252", ";"));
        var atUpload = await (await client.GetAsync($"/api/data/sources/{id}/preview")).JsonAsync();

        app.Host.Services.GetRequiredService<DataSetCache>().Remove(id);
        var reloaded = await (await client.GetAsync($"/api/data/sources/{id}/preview")).JsonAsync();

        JsonNode.DeepEquals(reloaded, atUpload).ShouldBeTrue(reloaded.ToJsonString());
        var rows = reloaded["data"]!.AsArray();
        rows.Select(r => r!["Stadt"]!.GetValue<string>()).ShouldBe(["Zürich", "Genève", "Bâle"]);
        rows.Select(r => r!["Lokal"]!.GetValue<string>()).ShouldBe(["Café Süd", "Crêperie", "Bäckerei"]);
        rows.Select(r => r!["Umsatz"]!.GetValue<double>()).ShouldBe([1234.5, 987.25, 12.75]);
    }
}
