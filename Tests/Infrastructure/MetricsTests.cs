using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public sealed class MetricsLabelTests(AppFixture app)
{
    [Fact]
    public async Task metrics_name_no_database_host_user_or_connection_string()
    {
        // Touch PostgreSQL through several paths first, so every meter that could report on it has.
        var user = await app.RegisterAsync();
        await app.UploadOkAsync(user, "region,units\nNorth,3\nSouth,5\n");
        await app.Client(user.AccessToken).GetAsync("/health/ready");

        var text = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        text.ShouldContain("http_requests_received_total");
        text.ShouldNotContain("pool_name");
        text.ShouldNotContain("Host=", Case.Insensitive);
        text.ShouldNotContain("Username=", Case.Insensitive);
        text.ShouldNotContain(app.Schema);
        text.ShouldNotContain(user.Email);
        text.ShouldNotContain(user.Id.ToString());

        // The port is only a leak where a label carries it: a sample value such as a
        // duration sum of 0.0554330 may contain the same digits by chance.
        var databasePort = new Uri(TestEnvironment.DatabaseUrl).Port.ToString();
        var labels = string.Join("\n", Regex.Matches(text, @"\{[^}\n]*\}").Select(match => match.Value));
        labels.ShouldContain("method=");
        labels.ShouldNotContain(databasePort);
    }
}

/// <summary>A host whose /metrics needs a token and serves a snapshot for a minute.</summary>
public sealed class GuardedMetricsFixture : AppFixture
{
    public const string Token = "scrape-token-5b1e0c7d9a2f4e68";

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["METRICS_TOKEN"] = Token,
        ["METRICS_CACHE_SECONDS"] = "60",
    };
}

public sealed class GuardedMetricsTests(GuardedMetricsFixture app) : IClassFixture<GuardedMetricsFixture>
{
    HttpClient Scraper(string? token)
    {
        var client = app.Client();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task without_the_token_metrics_are_401_and_with_it_200()
    {
        var anonymous = await Scraper(null).GetAsync("/metrics");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        var problem = (await anonymous.JsonAsync()).ShouldBeProblem(401);
        problem["detail"]!.GetValue<string>().ShouldNotContain(GuardedMetricsFixture.Token);

        (await Scraper("scrape-token-wrong-000000000000").GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // A user's access token is not a scrape token.
        var user = await app.RegisterAsync();
        (await Scraper(user.AccessToken).GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var allowed = await Scraper(GuardedMetricsFixture.Token).GetAsync("/metrics");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await allowed.Content.ReadAsStringAsync()).ShouldContain("# TYPE http_request_duration_seconds histogram");
    }

    [Fact]
    public async Task scrapes_within_the_cache_time_share_one_snapshot()
    {
        var scraper = Scraper(GuardedMetricsFixture.Token);
        var first = await (await scraper.GetAsync("/metrics")).Content.ReadAsStringAsync();
        // Traffic between the scrapes changes the counters, but not the snapshot served.
        var user = await app.RegisterAsync();
        for (var i = 0; i < 5; i++) await app.Client(user.AccessToken).GetAsync("/api/auth/me");
        var scrapes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => scraper.GetStringAsync("/metrics")));
        scrapes.ShouldAllBe(s => s == first);
    }
}
