using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Tests.Support.Fakes;

namespace ChartCraft.Tests.Newsletter.Integrations;

/// <summary>The Mailchimp and Kit clients on the wire, against fake providers speaking the documented APIs.</summary>
public sealed class ProviderClientTests(ProviderFakes fakes) : IClassFixture<ProviderFakes>
{
    FakeMailchimp Mailchimp => fakes.Mailchimp;
    FakeKit Kit => fakes.Kit;

    static IntegrationCredentials MailchimpKey(string key) =>
        new(AuthMethods.ApiKey, key, DataCentre: MailchimpDataCentre.FromApiKey(key));

    [Fact]
    public async Task mailchimp_ping_goes_to_the_keys_data_centre_with_the_key_as_basic_auth_password()
    {
        var key = Mailchimp.NewApiKey(dataCentre: "us19");
        await fakes.MailchimpClient.PingAsync(MailchimpKey(key), CancellationToken.None);

        var ping = Mailchimp.Requests.Last(r => r.Path.EndsWith("/3.0/ping", StringComparison.Ordinal));
        ping.Path.ShouldBe("/us19/3.0/ping");
        var authorization = ping.Header("Authorization")!;
        authorization.ShouldStartWith("Basic ");
        Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..])).Split(':', 2)[1].ShouldBe(key);
    }

    [Fact]
    public async Task a_key_mailchimp_refuses_is_a_401_with_mailchimps_own_words()
    {
        var key = Mailchimp.NewApiKey();
        Mailchimp.Revoke(key);
        var error = await Should.ThrowAsync<ProviderException>(() => fakes.MailchimpClient.PingAsync(MailchimpKey(key), CancellationToken.None));
        error.StatusCode.ShouldBe(401);
        error.IsUnauthorized.ShouldBeTrue();
        error.IsTransient.ShouldBeFalse();
        error.Reason.ShouldBe("API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        error.Message.ShouldNotContain(key);
    }

    [Fact]
    public async Task the_account_name_comes_from_the_api_root()
    {
        var key = Mailchimp.NewApiKey("Numbers & Co");
        (await fakes.MailchimpClient.GetAccountNameAsync(MailchimpKey(key), CancellationToken.None)).ShouldBe("Numbers & Co");
    }

    [Fact]
    public async Task an_upload_sends_the_exact_png_bytes_base64_encoded_with_a_name()
    {
        var key = Mailchimp.NewApiKey();
        var png = TestPng.Create(12, 8, "upload test");
        var file = await fakes.MailchimpClient.UploadFileAsync(MailchimpKey(key), "chart.png", png, CancellationToken.None);

        Mailchimp.FileByUrl(file.FullSizeUrl).ShouldBe(png);
        var body = Mailchimp.RequestsTo("POST", "/file-manager/files").Last().Json!;
        body["name"]!.GetValue<string>().ShouldBe("chart.png");
        Convert.FromBase64String(body["file_data"]!.GetValue<string>()).ShouldBe(png);
    }

    [Fact]
    public async Task a_429_is_retried_after_the_seconds_its_retry_after_asks_for()
    {
        var key = Mailchimp.NewApiKey();
        var before = Mailchimp.RequestsTo("POST", "/file-manager/files").Count;
        Mailchimp.FailNext("POST", "/file-manager/files", 429,
            FakeMailchimp.Problem(429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections."), retryAfter: "1");

        var clock = Stopwatch.StartNew();
        var file = await fakes.MailchimpClient.UploadFileAsync(MailchimpKey(key), "retry.png", TestPng.Create(2, 2, "retry"), CancellationToken.None);

        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(950));
        file.FullSizeUrl.ShouldEndWith("/retry.png");
        (Mailchimp.RequestsTo("POST", "/file-manager/files").Count - before).ShouldBe(2);
    }

    [Fact]
    public async Task a_429_asking_for_more_than_a_minute_is_handed_back_as_transient_instead_of_waited_out()
    {
        var key = Mailchimp.NewApiKey();
        var before = Mailchimp.RequestsTo("GET", "/ping").Count;
        Mailchimp.FailNext("GET", "/ping", 429, FakeMailchimp.Problem(429, "Too Many Requests", "Slow down."), retryAfter: "600");

        var error = await Should.ThrowAsync<ProviderException>(() => fakes.MailchimpClient.PingAsync(MailchimpKey(key), CancellationToken.None));
        error.StatusCode.ShouldBe(429);
        error.IsTransient.ShouldBeTrue();
        (Mailchimp.RequestsTo("GET", "/ping").Count - before).ShouldBe(1);
    }

    [Fact]
    public async Task server_errors_are_retried_for_reads_and_puts_but_never_for_posts_which_could_run_twice()
    {
        var key = Mailchimp.NewApiKey();
        var campaign = Mailchimp.AddCampaign("<html><body><p>Hi</p></body></html>");
        Mailchimp.FailNext("GET", $"/campaigns/{campaign.Id}/content", 503, FakeMailchimp.Problem(503, "Service Unavailable", "Try later."));
        (await fakes.MailchimpClient.GetCampaignHtmlAsync(MailchimpKey(key), campaign.Id, CancellationToken.None))!.ShouldContain("<p>Hi</p>");
        Mailchimp.RequestsTo("GET", $"/campaigns/{campaign.Id}/content").Count.ShouldBe(2);

        var campaignsBefore = Mailchimp.Campaigns.Count;
        var postsBefore = Mailchimp.RequestsTo("POST", "/3.0/campaigns").Count;
        Mailchimp.FailNext("POST", "/3.0/campaigns", 500, FakeMailchimp.Problem(500, "Internal Server Error", "Oops."));
        var error = await Should.ThrowAsync<ProviderException>(() =>
            fakes.MailchimpClient.CreateDraftCampaignAsync(MailchimpKey(key), "Subject", "Title", CancellationToken.None));
        error.StatusCode.ShouldBe(500);
        (Mailchimp.RequestsTo("POST", "/3.0/campaigns").Count - postsBefore).ShouldBe(1);
        Mailchimp.Campaigns.Count.ShouldBe(campaignsBefore);
    }

    [Fact]
    public async Task a_new_campaign_is_a_regular_campaign_without_recipients_so_mailchimp_keeps_it_as_a_draft()
    {
        var key = Mailchimp.NewApiKey();
        var id = await fakes.MailchimpClient.CreateDraftCampaignAsync(MailchimpKey(key), "Revenue by month", "ChartCraft: Revenue", CancellationToken.None);
        var sent = Mailchimp.RequestsTo("POST", "/3.0/campaigns").Last().Json!;
        sent["type"]!.GetValue<string>().ShouldBe("regular");
        sent["settings"]!["subject_line"]!.GetValue<string>().ShouldBe("Revenue by month");
        sent["recipients"].ShouldBeNull();
        Mailchimp.Campaigns[id].Status.ShouldBe("save");
    }

    [Fact]
    public async Task mailchimp_gets_at_most_10_simultaneous_requests_per_account_and_other_accounts_are_not_held_up()
    {
        var first = MailchimpKey(Mailchimp.NewApiKey());
        var second = MailchimpKey(Mailchimp.NewApiKey());
        Mailchimp.ResponseDelay = TimeSpan.FromMilliseconds(300);
        try
        {
            Mailchimp.ResetCounters();
            await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => fakes.MailchimpClient.PingAsync(first, CancellationToken.None)));
            Mailchimp.MaxConcurrentRequests.ShouldBeLessThanOrEqualTo(ProviderRateLimits.MailchimpConcurrentConnections);
            Mailchimp.MaxConcurrentRequests.ShouldBeGreaterThan(1, "requests of one account still run side by side");

            Mailchimp.ResetCounters();
            await Task.WhenAll(Enumerable.Range(0, 15).SelectMany(_ => new[]
            {
                fakes.MailchimpClient.PingAsync(first, CancellationToken.None),
                fakes.MailchimpClient.PingAsync(second, CancellationToken.None),
            }));
            // The limit is per account: together the two accounts go past one account's 10, never past both.
            Mailchimp.MaxConcurrentRequests.ShouldBeGreaterThan(ProviderRateLimits.MailchimpConcurrentConnections);
            Mailchimp.MaxConcurrentRequests.ShouldBeLessThanOrEqualTo(2 * ProviderRateLimits.MailchimpConcurrentConnections);
        }
        finally
        {
            Mailchimp.ResponseDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void the_kit_limiter_grants_120_requests_a_minute_per_key_and_queues_the_next()
    {
        using var limits = new ProviderRateLimits();
        HttpRequestMessage For(string account)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "http://kit.test/v4/account");
            request.Options.Set(ProviderRateLimits.AccountKey, account);
            return request;
        }
        var leases = Enumerable.Range(0, ProviderRateLimits.KitRequestsPerMinute).Select(_ => limits.Kit.AttemptAcquire(For("a"))).ToList();
        leases.ShouldAllBe(l => l.IsAcquired);
        limits.Kit.AttemptAcquire(For("a")).IsAcquired.ShouldBeFalse();
        var queued = limits.Kit.AcquireAsync(For("a")).AsTask();
        queued.IsCompleted.ShouldBeFalse();
        limits.Kit.AttemptAcquire(For("b")).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task the_mailchimp_limiter_frees_a_slot_when_a_request_finishes()
    {
        using var limits = new ProviderRateLimits();
        var request = new HttpRequestMessage(HttpMethod.Get, "http://mc.test/3.0/ping");
        request.Options.Set(ProviderRateLimits.AccountKey, "account");
        var leases = Enumerable.Range(0, 10).Select(_ => limits.Mailchimp.AttemptAcquire(request)).ToList();
        leases.ShouldAllBe(l => l.IsAcquired);
        var waiting = limits.Mailchimp.AcquireAsync(request).AsTask();
        waiting.IsCompleted.ShouldBeFalse();
        leases[0].Dispose();
        waiting.IsCompletedSuccessfully.ShouldBeTrue();
        (await waiting).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task kit_api_keys_travel_in_x_kit_api_key_and_oauth_tokens_as_bearer()
    {
        var key = Kit.NewApiKey("Kit Numbers");
        (await fakes.KitClient.GetAccountNameAsync(new IntegrationCredentials(AuthMethods.ApiKey, key), CancellationToken.None))
            .ShouldBe("Kit Numbers");
        var request = Kit.RequestsTo("GET", "/v4/account").Last();
        request.Header("X-Kit-Api-Key").ShouldBe(key);
        request.Header("Authorization").ShouldBeNull();

        var error = await Should.ThrowAsync<ProviderException>(() =>
            fakes.KitClient.GetAccountNameAsync(new IntegrationCredentials(AuthMethods.OAuth, "not-a-token"), CancellationToken.None));
        Kit.RequestsTo("GET", "/v4/account").Last().Header("Authorization").ShouldBe("Bearer not-a-token");
        error.IsUnauthorized.ShouldBeTrue();
        error.Reason.ShouldBe("The access token is invalid");
    }

    [Fact]
    public async Task kit_broadcast_errors_quote_the_errors_array()
    {
        var key = Kit.NewApiKey();
        var error = await Should.ThrowAsync<ProviderException>(() =>
            fakes.KitClient.GetBroadcastAsync(new IntegrationCredentials(AuthMethods.ApiKey, key), 999_999, CancellationToken.None));
        error.StatusCode.ShouldBe(404);
        error.Reason.ShouldBe("Not Found");
        error.Message.ShouldBe("Kit: Not Found");
    }

    [Theory]
    [InlineData("{\"type\":\"t\",\"title\":\"Resource Not Found\",\"status\":404,\"detail\":\"The campaign is gone.\",\"instance\":\"x\"}", "Resource Not Found: The campaign is gone.")]
    [InlineData("{\"errors\":[\"Email template not found\",\"Only a single filter group is supported.\"]}", "Email template not found; Only a single filter group is supported.")]
    [InlineData("{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant is invalid\"}", "invalid_grant: The provided authorization grant is invalid")]
    [InlineData("{}", "HTTP 502 BadGateway")]
    public void provider_errors_are_told_in_the_providers_words(string body, string reason) =>
        ProviderHttp.ErrorReason(JsonNode.Parse(body), HttpStatusCode.BadGateway).ShouldBe(reason);
}
