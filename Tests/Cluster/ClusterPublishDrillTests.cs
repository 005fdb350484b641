using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Cluster;

/// <summary>Newsletter publishes on the cluster: jobs accepted by an instance that dies are finished by another, and each
/// chart lands in its campaign once, also when the instance died after changing the campaign but before recording it.</summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterPublishDrillTests(ClusterFixture cluster)
{
    [Fact]
    public async Task publishes_accepted_by_an_instance_killed_mid_job_each_put_their_block_in_the_campaign_exactly_once()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Instance(1));
        var token = await anonymous.RegisterVerifiedAsync(cluster.MailDrop); // connecting a newsletter needs a verified email
        using var one = cluster.On(1, token);
        using var two = cluster.On(2, token);
        var connect = await one.PostAsJsonAsync("/api/integrations/mailchimp/connect", new { api_key = cluster.Mailchimp.NewApiKey() });
        connect.StatusCode.ShouldBe(HttpStatusCode.Created, await connect.Content.ReadAsStringAsync());
        var chartId = await one.CreateYieldChartAsync(await one.UploadBarleyAsync(), "Publish drill");
        const string issue = "<html><body><h1>Weekly</h1></body></html>";
        var campaigns = Enumerable.Range(0, 3).Select(_ => cluster.Mailchimp.AddCampaign(issue)).ToList();
        // The first job's block is saved in its campaign, but instance 1 dies before Mailchimp's answer reaches it: the
        // job is not done as far as PostgreSQL knows, and the instance that takes it over finds the block already there.
        cluster.Mailchimp.AnswerSavesLate(1, TimeSpan.FromSeconds(30));
        var savesBefore = cluster.Mailchimp.RequestsTo("PUT", "/content").Count;

        var publishIds = new List<string>();
        foreach (var campaign in campaigns)
        {
            var accepted = await one.PostAsJsonAsync("/api/newsletter/publish", new { chart_id = chartId, provider = "mailchimp", target_id = campaign.Id });
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
            publishIds.Add((await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publish_id").GetString()!);
        }
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (cluster.Mailchimp.RequestsTo("PUT", "/content").Count == savesBefore && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            cluster.Mailchimp.RequestsTo("PUT", "/content").Count.ShouldBeGreaterThan(savesBefore, "instance 1 saved a block");
            (await cluster.Kill(1)).Code.ShouldBe(0);

            var status = await ClusterFixture.WaitForJobs(two, "/api/newsletter/publish", publishIds, TimeSpan.FromMinutes(4));
            publishIds.ShouldAllBe(id => status.GetValueOrDefault(id) == "completed", string.Join(", ", status.Values));
            await Task.Delay(TimeSpan.FromSeconds(8)); // a late second run would show by now
            for (var i = 0; i < campaigns.Count; i++)
            {
                var html = cluster.Mailchimp.Campaigns[campaigns[i].Id].Html!;
                ChartBlock().Count(html).ShouldBe(1, $"campaign {i}: {html}");
                html.ShouldContain($"chartcraft-publish-{Guid.Parse(publishIds[i]):N}");
                html.ShouldStartWith("<html><body><h1>Weekly</h1><div class=\"chartcraft-chart");
            }
        }
        finally
        {
            cluster.Mailchimp.AnswerSavesLate(0, TimeSpan.Zero);
            await cluster.Restart(1);
        }
    }

    [GeneratedRegex("class=\"chartcraft-chart ")]
    private static partial Regex ChartBlock();
}
