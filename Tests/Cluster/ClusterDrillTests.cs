using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;

namespace ChartCraft.Tests.Cluster;

/// <summary>Faults on the running cluster: an instance killed mid-export, PostgreSQL restarted under writes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDrillTests(ClusterFixture cluster)
{
    [Fact]
    public async Task a_batch_accepted_by_an_instance_killed_mid_render_is_completed_exactly_once_by_the_others()
    {
        await using var receiver = await WebhookReceiver.StartAsync(); // hears export.completed, however often
        using var anonymous = ClusterFixture.ClientFrom(cluster.Instance(1));
        var token = await anonymous.RegisterAsync();
        using var one = cluster.On(1, token);
        using var two = cluster.On(2, token);
        (await one.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url(), events = new[] { "export.completed" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var chartId = await one.CreateYieldChartAsync(await one.UploadBarleyAsync(), "Drill");
        var requests = Enumerable.Range(0, 6).Select(_ => new { chart_id = chartId, format = "png", width = 2000, height = 1500, dpi = 192 }).ToArray();
        var batch = await one.PostAsJsonAsync("/api/export/batch", new { requests });
        batch.StatusCode.ShouldBe(HttpStatusCode.Accepted, await batch.Content.ReadAsStringAsync());
        var exportIds = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exports").EnumerateArray()
            .Select(e => e.GetProperty("export_id").GetString()!).ToList();

        try
        {
            await Task.Delay(300); // accepted and started, not finished: 6 large renders on one instance
            (await cluster.Kill(1)).Code.ShouldBe(0);

            // Wolverine's other nodes take over the dead node's messages once it is seen as gone (about a minute).
            var status = await ClusterFixture.WaitForJobs(two, "/api/export", exportIds, TimeSpan.FromMinutes(4));
            exportIds.ShouldAllBe(id => status.GetValueOrDefault(id) == "completed", string.Join(", ", status.Values));
            using var download = ClusterFixture.ClientFrom(cluster.Balancer);
            foreach (var id in exportIds)
            {
                var export = await two.GetFromJsonAsync<JsonElement>($"/api/export/{id}");
                var png = await download.GetByteArrayAsync(export.GetProperty("download_url").GetString());
                png[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
            }

            // Done once each: one export.completed per export, none twice (give late duplicates a moment to show).
            await Task.Delay(TimeSpan.FromSeconds(8));
            var completed = receiver.Received
                .Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(body => body.GetProperty("type").GetString() == "export.completed")
                .Select(body => body.GetProperty("data").GetProperty("export_id").GetString()!)
                .ToList();
            completed.ShouldBe(exportIds, ignoreOrder: true);
        }
        finally
        {
            await cluster.Restart(1);
        }
    }

    [Fact]
    public async Task while_postgresql_restarts_writes_get_503_with_retry_after_and_every_acknowledged_write_is_kept()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await anonymous.RegisterAsync();
        using var one = cluster.On(1, token);
        var sourceId = await one.UploadBarleyAsync();

        // A writer through the balancer, one chart at a time, before, during and after a restart (down 6 s).
        using var writer = ClusterFixture.ClientFrom(cluster.Balancer, "127.0.0.5").WithToken(token);
        using var stop = new CancellationTokenSource();
        var writing = WriteChartsUntil(writer, sourceId, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await cluster.RestartPostgres(6)).Code.ShouldBe(0);
        await Task.Delay(TimeSpan.FromSeconds(8)); // pools reconnect
        stop.Cancel();
        var (statuses, acknowledged, unavailableWithoutRetryAfter) = await writing;

        // Only created or "unavailable, retry later": never a 500, never a dropped connection.
        statuses.ShouldAllBe(s => s == 201 || s == 503, string.Join(",", statuses));
        statuses.ShouldContain(503);
        unavailableWithoutRetryAfter.ShouldBe(0);
        statuses.TakeLast(2).ShouldAllBe(s => s == 201, "writes work again after the restart");

        // Every 201 is there (each read on the next instance; the user's limit is 40 requests a minute).
        acknowledged.ShouldNotBeEmpty();
        for (var n = 0; n < acknowledged.Count; n++)
        {
            using var reader = cluster.On(n % 3 + 1, token);
            (await reader.GetAsync($"/api/charts/{acknowledged[n]}")).StatusCode.ShouldBe(HttpStatusCode.OK, $"chart {acknowledged[n]} on instance {n % 3 + 1}");
        }
    }

    static async Task<(List<int> Statuses, List<string> Acknowledged, int UnavailableWithoutRetryAfter)> WriteChartsUntil(
        HttpClient writer, string sourceId, CancellationToken stop)
    {
        var statuses = new List<int>();
        var acknowledged = new List<string>();
        var unavailableWithoutRetryAfter = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            HttpResponseMessage response;
            try { response = await writer.PostAsJsonAsync("/api/charts", LiveApi.YieldChart(sourceId, $"Drill {i}")); }
            catch (HttpRequestException) { statuses.Add(-1); continue; }
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Created)
                acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chart_id").GetString()!);
            else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                unavailableWithoutRetryAfter++;
            await Task.Delay(response.StatusCode == HttpStatusCode.Created ? 1500 : 1000); // well under the 40-a-minute limit
        }
        return (statuses, acknowledged, unavailableWithoutRetryAfter);
    }
}
