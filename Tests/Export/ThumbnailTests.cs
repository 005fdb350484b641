using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Export.Rendering;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Export;

/// <summary>Thumbnails on, with the real Chromium, and storage that can be told to fail thumbnail writes.</summary>
public sealed class ThumbnailFixture : AppFixture
{
    public FlakyThumbnailStorage Storage { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["CHART_THUMBNAILS"] = "true" };

    protected override void ConfigureServices(IServiceCollection services)
    {
        LocalWebhooksFixture.FastScheduledRetries(services);
        services.AddSingleton<LocalBlobStorage>();
        services.Replace(ServiceDescriptor.Singleton<IBlobStorage>(sp => Storage = new FlakyThumbnailStorage(sp.GetRequiredService<LocalBlobStorage>())));
    }
}

/// <summary>Real storage whose next thumbnail writes fail when asked, counting every thumbnail write and listing.</summary>
public sealed class FlakyThumbnailStorage(IBlobStorage inner) : IBlobStorage
{
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _listed = new();
    int _failures;
    int _writes;

    public int ThumbnailWrites => Volatile.Read(ref _writes);

    /// <summary>How often exactly this prefix was listed (by the app or the test).</summary>
    public int ListingsOf(string prefix) => _listed.Count(p => p == prefix);

    public void FailNextThumbnailWrites(int count)
    {
        Volatile.Write(ref _failures, count);
        Volatile.Write(ref _writes, 0);
    }

    public string Kind => inner.Kind;

    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        if (key.StartsWith("thumbnails/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _writes);
            if (Interlocked.Decrement(ref _failures) >= 0) throw new IOException("storage hiccup (test)");
        }
        return inner.PutAsync(key, content, contentType, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);
    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    public Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        _listed.Enqueue(prefix);
        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default) => inner.GetDownloadLinkAsync(key, fileName, contentType, lifetime, cancellationToken);
    public Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
}

/// <summary>
/// Every saved chart gets a 400×250 PNG thumbnail, drawn in the background after each create or update, served by a
/// link that needs no bearer token; an older revision's thumbnail is deleted and never shown for a newer one.
/// </summary>
public sealed class ThumbnailTests(ThumbnailFixture app) : IClassFixture<ThumbnailFixture>
{
    static string Folder(TestUser user, string chartId) => $"thumbnails/{user.Id:N}/{Guid.Parse(chartId):N}/";

    async Task<JsonNode> ChartAsync(TestUser user, string chartId) =>
        await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).JsonAsync();

    /// <summary>Polls the chart until its thumbnail_url is set and differs from <paramref name="previous"/>.</summary>
    async Task<string> WaitForThumbnailAsync(TestUser user, string chartId, string? previous = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if ((await ChartAsync(user, chartId))["thumbnail_url"]?.GetValue<string>() is { } url && url != previous) return url;
            await Task.Delay(200);
        }
        throw new TimeoutException($"chart {chartId} got no new thumbnail");
    }

    async Task<byte[]> DownloadPngAsync(string url)
    {
        var response = await app.Client().GetAsync(new Uri(url).PathAndQuery); // no bearer token, as an <img> loads it
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task thumbnails_render_one_at_a_time_so_a_render_page_stays_free_for_exports()
    {
        var user = await app.RegisterAsync();
        var renderer = app.Host.Services.GetRequiredService<ChromiumRenderer>();
        using var done = new CancellationTokenSource();
        var mostAtOnce = 0;
        var sampling = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                mostAtOnce = Math.Max(mostAtOnce, renderer.Stats.BusyRenders);
                await Task.Delay(1);
            }
        });

        var charts = new List<string>();
        // Five different drawings: one drawing is rendered once and then copied (the test below).
        foreach (var type in new[] { "bar", "pie", "horizontal_bar", "doughnut", "line" })
            charts.Add((await app.CreateSalesChartAsync(user, chartType: type))["chart_id"]!.GetValue<string>());
        foreach (var chartId in charts) await WaitForThumbnailAsync(user, chartId);
        await done.CancelAsync();
        await sampling;

        renderer.Stats.IdlePages.ShouldBeGreaterThanOrEqualTo(1);
        mostAtOnce.ShouldBe(1); // the pool has 2 pages: five thumbnails queued at once never took both
    }

    [Fact]
    public async Task a_chart_gets_a_png_thumbnail_and_each_revision_a_new_one_that_replaces_the_old()
    {
        var user = await app.RegisterAsync();
        var created = await app.CreateSalesChartAsync(user);
        var chartId = created["chart_id"]!.GetValue<string>();
        created["thumbnail_url"].ShouldBeNull(); // drawn after the commit, in the background

        var first = await WaitForThumbnailAsync(user, chartId);
        var png = await DownloadPngAsync(first);
        png.Take(8).ShouldBe(ImageFiles.PngSignature);
        var header = ImageFiles.PngHeader(png);
        (header.Width, header.Height).ShouldBe((400, 250));
        var listed = await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync();
        listed["items"]![0]!["thumbnail_url"]!.GetValue<string>().ShouldBe(first);
        app.Storage.ListingsOf(Folder(user, chartId)).ShouldBe(0); // a first revision has no older thumbnails to look for
        (await app.Storage.ListAsync(Folder(user, chartId))).Select(b => b.Key).ShouldBe([Folder(user, chartId) + "r1.png"]);

        var updated = await (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}",
            JsonContent.Create(new { chart_type = "pie" }))).JsonAsync();
        updated["revision"]!.GetValue<int>().ShouldBe(2);
        updated["thumbnail_url"].ShouldBeNull(); // the revision-1 picture is not this chart any more

        var second = await WaitForThumbnailAsync(user, chartId, first);
        second.ShouldContain("r2.png");
        (await DownloadPngAsync(second)).ShouldNotBe(png);
        app.Storage.ListingsOf(Folder(user, chartId)).ShouldBe(2); // the test's own listing above, and the revision 2 clean-up
        (await app.Storage.ListAsync(Folder(user, chartId))).Select(b => b.Key).ShouldBe([Folder(user, chartId) + "r2.png"]);
        (await app.Client().GetAsync(new Uri(first).PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Deleting the chart deletes its thumbnail.
        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await app.Storage.ListAsync(Folder(user, chartId))).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        (await app.Storage.ListAsync(Folder(user, chartId))).ShouldBeEmpty();
        (await app.Client().GetAsync(new Uri(second).PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_failed_thumbnail_write_is_retried_and_one_that_keeps_failing_leaves_the_chart_without_one()
    {
        var user = await app.RegisterAsync();
        app.Storage.FailNextThumbnailWrites(1);
        var chartId = (await app.CreateSalesChartAsync(user, "Retried"))["chart_id"]!.GetValue<string>();
        await WaitForThumbnailAsync(user, chartId);
        app.Storage.ThumbnailWrites.ShouldBe(2);

        // EXPORT_RETRY_DELAYS_SECONDS is "1,1" in tests: three attempts, then the thumbnail stays empty.
        app.Storage.FailNextThumbnailWrites(100);
        var failing = await app.CreateSalesChartAsync(user, "Never drawn", chartType: "line");
        var failingId = failing["chart_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (app.Storage.ThumbnailWrites < 3 && DateTime.UtcNow < deadline) await Task.Delay(100);
        await Task.Delay(3000); // time for a fourth attempt, which must not come
        app.Storage.ThumbnailWrites.ShouldBe(3);
        app.Storage.FailNextThumbnailWrites(0);
        var chart = await ChartAsync(user, failingId);
        chart["thumbnail_url"].ShouldBeNull();
        chart["title"]!.GetValue<string>().ShouldBe("Never drawn");
        chart["chart_config"]!["type"]!.GetValue<string>().ShouldBe("line");
        (await app.Storage.ListAsync(Folder(user, failingId))).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_new_title_or_a_duplicate_copies_the_drawn_thumbnail_and_a_new_look_renders_one()
    {
        var user = await app.RegisterAsync();
        var renderer = app.Host.Services.GetRequiredService<ChromiumRenderer>();
        var chartId = (await app.CreateSalesChartAsync(user, "First title"))["chart_id"]!.GetValue<string>();
        var first = await WaitForThumbnailAsync(user, chartId);
        var png = await DownloadPngAsync(first);
        var rendersBefore = renderer.Stats.CompletedRenders;

        // Thumbnails leave titles out: a new title is the same picture, copied under the new revision's key.
        (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}", JsonContent.Create(new { title = "Renamed" })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var renamed = await WaitForThumbnailAsync(user, chartId, first);
        renamed.ShouldContain("r2.png");
        (await DownloadPngAsync(renamed)).ShouldBe(png);
        (await app.Storage.ListAsync(Folder(user, chartId))).Select(b => b.Key).ShouldBe([Folder(user, chartId) + "r2.png"]);

        var copyId = (await (await app.Client(user.AccessToken).PostAsync($"/api/charts/{chartId}/duplicate",
            JsonContent.Create(new { }))).JsonAsync())["chart_id"]!.GetValue<string>();
        var copied = await WaitForThumbnailAsync(user, copyId);
        (await DownloadPngAsync(copied)).ShouldBe(png);
        renderer.Stats.CompletedRenders.ShouldBe(rendersBefore);

        // Another user's identical chart is never a source: each owner's pictures are its own.
        var other = await app.RegisterAsync();
        var othersId = (await app.CreateSalesChartAsync(other, "First title"))["chart_id"]!.GetValue<string>();
        (await DownloadPngAsync(await WaitForThumbnailAsync(other, othersId))).ShouldBe(png);
        renderer.Stats.CompletedRenders.ShouldBe(rendersBefore + 1);

        (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}", JsonContent.Create(new { chart_type = "pie" })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DownloadPngAsync(await WaitForThumbnailAsync(user, chartId, renamed))).ShouldNotBe(png);
        renderer.Stats.CompletedRenders.ShouldBe(rendersBefore + 2);
    }

    [Fact]
    public async Task a_duplicate_gets_its_own_thumbnail()
    {
        var user = await app.RegisterAsync();
        var original = await app.CreateSalesChartAsync(user);
        var copy = await (await app.Client(user.AccessToken).PostAsync($"/api/charts/{original["chart_id"]}/duplicate",
            JsonContent.Create(new { }))).JsonAsync();
        var copyId = copy["chart_id"]!.GetValue<string>();
        var url = await WaitForThumbnailAsync(user, copyId);
        (await WaitForThumbnailAsync(user, original["chart_id"]!.GetValue<string>())).ShouldNotBe(url);
        url.ShouldContain(Folder(user, copyId));
        ImageFiles.PngHeader(await DownloadPngAsync(url)).Width.ShouldBe(400);
    }
}

/// <summary>Without a browser, thumbnails stay null and charts are made, changed and read as ever.</summary>
public sealed class BrowserlessThumbnailTests
{
    sealed class BrowserlessInstance : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["CHART_THUMBNAILS"] = "true",
            ["CHROMIUM_PATH"] = "/nonexistent/chromium",
        };
    }

    [Fact]
    public async Task without_a_browser_the_thumbnail_stays_null_and_nothing_fails()
    {
        var app = new BrowserlessInstance();
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var chartId = "";
            var tracked = await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                chartId = (await app.CreateSalesChartAsync(user))["chart_id"]!.GetValue<string>();
                var updated = await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}", JsonContent.Create(new { title = "Renamed" }));
                updated.StatusCode.ShouldBe(HttpStatusCode.OK);
            }));
            // Both render messages ran, once each, and found no browser.
            tracked.Executed.MessagesOf<ChartRevised>().Select(m => m.Revision).Order().ShouldBe([1, 2]);
            var read = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).JsonAsync();
            read["title"]!.GetValue<string>().ShouldBe("Renamed");
            read["thumbnail_url"].ShouldBeNull();
            var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
            (await storage.ListAsync($"thumbnails/{user.Id:N}/")).ShouldBeEmpty();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
