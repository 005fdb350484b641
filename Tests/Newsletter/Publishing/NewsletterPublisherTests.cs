using System.Text.Json.Nodes;
using System.Web;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Newsletter.Integrations;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Newsletter.Publishing;

/// <summary>The provider operations of a publish, as plain code against fake Mailchimp and Kit servers.</summary>
public sealed class NewsletterPublisherTests(ProviderFakes fakes) : IClassFixture<ProviderFakes>, IDisposable
{
    readonly string _storagePath = Path.Combine(Path.GetTempPath(), "chartcraft-tests", "publisher-" + Guid.NewGuid().ToString("N"));
    static readonly AppSettings App = new(false, [], 10, 100, "https://charts.example.com", "https://app.example.com");

    LocalBlobStorage Storage() => new(new StorageSettings(null, "us-east-1", null, null, null, _storagePath, TimeSpan.FromHours(1)),
        new PublicUrls(App, new Microsoft.AspNetCore.Http.HttpContextAccessor()),
        new DownloadLinkSigner(new JwtSettings(TestEnvironment.JwtSecret, "HS256", 1, 1, 4, "chartcraft")));

    NewsletterPublisher Publisher(IBlobStorage? storage = null) =>
        new(fakes.MailchimpClient, fakes.KitClient, storage ?? Storage(), fakes.Services.GetRequiredService<NewsletterPlatformSettings>());

    static NewsletterChart Chart(string title = "Revenue by month", string? alt = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), title, alt ?? title, "https://charts.example.com/embed/abc",
            TestPng.Create(24, 16, "publisher test " + Guid.NewGuid()));

    IntegrationCredentials MailchimpAccount() =>
        new(AuthMethods.ApiKey, fakes.Mailchimp.NewApiKey(), DataCentre: "us6");

    IntegrationCredentials KitAccount() => new(AuthMethods.ApiKey, fakes.Kit.NewApiKey());

    static Func<string, Task> Ignore => _ => Task.CompletedTask;

    [Fact]
    public async Task into_a_mailchimp_campaign_the_chart_is_uploaded_and_inserted_before_body_keeping_the_content()
    {
        const string original = "<!DOCTYPE html><html><head><title>March</title></head><body><h1>March issue</h1><p>Hello readers</p></body></html>";
        var campaign = fakes.Mailchimp.AddCampaign(original);
        var chart = Chart(alt: "Revenue rose 12% in March");

        var outcome = await Publisher().PublishAsync(NewsletterProviders.Mailchimp, MailchimpAccount(), chart, campaign.Id, Ignore, CancellationToken.None);

        outcome.CampaignId.ShouldBe(campaign.Id);
        outcome.BroadcastId.ShouldBeNull();
        fakes.Mailchimp.FileByUrl(outcome.ImageUrl).ShouldBe(chart.Png);
        var html = fakes.Mailchimp.Campaigns[campaign.Id].Html!;
        var at = original.IndexOf("</body>", StringComparison.Ordinal);
        html.ShouldStartWith(original[..at] + "<div class=\"chartcraft-chart");
        html.ShouldEndWith("</a></div></body></html>");
        html.ShouldContain($"<img src=\"{outcome.ImageUrl}\" alt=\"Revenue rose 12% in March\" width=\"600\"");
        html.ShouldContain("<a href=\"https://charts.example.com/embed/abc\"");
    }

    [Fact]
    public async Task a_wrong_campaign_id_fails_with_mailchimps_reason_before_anything_is_uploaded()
    {
        var uploads = fakes.Mailchimp.RequestsTo("POST", "/file-manager/files").Count;
        var error = await Should.ThrowAsync<ProviderException>(() =>
            Publisher().PublishAsync(NewsletterProviders.Mailchimp, MailchimpAccount(), Chart(), "0000000000", Ignore, CancellationToken.None));
        error.StatusCode.ShouldBe(404);
        error.Message.ShouldBe("Mailchimp: Resource Not Found: The requested resource could not be found.");
        fakes.Mailchimp.RequestsTo("POST", "/file-manager/files").Count.ShouldBe(uploads);
    }

    [Fact]
    public async Task without_a_target_a_draft_campaign_is_created_holding_only_the_chart()
    {
        var chart = Chart("Units per region");
        string? remembered = null;
        var outcome = await Publisher().PublishAsync(NewsletterProviders.Mailchimp, MailchimpAccount(), chart, null,
            id => { remembered = id; return Task.CompletedTask; }, CancellationToken.None);

        outcome.CampaignId.ShouldNotBeNull();
        remembered.ShouldBe(outcome.CampaignId);
        var campaign = fakes.Mailchimp.Campaigns[outcome.CampaignId];
        campaign.Status.ShouldBe("save");
        campaign.Settings["subject_line"]!.GetValue<string>().ShouldBe("Units per region");
        campaign.Html!.ShouldStartWith("<!DOCTYPE html><html><head>");
        campaign.Html.ShouldContain("<title>Units per region</title>");
        campaign.Html.ShouldContain($"<img src=\"{outcome.ImageUrl}\" alt=\"Units per region\"");
    }

    [Fact]
    public async Task a_retried_job_does_not_insert_its_chart_twice()
    {
        var campaign = fakes.Mailchimp.AddCampaign("<html><body><p>Once</p></body></html>");
        var chart = Chart();
        var account = MailchimpAccount();
        await Publisher().PublishAsync(NewsletterProviders.Mailchimp, account, chart, campaign.Id, Ignore, CancellationToken.None);
        var afterFirst = fakes.Mailchimp.Campaigns[campaign.Id].Html;
        await Publisher().PublishAsync(NewsletterProviders.Mailchimp, account, chart, campaign.Id, Ignore, CancellationToken.None);
        fakes.Mailchimp.Campaigns[campaign.Id].Html.ShouldBe(afterFirst);
    }

    [Fact]
    public async Task into_a_kit_broadcast_the_content_and_settings_are_kept_and_the_image_is_a_long_lived_hosted_link()
    {
        var storage = Storage();
        var broadcast = fakes.Kit.AddBroadcast("<p>Welcome to the March issue.</p>");
        var id = broadcast["id"]!.GetValue<long>();
        var chart = Chart();

        var outcome = await Publisher(storage).PublishAsync(NewsletterProviders.ConvertKit, KitAccount(), chart, id.ToString(), Ignore, CancellationToken.None);

        outcome.BroadcastId.ShouldBe(id.ToString());
        var put = fakes.Kit.RequestsTo("PUT", $"/v4/broadcasts/{id}").Single().Json!.AsObject();
        put["content"]!.GetValue<string>().ShouldStartWith("<p>Welcome to the March issue.</p><div class=\"chartcraft-chart");
        put["subject"]!.GetValue<string>().ShouldBe("Our monthly numbers");
        put["email_template_id"]!.GetValue<long>().ShouldBe(6);
        put["public"]!.GetValue<bool>().ShouldBeFalse();
        put.ContainsKey("send_at").ShouldBeFalse(); // a draft stays a draft
        put.ContainsKey("subscriber_filter").ShouldBeFalse(); // Kit's {type: all_subscribers} is not accepted back
        var stored = fakes.Kit.Broadcasts[id];
        stored["content"]!.GetValue<string>().ShouldBe(put["content"]!.GetValue<string>());
        stored["status"]!.GetValue<string>().ShouldBe("draft");

        // Kit cannot host images: the link points at our copy, signed for NEWSLETTER_IMAGE_LINK_DAYS (365).
        var link = new Uri(outcome.ImageUrl);
        link.GetLeftPart(UriPartial.Path).ShouldBe($"https://charts.example.com/api/files/newsletter/{chart.UserId:N}/{chart.PublishId:N}.png");
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(HttpUtility.ParseQueryString(link.Query)["expires"]!));
        (expires - DateTimeOffset.UtcNow).TotalDays.ShouldBeInRange(364.9, 365.1);
        await using var copy = (await storage.OpenReadAsync($"newsletter/{chart.UserId:N}/{chart.PublishId:N}.png"))!;
        using var bytes = new MemoryStream();
        await copy.CopyToAsync(bytes);
        bytes.ToArray().ShouldBe(chart.Png);
        stored["content"]!.GetValue<string>().ShouldContain($"src=\"{outcome.ImageUrl.Replace("&", "&amp;")}\"");
    }

    [Fact]
    public async Task without_a_target_kit_gets_a_new_unscheduled_private_draft_broadcast()
    {
        var chart = Chart("Churn by cohort");
        var outcome = await Publisher().PublishAsync(NewsletterProviders.ConvertKit, KitAccount(), chart, null, Ignore, CancellationToken.None);

        var post = fakes.Kit.RequestsTo("POST", "/v4/broadcasts").Last().Json!.AsObject();
        post.ContainsKey("send_at").ShouldBeTrue();
        post["send_at"].ShouldBeNull();
        post["public"]!.GetValue<bool>().ShouldBeFalse();
        post["subject"]!.GetValue<string>().ShouldBe("Churn by cohort");
        var broadcast = fakes.Kit.Broadcasts[long.Parse(outcome.BroadcastId!)];
        broadcast["status"]!.GetValue<string>().ShouldBe("draft");
        broadcast["content"]!.GetValue<string>().ShouldStartWith("<div class=\"chartcraft-chart");
    }

    [Fact]
    public async Task a_kit_broadcast_id_must_be_a_number()
    {
        var error = await Should.ThrowAsync<ProviderException>(() =>
            Publisher().PublishAsync(NewsletterProviders.ConvertKit, KitAccount(), Chart(), "abc", Ignore, CancellationToken.None));
        error.StatusCode.ShouldBe(404);
    }

    [Fact]
    public async Task on_s3_the_image_link_stays_within_the_seven_days_aws_allows_for_presigned_urls()
    {
        // The real S3 storage against the S3-compatible test server: the presigned link says how long it lives.
        using var storage = new S3BlobStorage(new StorageSettings(TestEnvironment.S3Bucket, "us-east-1", "S3RVER", "S3RVER",
            TestEnvironment.S3EndpointUrl, "unused", TimeSpan.FromHours(1)));
        var outcome = await Publisher(storage).PublishAsync(NewsletterProviders.ConvertKit, KitAccount(), Chart(), null, Ignore, CancellationToken.None);
        // AWS's ceiling is 604 800 s. SigV4 links carry X-Amz-Expires (seconds); older-style links an absolute
        // Expires (epoch seconds) counted from the SDK's clock, which read the time before we do here: measured
        // from the next whole second, the lifetime can only come out at or below what the SDK granted.
        var signedBy = (long)Math.Ceiling(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        var query = HttpUtility.ParseQueryString(new Uri(outcome.ImageUrl).Query);
        var lifetime = query["X-Amz-Expires"] is { } seconds
            ? int.Parse(seconds)
            : long.Parse(query["Expires"] ?? throw new ShouldAssertException($"not a presigned S3 link: {outcome.ImageUrl}"))
              - signedBy;
        lifetime.ShouldBeInRange(604_600, 604_800);
        (await new HttpClient().GetAsync(outcome.ImageUrl)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public void the_kit_update_echoes_only_what_the_update_accepts()
    {
        var raw = JsonNode.Parse("""
            {"id": 7, "subject": "S", "preview_text": null, "description": "D", "content": "<p>x</p>", "public": true,
             "published_at": null, "send_at": null, "thumbnail_alt": null, "thumbnail_url": "https://t/x.png",
             "email_address": null, "email_template": {"id": 2, "name": "Classic"},
             "subscriber_filter": [{"all": [{"type": "segment", "ids": [18]}]}], "status": "draft"}
            """)!.AsObject();
        var update = NewsletterPublisher.KitUpdate(new KitBroadcast(7, "draft", "S", "<p>x</p>", raw), "<p>x</p>[chart]");
        update.Select(p => p.Key).OrderBy(k => k).ShouldBe(
            ["content", "description", "email_template_id", "public", "subject", "subscriber_filter", "thumbnail_url"]);
        update["subscriber_filter"]!.ToJsonString().ShouldBe("[{\"all\":[{\"type\":\"segment\",\"ids\":[18]}]}]");
        update["public"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData("Revenue by month", "chartcraft-revenue-by-month-")]
    [InlineData("  Ümsatz / Q1 — 2024 ", "chartcraft-msatz-q1-2024-")]
    [InlineData("???", "chartcraft-")]
    public void file_names_are_readable_slugs_unique_per_job(string title, string prefix)
    {
        var chart = Chart(title);
        NewsletterPublisher.FileName(chart).ShouldBe(prefix + chart.PublishId.ToString("N")[..8] + ".png");
    }

    public void Dispose()
    {
        if (Directory.Exists(_storagePath)) Directory.Delete(_storagePath, recursive: true);
    }
}
