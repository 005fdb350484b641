using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Export.Rendering;
using ChartCraft.Tests.Newsletter.Integrations;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Newsletter.Publishing;

/// <summary>End to end with the export feature's real renderer: the newsletter gets a real, sharp PNG of the chart.</summary>
[Collection(NewsletterCollection.Name)]
public sealed class PublishRenderedChartTests(NewsletterAppFixture app)
{
    [Fact]
    public async Task a_published_chart_is_a_real_png_rendered_at_twice_the_email_width()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "mailchimp", app.Mailchimp.NewApiKey());
        var chartId = await app.CreateChartAsync(user, "Revenue by region");

        var accepted = await app.Client(user.AccessToken).PostAsync("/api/newsletter/publish",
            JsonContent.Create(new { chart_id = chartId, provider = "mailchimp" }));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var publishId = (await accepted.JsonAsync())["publish_id"]!.GetValue<string>();

        JsonNode job;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            await Task.Delay(200);
            job = await (await app.Client(user.AccessToken).GetAsync($"/api/newsletter/publish/{publishId}")).JsonAsync();
        } while (job["status"]!.GetValue<string>() is "queued" or "running" && DateTime.UtcNow < deadline);

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        var png = app.Mailchimp.FileByUrl(job["image_url"]!.GetValue<string>())!;
        var header = ImageFiles.PngHeader(png);
        header.Width.ShouldBe(1200);
        header.Height.ShouldBe(800);
        png.Length.ShouldBeGreaterThan(5_000); // a drawn chart, not an empty canvas
        app.Mailchimp.Campaigns[job["campaign_id"]!.GetValue<string>()].Html!.ShouldContain("width=\"600\"");
    }
}
