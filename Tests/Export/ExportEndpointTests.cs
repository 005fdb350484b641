using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Alba;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace ChartCraft.Tests.Export;

[Collection(ApiCollection.Name)]
public sealed class ExportEndpointTests(AppFixture app)
{
    async Task<(TestUser User, Guid ChartId)> ChartAsync(string title = "Revenue by region", string type = "bar", TestUser? user = null)
    {
        user ??= await app.RegisterAsync();
        var chart = await app.CreateSalesChartAsync(user, title, type, generateInsights: true);
        return (user, SalesCharts.IdOf(chart, "chart_id"));
    }

    async Task<JsonNode> ExportImage(TestUser user, object request, int status = 200)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(request).ToUrl("/api/export/image");
            s.StatusCodeShouldBe(status);
        });
        return await result.JsonAsync();
    }

    /// <summary>Follows a download link the way a browser would: no bearer token.</summary>
    async Task<HttpResponseMessage> Download(JsonNode export)
    {
        var url = new Uri(export["download_url"]!.GetValue<string>());
        return await app.Client().GetAsync(url.PathAndQuery);
    }

    async Task<JsonNode> WaitForExport(TestUser user, string exportId, params string[] until)
    {
        until = until.Length == 0 ? ["completed", "failed"] : until;
        JsonNode body = null!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            body = await (await app.Client(user.AccessToken).GetAsync($"/api/export/{exportId}")).JsonAsync();
            if (until.Contains(body["status"]!.GetValue<string>())) return body;
            await Task.Delay(200);
        }
        throw new TimeoutException($"export {exportId} still {body["status"]} after 60 s");
    }

    static (int Width, int Height) PngSize(byte[] png)
    {
        png.Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public async Task a_png_export_is_completed_with_a_link_that_needs_no_token_and_serves_the_requested_size()
    {
        var (user, chartId) = await ChartAsync("Q1 \"revenue\" / regions");
        var export = await ExportImage(user, new { chart_id = chartId, format = "png", width = 800, height = 600, dpi = 96, theme = "light" });
        export["status"]!.GetValue<string>().ShouldBe("completed");
        export["format"]!.GetValue<string>().ShouldBe("png");
        export["chart_ids"]![0]!.GetValue<string>().ShouldBe(chartId.ToString());
        DateTimeOffset.Parse(export["expires_at"]!.GetValue<string>()).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(55));

        // A link a client can use as is: no raw spaces or quotes from the title.
        export["download_url"]!.GetValue<string>().ShouldNotContain(" ");
        export["download_url"]!.GetValue<string>().ShouldNotContain("\"");
        var download = await Download(export);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        var disposition = download.Content.Headers.ContentDisposition!;
        (disposition.FileNameStar ?? disposition.FileName)!.Trim('"').ShouldBe("Q1 revenue - regions.png");
        var png = await download.Content.ReadAsByteArrayAsync();
        PngSize(png).ShouldBe((800, 600));
        export["size_bytes"]!.GetValue<long>().ShouldBe(png.Length);
    }

    [Fact]
    public async Task dpi_scales_png_pixels_by_dpi_over_96()
    {
        var (user, chartId) = await ChartAsync();
        var export = await ExportImage(user, new { chart_id = chartId, format = "png", width = 400, height = 300, dpi = 192 });
        PngSize(await (await Download(export)).Content.ReadAsByteArrayAsync()).ShouldBe((800, 600));
    }

    [Fact]
    public async Task an_svg_export_is_valid_xml_with_the_title_as_text_even_when_it_holds_markup()
    {
        var (user, chartId) = await ChartAsync("<script>alert(1)</script> & sales", "line");
        var export = await ExportImage(user, new { chart_id = chartId, format = "svg", width = 900, height = 500, theme = "dark" });
        var download = await Download(export);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        var svg = XDocument.Parse(await download.Content.ReadAsStringAsync());
        svg.Root!.Name.LocalName.ShouldBe("svg");
        svg.Descendants().Any(e => e.Name.LocalName == "script").ShouldBeFalse();
        svg.Descendants().Select(e => e.Value).ShouldContain(v => v.Contains("<script>alert(1)</script> & sales"));
    }

    [Fact]
    public async Task the_same_export_of_an_unchanged_chart_reuses_the_stored_file()
    {
        var (user, chartId) = await ChartAsync();
        var request = new { chart_id = chartId, format = "png", width = 640, height = 480 };
        var first = await ExportImage(user, request);
        var second = await ExportImage(user, request);
        second["export_id"]!.GetValue<string>().ShouldNotBe(first["export_id"]!.GetValue<string>());
        await using var session = app.Store.QuerySession();
        var jobs = await session.LoadManyAsync<ExportJob>(Guid.Parse(first["export_id"]!.GetValue<string>()), Guid.Parse(second["export_id"]!.GetValue<string>()));
        jobs[0].StorageKey.ShouldBe(jobs[1].StorageKey);
        var events = await session.Events.FetchStreamAsync(chartId);
        events.Count(e => e.Data is ChartExported).ShouldBe(2);
    }

    [Theory]
    [InlineData("gif", 800, 600, 96, "format")]
    [InlineData("png", 99, 600, 96, "width")]
    [InlineData("png", 800, 4001, 96, "height")]
    [InlineData("png", 800, 600, 601, "dpi")]
    [InlineData("png", 800, 600, 71, "dpi")]
    public async Task out_of_range_image_options_are_422_naming_the_field(string format, int width, int height, int dpi, string field)
    {
        var (user, chartId) = await ChartAsync();
        var problem = await ExportImage(user, new { chart_id = chartId, format, width, height, dpi }, 422);
        problem.ShouldBeProblem(422)["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task exporting_another_users_chart_is_404_everywhere()
    {
        var (owner, chartId) = await ChartAsync();
        var intruder = await app.RegisterAsync();
        await ExportImage(intruder, new { chart_id = chartId, format = "png" }, 404);
        await app.Host.Scenario(s =>
        {
            s.WithBearerToken(intruder.AccessToken);
            s.Post.Json(new { chart_ids = new[] { chartId }, title = "x" }).ToUrl("/api/export/pdf");
            s.StatusCodeShouldBe(404);
        });
        var export = await ExportImage(owner, new { chart_id = chartId, format = "png" });
        (await app.Client(intruder.AccessToken).GetAsync($"/api/export/{export["export_id"]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_pdf_report_is_queued_then_completed_with_one_page_per_chart_and_its_title()
    {
        var (user, first) = await ChartAsync("Revenue by region");
        var (_, second) = await ChartAsync("Revenue by month", "line", user);
        var queued = await (await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new { chart_ids = new[] { first, second }, title = "Quarterly report", include_insights = true }).ToUrl("/api/export/pdf");
            s.StatusCodeShouldBe(202);
        })).JsonAsync();
        queued["status"]!.GetValue<string>().ShouldBe("queued");
        queued["download_url"].ShouldBeNull();

        var done = await WaitForExport(user, queued["export_id"]!.GetValue<string>());
        done["status"]!.GetValue<string>().ShouldBe("completed", done["error"]?.ToString());
        var download = await Download(done);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bytes = await download.Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(bytes, 0, 5).ShouldBe("%PDF-");
        using var pdf = PdfDocument.Open(bytes);
        pdf.NumberOfPages.ShouldBe(2);
        var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
        text.ShouldContain("Quarterly report");
        text.ShouldContain("Revenue by month");
        text.ShouldContain("Page 1 of 2");
    }

    [Fact]
    public async Task a_batch_runs_each_request_as_its_own_job_and_one_failing_request_fails_alone()
    {
        var (user, chartId) = await ChartAsync();
        // A chart whose data source document is gone (as if deleted under it): valid on its face, but its job fails.
        var (_, broken) = await ChartAsync("Broken", user: user);
        await using (var session = app.Store.LightweightSession())
        {
            var chart = (await session.LoadAsync<ChartCraft.Features.Charts.Chart>(broken))!;
            session.Delete<ChartCraft.Features.Upload.DataSource>(chart.DataSourceId);
            await session.SaveChangesAsync();
        }
        var batch = await (await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new
            {
                requests = new object[]
                {
                    new { format = "png", chart_id = chartId, width = 300, height = 200 },
                    new { format = "png", chart_id = broken, width = 300, height = 200 },
                    // A PDF request exactly as POST /api/export/pdf takes it: no format field.
                    new { chart_ids = new[] { chartId }, title = "One chart", include_insights = false },
                },
            }).ToUrl("/api/export/batch");
            s.StatusCodeShouldBe(202);
        })).JsonAsync();
        var exports = batch["exports"]!.AsArray();
        exports.Count.ShouldBe(3);
        exports.ShouldAllBe(e => e!["status"]!.GetValue<string>() == "queued" && e["batch_id"]!.GetValue<string>() == batch["batch_id"]!.GetValue<string>());

        var results = new List<JsonNode>();
        foreach (var e in exports) results.Add(await WaitForExport(user, e!["export_id"]!.GetValue<string>()));
        results.Select(r => r["status"]!.GetValue<string>()).ShouldBe(["completed", "failed", "completed"]);
        results[1]["error"]!.GetValue<string>().ShouldContain("no longer exists");
        PngSize(await (await Download(results[0])).Content.ReadAsByteArrayAsync()).ShouldBe((300, 200));
        results[2]["format"]!.GetValue<string>().ShouldBe("pdf");
        (await (await Download(results[2])).Content.ReadAsByteArrayAsync()).Take(5).ShouldBe("%PDF-"u8.ToArray());
    }

    [Fact]
    public async Task a_batch_naming_a_chart_that_is_not_the_users_is_404_and_queues_nothing()
    {
        var (owner, chartId) = await ChartAsync();
        var (other, otherChart) = await ChartAsync();
        var response = await app.Client(owner.AccessToken).PostAsync("/api/export/batch", System.Net.Http.Json.JsonContent.Create(new
        {
            requests = new object[]
            {
                new { format = "png", chart_id = chartId },
                new { chart_ids = new[] { chartId, otherChart }, title = "Mixed" },
            },
        }));

        ((int)response.StatusCode).ShouldBe(404);
        (await response.JsonAsync()).ShouldBeProblem(404)["detail"]!.GetValue<string>().ShouldBe($"No chart {otherChart}.");
        await using var session = app.Store.QuerySession();
        (await session.Query<ExportJob>().CountAsync(j => j.UserId == owner.Id)).ShouldBe(0);
        other.Id.ShouldNotBe(owner.Id);
    }

    [Fact]
    public async Task a_pdf_or_batch_request_without_its_list_is_422_naming_it()
    {
        var (user, _) = await ChartAsync();
        var client = app.Client(user.AccessToken);

        var pdf = await client.PostAsync("/api/export/pdf", System.Net.Http.Json.JsonContent.Create(new { title = "x" }));
        ((int)pdf.StatusCode).ShouldBe(422);
        (await pdf.JsonAsync()).ShouldBeProblem(422)["errors"]!["chart_ids"]!.AsArray().Count.ShouldBe(1);
        var batch = await client.PostAsync("/api/export/batch", System.Net.Http.Json.JsonContent.Create(new { }));
        ((int)batch.StatusCode).ShouldBe(422);
        (await batch.JsonAsync()).ShouldBeProblem(422)["errors"]!["requests"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_batch_over_50_requests_is_422()
    {
        var (user, chartId) = await ChartAsync();
        await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new { requests = Enumerable.Range(0, 51).Select(_ => new { format = "png", chart_id = chartId }).ToArray() }).ToUrl("/api/export/batch");
            s.StatusCodeShouldBe(422);
        });
    }

    [Fact]
    public async Task a_crashed_browser_is_replaced_on_the_next_request_and_concurrent_requests_share_one_browser()
    {
        var (user, chartId) = await ChartAsync();
        await ExportImage(user, new { chart_id = chartId, format = "png", width = 320, height = 240 });
        var renderer = app.Host.Services.GetRequiredService<ChromiumRenderer>();
        var pid = renderer.Stats.BrowserProcessId!.Value;
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var after = await ExportImage(user, new { chart_id = chartId, format = "png", width = 330, height = 240 });
        after["status"]!.GetValue<string>().ShouldBe("completed");
        var launches = renderer.Stats.BrowserLaunches;
        renderer.Stats.BrowserProcessId.ShouldNotBe(pid);

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.Client(user.AccessToken).PostAsync("/api/export/image",
            new StringContent($"{{\"chart_id\":\"{chartId}\",\"format\":\"png\",\"width\":{400 + i},\"height\":300}}", System.Text.Encoding.UTF8, "application/json"))));
        burst.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        renderer.Stats.BrowserLaunches.ShouldBe(launches);
        renderer.Stats.PeakBusyRenders.ShouldBeLessThanOrEqualTo(app.Host.Services.GetRequiredService<RenderingOptions>().PoolSize);
    }

    [Fact]
    public async Task expired_exports_and_orphaned_uploads_are_deleted_by_the_lifecycle_job()
    {
        var (user, chartId) = await ChartAsync();
        var export = await ExportImage(user, new { chart_id = chartId, format = "png", width = 350, height = 250 });
        var exportId = Guid.Parse(export["export_id"]!.GetValue<string>());
        string key;
        await using (var session = app.Store.LightweightSession())
        {
            var job = (await session.LoadAsync<ExportJob>(exportId))!;
            key = job.StorageKey!;
            job.FilesExpireAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            session.Store(job);
            await session.SaveChangesAsync();
        }
        var storage = app.Host.Services.GetRequiredService<ChartCraft.Infrastructure.Storage.IBlobStorage>();
        var orphan = $"uploads/{Guid.NewGuid():N}/{Guid.NewGuid():N}.csv";
        await storage.PutAsync(orphan, new MemoryStream("a,b\n1,2\n"u8.ToArray()), "text/csv");
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(Path.Combine(app.StoragePath, key), old);
        File.SetLastWriteTimeUtc(Path.Combine(app.StoragePath, orphan), old);

        var result = await app.Host.Services.GetRequiredService<FileLifecycle>().RunAsync(CancellationToken.None);
        result.ExpiredExports.ShouldBeGreaterThanOrEqualTo(1);
        result.OrphanedUploads.ShouldBeGreaterThanOrEqualTo(1);
        (await storage.ExistsAsync(key)).ShouldBeFalse();
        (await storage.ExistsAsync(orphan)).ShouldBeFalse();
        // The chart's own upload is still referenced by its data source, so it stays.
        var live = await storage.ListAsync($"uploads/{user.Id:N}/");
        live.ShouldNotBeEmpty();

        var gone = await (await app.Client(user.AccessToken).GetAsync($"/api/export/{exportId}")).JsonAsync();
        gone["download_url"].ShouldBeNull();
    }
}
