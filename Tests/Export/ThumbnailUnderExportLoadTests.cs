using System.Text.Json.Nodes;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Export;

/// <summary>
/// One render page, a one-second queue timeout and hold-off, and retries as in every test host ("1,1": three attempts),
/// so a few seconds of queued exports outlast a thumbnail's attempts.
/// </summary>
public sealed class BusyRendererFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["CHART_THUMBNAILS"] = "true",
        ["RENDER_POOL_SIZE"] = "1",
        ["RENDER_QUEUE_TIMEOUT_SECONDS"] = "1",
        ["RENDER_BACKGROUND_HOLDOFF_SECONDS"] = "1",
    };

    protected override void ConfigureServices(IServiceCollection services) => LocalWebhooksFixture.FastScheduledRetries(services);
}

/// <summary>
/// While users' renders queue for the renderer, thumbnails wait: they take no page and no attempt, and are drawn once
/// the queue is gone.
/// </summary>
public sealed class ThumbnailUnderExportLoadTests(BusyRendererFixture app) : IClassFixture<BusyRendererFixture>
{
    const string SmallFigure = """{"data":[{"type":"bar","x":["a","b"],"y":[1,2]}],"layout":{}}""";

    async Task<JsonNode> ChartAsync(TestUser user, string chartId) =>
        await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).JsonAsync();

    [Fact]
    public async Task a_thumbnail_waits_out_queued_exports_without_spending_its_attempts_and_is_drawn_after()
    {
        var user = await app.RegisterAsync();
        var renderer = app.Host.Services.GetRequiredService<ChromiumRenderer>();
        await renderer.RenderAsync(SmallFigure, ImageFormat.Svg, 200, 100, 1); // the page is open: no start-up in the window below

        // Three users' renders for one page: two of them always queue.
        using var stop = new CancellationTokenSource();
        var exporters = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            using var owner = FairRenderScheduler.OnBehalfOf(Guid.NewGuid());
            var renders = 0;
            while (!stop.IsCancellationRequested)
            {
                await renderer.RenderAsync(SmallFigure, ImageFormat.Svg, 200, 100, 1);
                renders++;
            }
            return renders;
        })).ToList();

        var chartId = (await app.CreateSalesChartAsync(user, "Drawn after the exports"))["chart_id"]!.GetValue<string>();
        // Six seconds: past three busy attempts (a one-second wait each, then one second until the next try).
        await Task.Delay(TimeSpan.FromSeconds(6));
        var during = await ChartAsync(user, chartId);
        await stop.CancelAsync();
        var exported = await Task.WhenAll(exporters);

        during["thumbnail_url"].ShouldBeNull();
        exported.ShouldAllBe(renders => renders > 10); // the users' renders never waited out a queue timeout
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? thumbnail = null;
        while (thumbnail is null && DateTime.UtcNow < deadline)
        {
            thumbnail = (await ChartAsync(user, chartId))["thumbnail_url"]?.GetValue<string>();
            if (thumbnail is null) await Task.Delay(200);
        }
        thumbnail.ShouldNotBeNull("the thumbnail was given up while the exports ran");
        var png = await (await app.Client().GetAsync(new Uri(thumbnail).PathAndQuery)).Content.ReadAsByteArrayAsync();
        png.Take(4).ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
    }
}
