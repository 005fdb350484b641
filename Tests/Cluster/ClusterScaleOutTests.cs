using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;

namespace ChartCraft.Tests.Cluster;

/// <summary>Issue "scale-out proven": links, scheduled jobs and OAuth, each across the three instances.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterScaleOutTests(ClusterFixture cluster)
{
    static async Task<JsonElement> EmbedAsync(HttpClient client, string chartId, string? spoofedHost = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/export/embed") { Content = JsonContent.Create(new { chart_id = chartId }) };
        if (spoofedHost is not null)
        {
            request.Headers.Add("X-Forwarded-Host", spoofedHost);
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task without_public_base_url_links_made_through_nginx_carry_its_host_and_port()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await anonymous.RegisterAsync();
        using var balanced = ClusterFixture.ClientFrom(cluster.Balancer).WithToken(token);
        var chartId = await balanced.CreateYieldChartAsync(await balanced.UploadBarleyAsync());

        // Through nginx (the one trusted proxy): whichever instance answers, the address the client used.
        for (var i = 0; i < 3; i++)
        {
            var embed = await EmbedAsync(balanced, chartId);
            embed.GetProperty("embed_url").GetString().ShouldBe($"{cluster.Balancer}/embed/{chartId}?theme=light");
            embed.GetProperty("iframe_code").GetString()!.ShouldContain($"src=\"{cluster.Balancer}/embed/{chartId}");
        }

        // Straight to instance 2 from an untrusted address, with made-up forwarded headers: the instance's own address.
        using var direct = cluster.On(2, token);
        var own = await EmbedAsync(direct, chartId, spoofedHost: "evil.example");
        own.GetProperty("embed_url").GetString().ShouldBe($"{cluster.Instance(2)}/embed/{chartId}?theme=light");
        own.GetProperty("js_code").GetString()!.ShouldNotContain("evil.example");
    }

    [Fact]
    public async Task each_scheduled_job_runs_exactly_once_per_interval_across_the_instances()
    {
        // Watch five whole intervals from the next boundary on, plus a moment for the last runs' log lines.
        var period = (long)ClusterFixture.JobInterval.TotalMilliseconds;
        var first = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / period + 1;
        var watched = Enumerable.Range(0, 5).Select(n => first + n).ToList();
        var until = DateTimeOffset.FromUnixTimeMilliseconds((watched[^1] + 1) * period).AddSeconds(3);
        await Task.Delay(until - DateTimeOffset.UtcNow);

        var runs = Enumerable.Range(1, 3).SelectMany(i => JobRuns(cluster.LogOf(i)).Select(run => (run.Job, run.Interval, Instance: i)))
            .Where(run => watched.Contains(run.Interval))
            .ToList();
        foreach (var job in new[] { "File cleanup", "Integration check", "Pruning the webhook delivery log" })
        {
            var intervals = runs.Where(r => r.Job == job).Select(r => r.Interval).ToList();
            intervals.Order().ToList().ShouldBe(watched, $"{job}: one run per interval, not {intervals.Count} in {watched.Count} (" +
                string.Join(", ", runs.Where(r => r.Job == job).Select(r => $"{r.Interval}@{r.Instance}")) + ")");
        }
    }

    /// <summary>The "… runs for interval N" lines an instance logged (compact JSON: the template's values are fields).</summary>
    static IEnumerable<(string Job, long Interval)> JobRuns(string logFile)
    {
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('{') || !line.Contains("\"Interval\"", StringComparison.Ordinal)) continue;
            var entry = JsonDocument.Parse(line).RootElement;
            if (entry.TryGetProperty("@m", out var message) && message.GetString()!.Contains(" runs for interval ", StringComparison.Ordinal)
                && entry.TryGetProperty("Job", out var job) && entry.TryGetProperty("Interval", out var interval))
                yield return (job.GetString()!, interval.GetInt64());
        }
    }

    [Fact]
    public async Task oauth_started_on_one_instance_completes_on_another_and_the_connection_works_on_a_third()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Instance(1));
        var token = await anonymous.RegisterVerifiedAsync(cluster.MailDrop); // connecting a newsletter needs a verified email
        using var one = cluster.On(1, token);
        using var three = cluster.On(3, token);

        // Started on instance 1: the state is sealed and its nonce kept where every instance can find it.
        var start = await one.GetFromJsonAsync<JsonElement>("/api/integrations/mailchimp/oauth/start");
        var authorize = new Uri(start.GetProperty("authorize_url").GetString()!);
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(cluster.Mailchimp.LoginBaseUrl + "/oauth2/authorize");
        var redirectUri = $"{cluster.Instance(1)}/api/integrations/mailchimp/oauth/callback";
        HttpUtility.ParseQueryString(authorize.Query)["redirect_uri"].ShouldBe(redirectUri);

        // The browser at the provider, which sends it back with a code; the callback lands on instance 2.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(authorize);
        consent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        consent.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri);
        using var two = ClusterFixture.ClientFrom(cluster.Instance(2));
        var callback = await Redirected(two, consent.Headers.Location!.PathAndQuery);
        callback.ShouldBe($"{ClusterFixture.Frontend}/integrations?provider=mailchimp&status=connected");
        // Instance 2 exchanged the code with the redirect URI the flow started with (the fake refuses any other).
        var exchange = HttpUtility.ParseQueryString(cluster.Mailchimp.RequestsTo("POST", "/login/oauth2/token").Last().Body);
        exchange["redirect_uri"].ShouldBe(redirectUri);

        // Instance 3 sees the connection, and can use it: its check decrypts the token and calls Mailchimp with it.
        var pingsBefore = cluster.Mailchimp.RequestsTo("GET", "/3.0/ping").Count;
        var integrations = await three.GetFromJsonAsync<JsonElement>("/api/integrations?check=true");
        var mailchimp = integrations.EnumerateArray().Single();
        mailchimp.GetProperty("provider").GetString().ShouldBe("mailchimp");
        mailchimp.GetProperty("auth_method").GetString().ShouldBe("oauth");
        mailchimp.GetProperty("status").GetString().ShouldBe("connected");
        mailchimp.GetProperty("account_name").GetString().ShouldBe(cluster.Mailchimp.OAuthAccountName);
        mailchimp.GetProperty("last_checked_at").ValueKind.ShouldBe(JsonValueKind.String);
        cluster.Mailchimp.RequestsTo("GET", "/3.0/ping").Count.ShouldBeGreaterThan(pingsBefore);
        cluster.Mailchimp.RequestsTo("GET", "/3.0/ping").Last().Header("Authorization")!.ShouldStartWith("Basic ");

        // The state was spent on instance 2: replaying the callback on instance 3 is refused.
        using var replay = ClusterFixture.ClientFrom(cluster.Instance(3));
        (await Redirected(replay, consent.Headers.Location!.PathAndQuery))
            .ShouldBe($"{ClusterFixture.Frontend}/integrations?provider=mailchimp&status=error&reason=invalid_state");
    }

    static async Task<string> Redirected(HttpClient client, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }
}
