using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Export;
using ChartCraft.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// PUBLIC_BASE_URL unset, behind a load balancer at 10.0.0.5 (TRUSTED_PROXIES): links follow the request. X-Test-Peer
/// stands for the TCP peer (see <see cref="BehindProxyFixture"/>).
/// </summary>
public sealed class LinksFromRequestFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["PUBLIC_BASE_URL"] = "",
        ["TRUSTED_PROXIES"] = "10.0.0.5",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new BehindProxyFixture.PeerAddressFilter());
}

public sealed class PublicUrlTests(LinksFromRequestFixture app) : IClassFixture<LinksFromRequestFixture>
{
    static HttpRequestMessage Forwarded(HttpMethod method, string path, string peer, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Test-Peer", peer);
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "charts.example.org:8443");
        return request;
    }

    async Task<JsonNode> SendAsync(TestUser user, HttpRequestMessage request)
    {
        var response = await app.Client(user.AccessToken).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task without_public_base_url_links_carry_the_scheme_and_host_the_trusted_balancer_forwarded()
    {
        var (user, _, chartId) = await app.ChartAsync();

        var embed = await SendAsync(user, Forwarded(HttpMethod.Post, "/api/export/embed", "10.0.0.5", new { chart_id = chartId, theme = "dark" }));
        var embedUrl = $"https://charts.example.org:8443/embed/{chartId}?theme=dark";
        embed["embed_url"]!.GetValue<string>().ShouldBe(embedUrl);
        embed["iframe_code"]!.GetValue<string>().ShouldContain($"src=\"https://charts.example.org:8443/embed/{chartId}");
        embed["js_code"]!.GetValue<string>().ShouldContain("src=\"https://charts.example.org:8443/static/vendor/chart.umd.min.js\"");

        // The app-signed download link (local storage) too, and it is a working link on that address's path.
        var export = await SendAsync(user, Forwarded(HttpMethod.Post, "/api/export/image", "10.0.0.5",
            new { chart_id = chartId, format = "svg", width = 400, height = 300, dpi = 96 }));
        var download = new Uri(export["download_url"]!.GetValue<string>());
        download.GetLeftPart(UriPartial.Authority).ShouldBe("https://charts.example.org:8443");
        download.AbsolutePath.ShouldStartWith("/api/files/exports/");
        var file = await app.DownloadAsync(download.AbsoluteUri);
        (await file.Content.ReadAsStringAsync()).ShouldContain("<svg");
    }

    [Fact]
    public async Task forwarded_scheme_and_host_from_an_untrusted_peer_change_no_link()
    {
        var (user, _, chartId) = await app.ChartAsync();

        // The same headers from a peer that is not the balancer: the request's own host (the test server's "localhost").
        var embed = await SendAsync(user, Forwarded(HttpMethod.Post, "/api/export/embed", "203.0.113.50", new { chart_id = chartId }));
        embed["embed_url"]!.GetValue<string>().ShouldBe($"http://localhost/embed/{chartId}?theme=light");
        embed["iframe_code"]!.GetValue<string>().ShouldNotContain("charts.example.org");
        embed["html_code"]!.GetValue<string>().ShouldNotContain("charts.example.org");
    }

    [Fact]
    public void public_base_url_when_set_wins_over_the_request_and_background_work_falls_back_to_the_default()
    {
        var request = new DefaultHttpContext();
        request.Request.Scheme = "https";
        request.Request.Host = new HostString("balancer.example.org");
        var during = new HttpContextAccessor { HttpContext = request };
        static AppSettings Settings(string? publicBaseUrl) => new(false, [], 10, 100, publicBaseUrl, "http://localhost:3000");

        new PublicUrls(Settings("https://api.example.com"), during).To("/embed/x").ShouldBe("https://api.example.com/embed/x");
        new PublicUrls(Settings(null), during).To("/embed/x").ShouldBe("https://balancer.example.org/embed/x");
        during.HttpContext = null; // the accessor's context is one per async flow: this ends the "request"
        new PublicUrls(Settings(null), during).BaseUrl.ShouldBe(PublicUrls.FallbackBaseUrl);
    }
}
