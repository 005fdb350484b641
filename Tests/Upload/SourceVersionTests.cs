using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Export;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Upload;

[Collection(DataRefreshCollection.Name)]
public sealed class SourceVersionTests(DataRefreshFixture app)
{
    const string FirstCsv = "region,revenue\nNorth,10\nSouth,20\n";
    const string SecondCsv = "region,revenue\nAlpha,100\nBeta,250\nNorth,5\n";

    async Task<(TestUser User, Guid SourceId)> SourceAsync(string csv = FirstCsv)
    {
        var user = await app.RegisterAsync();
        var upload = await app.UploadOkAsync(user, csv, "sales.csv");
        return (user, SalesCharts.IdOf(upload, "data_source_id"));
    }

    [Fact]
    public async Task a_new_file_is_version_2_of_the_same_source_and_its_chart_public_page_embed_and_export_show_the_new_data()
    {
        var (user, sourceId) = await SourceAsync();
        (await app.GetAsync(user, $"/api/data/sources/{sourceId}"))["version"]!.GetValue<int>().ShouldBe(1);
        var chartId = await app.ChartAsync(user, sourceId, "region", "revenue", isPublic: true);
        var before = await app.GetAsync(user, $"/api/charts/{chartId}");
        before["status"]!.GetValue<string>().ShouldBe("ok");
        before["status_reason"].ShouldBeNull();

        var replaced = await app.ReplaceFileOkAsync(user, sourceId, SecondCsv);
        replaced["data_source_id"]!.GetValue<string>().ShouldBe(sourceId.ToString());
        replaced["version"]!.GetValue<int>().ShouldBe(2);
        replaced["row_count"]!.GetValue<int>().ShouldBe(3);
        replaced["file_name"]!.GetValue<string>().ShouldBe("data.csv");

        var chart = await app.WaitForRevisionAsync(user, chartId, 2);
        chart["status"]!.GetValue<string>().ShouldBe("ok");
        chart["config"]!["x_column"]!.GetValue<string>().ShouldBe("region");
        DataRefresh.Labels(chart).ShouldBe(["Alpha", "Beta", "North"], ignoreOrder: true);
        DataRefresh.Values(chart).Sum().ShouldBe(355);
        var history = (await app.GetAsync(user, $"/api/charts/{chartId}/history"))["revisions"]!.AsArray();
        history.Last()!["event"]!.GetValue<string>().ShouldBe("chart_data_refreshed");
        history.Last()!["details"]!["data_source_version"]!.GetValue<int>().ShouldBe(2);

        var preview = await app.GetAsync(user, $"/api/data/sources/{sourceId}/preview");
        preview["data"]![0]!["region"]!.GetValue<string>().ShouldBe("Alpha");
        var publicChart = await (await app.Client().GetAsync($"/api/public/charts/{chartId}")).JsonAsync();
        DataRefresh.Labels(publicChart).ShouldContain("Beta");
        var embed = await (await app.Client().GetAsync($"/embed/{chartId}?theme=dark")).Content.ReadAsStringAsync();
        embed.ShouldContain("Beta");
        embed.ShouldNotContain("South");

        var (status, export, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "svg", width = 600, height = 400 });
        status.ShouldBe(200, export.ToJsonString());
        var svg = await (await app.DownloadAsync(export["download_url"]!.GetValue<string>())).Content.ReadAsStringAsync();
        svg.ShouldContain("Beta");
        svg.ShouldNotContain("South");

        var versions = (await app.GetAsync(user, $"/api/data/sources/{sourceId}/versions")).AsArray();
        versions.Select(v => v!["version"]!.GetValue<int>()).ShouldBe([2, 1]);
        versions.Select(v => v!["row_count"]!.GetValue<int>()).ShouldBe([3, 2]);
        versions.Select(v => v!["file_name"]!.GetValue<string>()).ShouldBe(["data.csv", "sales.csv"]);
        versions[0]!["file_size"]!.GetValue<long>().ShouldBe(Encoding.UTF8.GetByteCount(SecondCsv));
    }

    [Fact]
    public async Task a_chart_whose_column_went_or_changed_type_needs_attention_with_its_last_good_config_until_a_version_fixes_it()
    {
        var (user, sourceId) = await SourceAsync();
        var chartId = await app.ChartAsync(user, sourceId, "region", "revenue");
        var good = (await app.GetAsync(user, $"/api/charts/{chartId}"))["chart_config"]!.ToJsonString();

        await app.ReplaceFileOkAsync(user, sourceId, "region,units\nNorth,1\nSouth,2\n");
        var gone = await app.WaitForRevisionAsync(user, chartId, 2);
        gone["status"]!.GetValue<string>().ShouldBe("needs_attention");
        gone["status_reason"]!.GetValue<string>().ShouldBe("Column 'revenue' is no longer in the data");
        gone["chart_config"]!.ToJsonString().ShouldBe(good);
        var (status, problem, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "svg", width = 600, height = 400 });
        status.ShouldBe(422);
        problem["detail"]!.GetValue<string>().ShouldContain("Column 'revenue' is no longer in the data");
        // The embed page shows the last good chart rather than failing.
        (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}", System.Net.Http.Json.JsonContent.Create(new { is_public = true })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client().GetAsync($"/embed/{chartId}?theme=dark")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await app.ReplaceFileOkAsync(user, sourceId, "region,revenue\nNorth,lots\nSouth,few\nWest,some\n");
        var retyped = await app.WaitForRevisionAsync(user, chartId, 4);
        retyped["status"]!.GetValue<string>().ShouldBe("needs_attention");
        retyped["status_reason"]!.GetValue<string>().ShouldContain("column 'revenue' is");
        retyped["chart_config"]!.ToJsonString().ShouldBe(good);

        await app.ReplaceFileOkAsync(user, sourceId, "region,revenue\nNorth,7\nSouth,8\n");
        var fixedChart = await app.WaitForRevisionAsync(user, chartId, 5);
        fixedChart["status"]!.GetValue<string>().ShouldBe("ok");
        fixedChart["status_reason"].ShouldBeNull();
        DataRefresh.Values(fixedChart).ShouldBe([7, 8], ignoreOrder: true);
    }

    [Fact]
    public async Task another_users_source_is_404_and_a_rejected_file_changes_nothing()
    {
        var (user, sourceId) = await SourceAsync();
        var intruder = await app.RegisterAsync();
        var stolen = await app.ReplaceFileAsync(intruder, sourceId, SecondCsv);
        stolen.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stolen.JsonAsync()).ShouldBeProblem(404);
        (await app.Client(intruder.AccessToken).GetAsync($"/api/data/sources/{sourceId}/versions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ReplaceFileAsync(user, Guid.NewGuid(), SecondCsv)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
        var filesBefore = (await storage.ListAsync($"uploads/{user.Id:N}/")).Select(b => b.Key).ToList();
        (await (await app.ReplaceFileAsync(user, sourceId, "region,revenue\n")).JsonAsync()).ShouldBeProblem(422);
        (await (await app.ReplaceFileAsync(user, sourceId, "")).JsonAsync()).ShouldBeProblem(422);
        var png = await app.Client(user.AccessToken).PutAsync($"/api/data/sources/{sourceId}/file",
            Uploads.Form([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "chart.png"));
        (await png.JsonAsync()).ShouldBeProblem(415);
        var notMultipart = await app.Client(user.AccessToken).PutAsync($"/api/data/sources/{sourceId}/file", new StringContent(SecondCsv));
        notMultipart.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var tooLarge = await app.ReplaceFileAsync(user, sourceId, "a,b\n" + new string('1', 1_100_000) + ",2\n");
        (await tooLarge.JsonAsync()).ShouldBeProblem(413);

        var source = await app.GetAsync(user, $"/api/data/sources/{sourceId}");
        source["version"]!.GetValue<int>().ShouldBe(1);
        source["row_count"]!.GetValue<int>().ShouldBe(2);
        (await app.GetAsync(user, $"/api/data/sources/{sourceId}/preview"))["data"]![1]!["region"]!.GetValue<string>().ShouldBe("South");
        (await storage.ListAsync($"uploads/{user.Id:N}/")).Select(b => b.Key).ShouldBe(filesBefore);
    }

    [Fact]
    public async Task the_files_of_the_current_and_two_previous_versions_are_kept_and_older_ones_leave_storage_and_the_list()
    {
        var (user, sourceId) = await SourceAsync();
        var keys = new List<string> { await StorageKeyAsync(sourceId) };
        for (var v = 2; v <= 5; v++)
        {
            await app.ReplaceFileOkAsync(user, sourceId, $"region,revenue\nNorth,{v}\n");
            keys.Add(await StorageKeyAsync(sourceId));
        }
        keys.Distinct().Count().ShouldBe(5);
        keys.ShouldAllBe(k => k.StartsWith($"uploads/{user.Id:N}/"));

        var versions = (await app.GetAsync(user, $"/api/data/sources/{sourceId}/versions")).AsArray();
        versions.Select(v => v!["version"]!.GetValue<int>()).ShouldBe([5, 4, 3]);
        var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
        for (var i = 0; i < keys.Count; i++)
            (await storage.ExistsAsync(keys[i])).ShouldBe(i >= 2, $"file of version {i + 1}");
        // The cleanup job counts every kept version's file as live.
        await using var session = app.Store.QuerySession();
        var live = await DataSources.StoredFilesAsync(session, default);
        keys.Skip(2).ShouldAllBe(k => live.Contains(k));
        keys.Take(2).ShouldAllBe(k => !live.Contains(k));
        (await app.GetAsync(user, $"/api/data/sources/{sourceId}/preview"))["data"]![0]!["revenue"]!.GetValue<double>().ShouldBe(5);

        // Deleting the source deletes every kept version's file.
        (await app.Client(user.AccessToken).DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await storage.ListAsync($"uploads/{user.Id:N}/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_new_version_is_announced_to_webhooks_as_data_source_updated()
    {
        var (user, sourceId) = await SourceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await app.CreateWebhookOkAsync(user, receiver.Url(), "data_source.updated");

        await app.ReplaceFileOkAsync(user, sourceId, SecondCsv);

        var delivery = (await receiver.WaitForAsync(1)).Single();
        var body = JsonNode.Parse(delivery.BodyText)!;
        body["type"]!.GetValue<string>().ShouldBe("data_source.updated");
        body["data"]!["data_source_id"]!.GetValue<string>().ShouldBe(sourceId.ToString());
        body["data"]!["version"]!.GetValue<int>().ShouldBe(2);
        body["data"]!["row_count"]!.GetValue<int>().ShouldBe(3);
    }

    async Task<string> StorageKeyAsync(Guid sourceId)
    {
        await using var session = app.Store.QuerySession();
        return (await session.LoadAsync<DataSource>(sourceId))!.StorageKey;
    }
}
