using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Tests.Export.Rendering;
using ChartCraft.Tests.Newsletter.Integrations;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Newsletter.Publishing;

[Collection(NewsletterCollection.Name)]
public sealed class PublishEndpointTests(NewsletterAppFixture app)
{
    FakeMailchimp Mailchimp => app.Mailchimp;
    FakeKit Kit => app.Kit;

    /// <summary>Every response body of a test, to prove no secret ever leaves the API.</summary>
    readonly List<string> _responses = [];

    async Task<HttpResponseMessage> PublishAsync(TestUser user, object request)
    {
        var response = await app.Client(user.AccessToken).PostAsync("/api/newsletter/publish", JsonContent.Create(request));
        _responses.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    async Task<Guid> AcceptedAsync(TestUser user, object request)
    {
        var response = await PublishAsync(user, request);
        var body = await response.JsonAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, body.ToJsonString());
        body.AsObject().Select(p => p.Key).OrderBy(k => k).ShouldBe(["publish_id", "status"]);
        body["status"]!.GetValue<string>().ShouldBe("queued");
        return Guid.Parse(body["publish_id"]!.GetValue<string>());
    }

    async Task<JsonNode> JobAsync(TestUser user, Guid publishId)
    {
        var response = await app.Client(user.AccessToken).GetAsync($"/api/newsletter/publish/{publishId}");
        var text = await response.Content.ReadAsStringAsync();
        _responses.Add(text);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls the job until it is completed or failed (the work runs as a durable background message).</summary>
    async Task<JsonNode> FinishedAsync(TestUser user, Guid publishId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await JobAsync(user, publishId);
            if (job["status"]!.GetValue<string>() is "completed" or "failed") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"publish {publishId} still {job["status"]} after 60 s");
            await Task.Delay(100);
        }
    }

    void NoSecretIn(params string[] secrets)
    {
        foreach (var body in _responses)
            foreach (var secret in secrets.Append(FakeMailchimp.ClientSecret).Append(FakeKit.ClientSecret))
                body.ShouldNotContain(secret);
    }

    static async Task<IReadOnlyList<object>> ChartEventsAsync(Marten.IDocumentStore store, Guid chartId)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamAsync(chartId)).Select(e => e.Data).ToList();
    }

    [Fact]
    public async Task a_chart_goes_into_an_existing_mailchimp_campaign_keeping_its_content_and_the_chart_stream_and_webhooks_hear_of_it()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Mailchimp.NewApiKey();
        await app.ConnectAsync(user, "mailchimp", key);
        var chartId = await app.CreateChartAsync(user, "Revenue by region", isPublic: true);
        const string original = "<html><head><title>April</title></head><body><h1>April issue</h1><p>Hello readers</p></body></html>";
        var campaign = Mailchimp.AddCampaign(original);

        Guid publishId = Guid.Empty;
        var tracked = await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            publishId = await AcceptedAsync(user, new { chart_id = chartId, provider = "mailchimp", target_id = campaign.Id })));
        var job = await FinishedAsync(user, publishId);

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        job["publish_id"]!.GetValue<string>().ShouldBe(publishId.ToString());
        job["provider"]!.GetValue<string>().ShouldBe("mailchimp");
        job["target_id"]!.GetValue<string>().ShouldBe(campaign.Id);
        job["created_draft"]!.GetValue<bool>().ShouldBeFalse();
        job["campaign_id"]!.GetValue<string>().ShouldBe(campaign.Id);
        job["error"].ShouldBeNull();
        job["completed_at"].ShouldNotBeNull();
        var imageUrl = job["image_url"]!.GetValue<string>();

        // The PNG the export feature made (600×400 at 192 dpi = 1200×800 pixels) is what Mailchimp received.
        var uploaded = Mailchimp.FileByUrl(imageUrl)!;
        uploaded.ShouldBe(await StoredExportOf(user, chartId));
        ImageFiles.PngHeader(uploaded).Width.ShouldBe(1200);
        ImageFiles.PngHeader(uploaded).Height.ShouldBe(800);

        var html = Mailchimp.Campaigns[campaign.Id].Html!;
        html.ShouldStartWith("<html><head><title>April</title></head><body><h1>April issue</h1><p>Hello readers</p><div class=\"chartcraft-chart");
        html.ShouldEndWith("</a></div></body></html>");
        html.ShouldContain($"<a href=\"http://localhost/embed/{chartId}\" target=\"_blank\"><img src=\"{imageUrl}\" alt=\"Revenue by region\" width=\"600\"");

        var events = await ChartEventsAsync(app.Store, chartId);
        var published = events.OfType<ChartPublished>().Single();
        published.PublishId.ShouldBe(publishId);
        published.Provider.ShouldBe("mailchimp");
        published.TargetId.ShouldBe(campaign.Id);
        var history = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}/history")).JsonAsync();
        history["revisions"]!.AsArray().Select(r => r!["event"]!.GetValue<string>()).ShouldContain("chart_published");

        // One message, seen by the tracker at each step (sent, received, executed).
        var webhook = tracked.AllRecordsInOrder().Select(r => r.Envelope!).DistinctBy(e => e.Id).Select(e => e.Message)
            .OfType<WebhookEvent>().Single(e => e.Type == WebhookEventTypes.NewsletterPublished);
        webhook.UserId.ShouldBe(user.Id);
        webhook.Data["publish_id"].ShouldBe(publishId);
        webhook.Data["chart_id"].ShouldBe(chartId);
        webhook.Data["campaign_id"].ShouldBe(campaign.Id);
        NoSecretIn(key);
    }

    [Fact]
    public async Task without_a_target_a_mailchimp_draft_campaign_is_created_with_the_given_alt_text_and_link()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "mailchimp", Mailchimp.NewApiKey());
        var chartId = await app.CreateChartAsync(user, "Units by region");

        var publishId = await AcceptedAsync(user, new
        {
            chart_id = chartId, provider = "mailchimp", alt_text = "West sells the most units", link_url = "https://blog.example.com/units?a=1&b=2",
        });
        var job = await FinishedAsync(user, publishId);

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        // target_id says where the chart went: here the draft made for it.
        job["created_draft"]!.GetValue<bool>().ShouldBeTrue();
        job["target_id"]!.GetValue<string>().ShouldBe(job["campaign_id"]!.GetValue<string>());
        var campaign = Mailchimp.Campaigns[job["campaign_id"]!.GetValue<string>()];
        campaign.Type.ShouldBe("regular");
        campaign.Status.ShouldBe("save");
        campaign.Settings["subject_line"]!.GetValue<string>().ShouldBe("Units by region");
        var html = campaign.Html!;
        html.ShouldContain("alt=\"West sells the most units\"");
        html.ShouldContain("<a href=\"https://blog.example.com/units?a=1&amp;b=2\"");
        (await ChartEventsAsync(app.Store, chartId)).OfType<ChartPublished>().Single().TargetId.ShouldBe(campaign.Id);
    }

    [Fact]
    public async Task a_chart_goes_into_an_existing_kit_broadcast_through_a_hosted_link_that_serves_the_png()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Kit.NewApiKey();
        await app.ConnectAsync(user, "convertkit", key);
        var chartId = await app.CreateChartAsync(user);
        var broadcast = Kit.AddBroadcast("<p>Dear readers, this month in numbers:</p>");
        var broadcastId = broadcast["id"]!.GetValue<long>();

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "convertkit", target_id = broadcastId.ToString() }));

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        job["broadcast_id"]!.GetValue<string>().ShouldBe(broadcastId.ToString());
        var imageUrl = new Uri(job["image_url"]!.GetValue<string>());
        imageUrl.AbsolutePath.ShouldStartWith($"/api/files/newsletter/{user.Id:N}/");
        var content = Kit.Broadcasts[broadcastId]["content"]!.GetValue<string>();
        content.ShouldStartWith("<p>Dear readers, this month in numbers:</p><div class=\"chartcraft-chart");
        content.ShouldContain($"src=\"{imageUrl.AbsoluteUri.Replace("&", "&amp;")}\"");
        // A private chart has no embed page for readers to open: the image carries no link.
        content.ShouldNotContain("<a ");
        content.ShouldEndWith("</div>");
        Kit.Broadcasts[broadcastId]["status"]!.GetValue<string>().ShouldBe("draft");
        Kit.RequestsTo("PUT", $"/v4/broadcasts/{broadcastId}").Single().Header("X-Kit-Api-Key").ShouldBe(key);

        // A mail client fetches the image without any token.
        var image = await app.Client().GetAsync(imageUrl.PathAndQuery);
        image.StatusCode.ShouldBe(HttpStatusCode.OK);
        image.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await image.Content.ReadAsByteArrayAsync()).ShouldBe(await StoredExportOf(user, chartId));
        NoSecretIn(key);
    }

    [Fact]
    public async Task without_a_target_kit_gets_a_new_draft_broadcast()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "convertkit", Kit.NewApiKey());
        var chartId = await app.CreateChartAsync(user, "Margin by region");

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "convertkit" }));

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        var broadcast = Kit.Broadcasts[long.Parse(job["broadcast_id"]!.GetValue<string>())];
        broadcast["status"]!.GetValue<string>().ShouldBe("draft");
        broadcast["subject"]!.GetValue<string>().ShouldBe("Margin by region");
        broadcast["public"]!.GetValue<bool>().ShouldBeFalse();
        broadcast["content"]!.GetValue<string>().ShouldContain("alt=\"Margin by region\"");
    }

    [Fact]
    public async Task a_provider_429_is_waited_out_and_the_publish_still_completes()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "mailchimp", Mailchimp.NewApiKey());
        var chartId = await app.CreateChartAsync(user);
        var campaign = Mailchimp.AddCampaign("<html><body><p>Rate limited</p></body></html>");
        var uploads = Mailchimp.RequestsTo("POST", "/file-manager/files").Count;
        Mailchimp.FailNext("POST", "/file-manager/files", 429,
            FakeMailchimp.Problem(429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections."), retryAfter: "1");

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "mailchimp", target_id = campaign.Id }));

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        (Mailchimp.RequestsTo("POST", "/file-manager/files").Count - uploads).ShouldBe(2);
        Mailchimp.Campaigns[campaign.Id].Html!.ShouldContain("<p>Rate limited</p><div class=\"chartcraft-chart");
    }

    [Fact]
    public async Task a_provider_401_fails_the_job_at_once_with_the_providers_reason_and_marks_the_connection_error()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Mailchimp.NewApiKey();
        await app.ConnectAsync(user, "mailchimp", key);
        var chartId = await app.CreateChartAsync(user);
        var campaign = Mailchimp.AddCampaign("<html><body></body></html>");
        Mailchimp.Revoke(key);

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "mailchimp", target_id = campaign.Id }));

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["error"]!.GetValue<string>().ShouldBe(
            "Mailchimp: API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        Mailchimp.RequestsTo("GET", $"/campaigns/{campaign.Id}/content").Count.ShouldBe(1); // no retry of a refusal
        var integration = (await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().Single()!;
        integration["status"]!.GetValue<string>().ShouldBe("error");
        integration["last_error"]!.GetValue<string>().ShouldStartWith("API Key Invalid");
        (await ChartEventsAsync(app.Store, chartId)).OfType<ChartPublished>().ShouldBeEmpty();
        NoSecretIn(key);
    }

    [Fact]
    public async Task a_provider_outage_is_retried_by_the_job_and_after_the_last_attempt_the_job_fails_with_the_reason()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "mailchimp", Mailchimp.NewApiKey());
        var chartId = await app.CreateChartAsync(user);
        var campaign = Mailchimp.AddCampaign("<html><body><p>Outage</p></body></html>");
        Mailchimp.FailNext("GET", $"/campaigns/{campaign.Id}/content", 503,
            FakeMailchimp.Problem(503, "Service Unavailable", "Mailchimp is down for maintenance."), times: 100);

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "mailchimp", target_id = campaign.Id }));

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["error"]!.GetValue<string>().ShouldBe("Mailchimp: Service Unavailable: Mailchimp is down for maintenance.");
        // 3 attempts of the job (cooldowns "1,1"), each with the HTTP pipeline's first try and 3 retries.
        Mailchimp.RequestsTo("GET", $"/campaigns/{campaign.Id}/content").Count.ShouldBe(3 * 4);
        await using (var session = app.Store.QuerySession())
            (await session.LoadAsync<PublishJob>(Guid.Parse(job["publish_id"]!.GetValue<string>())))!.Attempts.ShouldBe(3);
        Mailchimp.Campaigns[campaign.Id].Html.ShouldBe("<html><body><p>Outage</p></body></html>");
        // An outage is not the connection's fault.
        (await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().Single()!["status"]!
            .GetValue<string>().ShouldBe("connected");
    }

    [Fact]
    public async Task a_kit_oauth_connection_is_refreshed_for_the_job_and_a_401_after_that_still_marks_it_error()
    {
        var user = await app.RegisterVerifiedAsync();
        Kit.TokenLifetimeSeconds = 60; // due for refresh at the first use
        try
        {
            await app.ConnectWithOAuthAsync(user, "convertkit");
        }
        finally
        {
            Kit.TokenLifetimeSeconds = 172800;
        }
        var chartId = await app.CreateChartAsync(user);
        var broadcastId = Kit.AddBroadcast("<p>Hi</p>")["id"]!.GetValue<long>();
        var refreshes = Kit.RequestsTo("POST", "/v4/oauth/token").Count(r => r.Json?["grant_type"]?.GetValue<string>() == "refresh_token");
        Kit.FailNext("PUT", $"/v4/broadcasts/{broadcastId}", 401, FakeKit.Errors("The access token is invalid"));

        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "convertkit", target_id = broadcastId.ToString() }));

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["error"]!.GetValue<string>().ShouldBe("Kit: The access token is invalid");
        Kit.RequestsTo("POST", "/v4/oauth/token").Count(r => r.Json?["grant_type"]?.GetValue<string>() == "refresh_token").ShouldBe(refreshes + 1);
        Kit.RequestsTo("GET", $"/v4/broadcasts/{broadcastId}").Single().Header("Authorization")!.ShouldStartWith("Bearer kit-access-");
        // Both updates of the connection landed: the refreshed tokens, then the refusal.
        var integration = (await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().Single()!;
        integration["status"]!.GetValue<string>().ShouldBe("error");
        integration["last_error"]!.GetValue<string>().ShouldBe("The access token is invalid");
        (await app.Client(user.AccessToken).GetAsync("/api/integrations?check=true")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().Single()!["status"]!
            .GetValue<string>().ShouldBe("connected"); // the refreshed token was stored and still works
    }

    [Fact]
    public async Task a_campaign_that_does_not_exist_fails_the_job_with_mailchimps_404()
    {
        var user = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(user, "mailchimp", Mailchimp.NewApiKey());
        var chartId = await app.CreateChartAsync(user);
        var job = await FinishedAsync(user, await AcceptedAsync(user, new { chart_id = chartId, provider = "mailchimp", target_id = "deadbeef00" }));
        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["error"]!.GetValue<string>().ShouldBe("Mailchimp: Resource Not Found: The requested resource could not be found.");
        (await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().Single()!["status"]!
            .GetValue<string>().ShouldBe("connected");
    }

    [Fact]
    public async Task publish_jobs_and_charts_of_other_users_are_404()
    {
        var owner = await app.RegisterVerifiedAsync();
        var intruder = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(owner, "convertkit", Kit.NewApiKey());
        await app.ConnectAsync(intruder, "convertkit", Kit.NewApiKey());
        var chartId = await app.CreateChartAsync(owner);
        var publishId = await AcceptedAsync(owner, new { chart_id = chartId, provider = "convertkit" });

        var peek = await app.Client(intruder.AccessToken).GetAsync($"/api/newsletter/publish/{publishId}");
        peek.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await peek.JsonAsync()).ShouldBeProblem(404);
        (await app.Client(intruder.AccessToken).GetAsync($"/api/newsletter/publish/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var steal = await PublishAsync(intruder, new { chart_id = chartId, provider = "convertkit" });
        steal.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Client().GetAsync($"/api/newsletter/publish/{publishId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await FinishedAsync(owner, publishId))["status"]!.GetValue<string>().ShouldBe("completed");
    }

    [Fact]
    public async Task publishing_needs_a_connection_a_known_provider_and_well_formed_fields()
    {
        var user = await app.RegisterVerifiedAsync();
        var chartId = await app.CreateChartAsync(user);

        var unconnected = await PublishAsync(user, new { chart_id = chartId, provider = "mailchimp" });
        unconnected.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unconnected.JsonAsync()).ShouldBeProblem(422)["detail"]!.GetValue<string>().ShouldBe("Connect Mailchimp before publishing to it.");

        await app.ConnectAsync(user, "convertkit", Kit.NewApiKey());
        async Task<JsonNode> Invalid(object request)
        {
            var response = await PublishAsync(user, request);
            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            return (await response.JsonAsync())["errors"]!;
        }
        (await Invalid(new { chart_id = chartId, provider = "substack" }))["provider"].ShouldNotBeNull();
        (await Invalid(new { chart_id = chartId, provider = "convertkit", target_id = "abc" }))["target_id"].ShouldNotBeNull();
        (await Invalid(new { chart_id = chartId, provider = "convertkit", link_url = "javascript:alert(1)" }))["link_url"].ShouldNotBeNull();
        (await Invalid(new { chart_id = chartId, provider = "convertkit", alt_text = new string('a', 501) }))["alt_text"].ShouldNotBeNull();
        (await PublishAsync(user, new { chart_id = Guid.NewGuid(), provider = "convertkit" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task the_contract_documents_every_newsletter_endpoint_with_its_status_codes()
    {
        var doc = await (await app.Client().GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var paths = doc["paths"]!.AsObject();
        string[] Codes(string path, string method) => paths[path]![method]!["responses"]!.AsObject().Select(r => r.Key).ToArray();
        Codes("/api/newsletter/publish", "post").ShouldContain("202");
        Codes("/api/newsletter/publish/{publish_id}", "get").ShouldContain("404");
        Codes("/api/integrations/{provider}/connect", "post").ShouldBe(["201", "400", "401", "403", "404", "422", "503"], ignoreOrder: true);
        Codes("/api/integrations/{provider}/oauth/callback", "get").ShouldContain("302");
        Codes("/api/integrations/{provider}", "delete").ShouldContain("204");
        Codes("/api/integrations", "get").ShouldContain("200");
        Codes("/api/integrations/{provider}/oauth/start", "get").ShouldContain("200");
        Codes("/api/integrations/{provider}/oauth/start", "get").ShouldContain("403"); // an unverified email
    }

    /// <summary>The PNG the real export feature rendered and stored for this chart.</summary>
    async Task<byte[]> StoredExportOf(TestUser user, Guid chartId)
    {
        var storage = app.Host.Services.GetRequiredService<ChartCraft.Infrastructure.Storage.IBlobStorage>();
        var stored = (await storage.ListAsync($"exports/{user.Id:N}/{chartId:N}/")).Single(b => b.Key.EndsWith(".png"));
        await using var stream = (await storage.OpenReadAsync(stored.Key))!;
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
