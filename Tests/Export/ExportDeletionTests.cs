using System.Net;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Export;

/// <summary>Deleting a chart, directly or with its data source, takes away every export of it, links handed out before included.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExportDeletionTests(AppFixture app)
{
    IBlobStorage Storage => app.Host.Services.GetRequiredService<IBlobStorage>();

    /// <summary>An image (rendered now) and a PDF report (queued, then rendered) of the chart, each with its link and file.</summary>
    async Task<List<(string ExportId, string Link, string Key)>> ExportTwiceAsync(TestUser user, Guid chartId)
    {
        var (status, image, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "png", width = 300, height = 200 });
        status.ShouldBe(200, image.ToJsonString());
        var queued = await app.Client(user.AccessToken).PostAsync("/api/export/pdf",
            System.Net.Http.Json.JsonContent.Create(new { chart_ids = new[] { chartId }, title = "Report", include_insights = false }));
        ((int)queued.StatusCode).ShouldBe(202);
        var pdf = await app.WaitForExportAsync(user, (await queued.JsonAsync())["export_id"]!.GetValue<string>());
        pdf["status"]!.GetValue<string>().ShouldBe("completed", pdf["error"]?.ToString());

        var exports = new List<(string, string, string)>();
        await using var session = app.Store.QuerySession();
        foreach (var export in new[] { image, pdf })
        {
            var id = export["export_id"]!.GetValue<string>();
            var job = (await session.LoadAsync<ExportJob>(Guid.Parse(id)))!;
            var link = export["download_url"]!.GetValue<string>();
            // The link works before the delete.
            ((int)(await app.DownloadAsync(link)).StatusCode).ShouldBe(200);
            (await Storage.ExistsAsync(job.StorageKey!)).ShouldBeTrue();
            exports.Add((id, link, job.StorageKey!));
        }
        return exports;
    }

    /// <summary>The cleanup is a durable message after the delete commits: wait until the export is gone (or fail).</summary>
    async Task ShouldBeGoneAsync(TestUser user, List<(string ExportId, string Link, string Key)> exports)
    {
        foreach (var (exportId, link, key) in exports)
        {
            var status = HttpStatusCode.OK;
            for (var i = 0; i < 150 && status != HttpStatusCode.NotFound; i++)
            {
                status = (await app.Client(user.AccessToken).GetAsync($"/api/export/{exportId}")).StatusCode;
                if (status != HttpStatusCode.NotFound) await Task.Delay(100);
            }
            status.ShouldBe(HttpStatusCode.NotFound, $"GET /api/export/{exportId} after the delete");
            var download = await app.DownloadAsync(link);
            ((int)download.StatusCode).ShouldBe(404, $"the link issued before the delete: {link}");
            (await download.JsonAsync()).ShouldBeProblem(404);
            (await Storage.ExistsAsync(key)).ShouldBeFalse(key);
        }
        await using var session = app.Store.QuerySession();
        var ids = exports.Select(e => Guid.Parse(e.ExportId)).ToArray();
        (await session.LoadManyAsync<ExportJob>(ids)).ShouldBeEmpty();
    }

    [Fact]
    public async Task deleting_a_chart_makes_its_exports_and_the_links_issued_before_404_and_deletes_the_files()
    {
        var (user, _, chartId) = await app.ChartAsync();
        var (_, _, kept) = await app.ChartAsync("Another chart", user);
        var exports = await ExportTwiceAsync(user, chartId);
        var (_, other, _) = await app.ExportImageAsync(user, new { chart_id = kept, format = "png", width = 300, height = 200 });

        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeGoneAsync(user, exports);
        (await Storage.ListAsync(ExportFileStore.ChartFolder(user.Id, chartId))).ShouldBeEmpty();
        // Only the deleted chart's exports go.
        ((int)(await app.Client(user.AccessToken).GetAsync($"/api/export/{other["export_id"]}")).StatusCode).ShouldBe(200);
        ((int)(await app.DownloadAsync(other["download_url"]!.GetValue<string>())).StatusCode).ShouldBe(200);
    }

    [Fact]
    public async Task deleting_a_data_source_makes_its_charts_exports_and_the_links_issued_before_404_and_deletes_the_files()
    {
        var (user, sourceId, chartId) = await app.ChartAsync();
        var exports = await ExportTwiceAsync(user, chartId);

        (await app.Client(user.AccessToken).DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeGoneAsync(user, exports);
        (await Storage.ListAsync(ExportFileStore.ChartFolder(user.Id, chartId))).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_export_finishing_after_its_chart_was_deleted_is_not_kept()
    {
        var (user, _, chartId) = await app.ChartAsync();
        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var (_, _, live) = await app.ChartAsync("Still here", user);

        await using var session = app.Store.LightweightSession();
        var job = ExportJobs.Image(user.Id, chartId, new ImageExportOptions(), DateTimeOffset.UtcNow, batchId: null);
        (await ExportedCharts.RecordAsync(session, job, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeFalse();
        session.EjectAllPendingChanges();
        var report = ExportJobs.Pdf(user.Id, [live, chartId], "Both", false, DateTimeOffset.UtcNow, batchId: null);
        (await ExportedCharts.RecordAsync(session, report, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeFalse();
        session.EjectAllPendingChanges();
        var fine = ExportJobs.Image(user.Id, live, new ImageExportOptions(), DateTimeOffset.UtcNow, batchId: null);
        (await ExportedCharts.RecordAsync(session, fine, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeTrue();
    }
}
