using System.Net;
using System.Net.Http.Json;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// A host behind a load balancer at 10.0.0.5 (TRUSTED_PROXIES), with a limit of 3 requests a minute. The test server
/// has no socket, so a startup filter sets the connection's peer address from X-Test-Peer before the app's pipeline:
/// that header stands for the TCP peer, X-Forwarded-For for what the peer claims.
/// </summary>
public sealed class BehindProxyFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RATE_LIMIT_PER_MINUTE"] = "3",
        ["TRUSTED_PROXIES"] = "10.0.0.5, 192.168.100.0/24",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new PeerAddressFilter());

    /// <summary>Sets the connection's peer address from X-Test-Peer (the test server has no socket).</summary>
    public sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Headers.TryGetValue("X-Test-Peer", out var peer)) http.Connection.RemoteIpAddress = IPAddress.Parse(peer!);
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}

public sealed class TrustedProxyTests(BehindProxyFixture app) : IClassFixture<BehindProxyFixture>
{
    static async Task<HttpResponseMessage> Anonymous(HttpClient client, string peer, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = "nobody@example.com", password = "wrong password" }),
        };
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task behind_a_trusted_proxy_each_client_has_its_own_limit()
    {
        var client = app.Client();
        // Two clients behind the one load balancer address: each gets its own three requests.
        for (var i = 0; i < 3; i++)
        {
            (await Anonymous(client, "10.0.0.5", "198.51.100.7")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await Anonymous(client, "10.0.0.5", "198.51.100.8")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await Anonymous(client, "10.0.0.5", "198.51.100.7")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await Anonymous(client, "10.0.0.5", "198.51.100.8")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // A chain through two trusted hops (a CIDR entry and the balancer) still finds the client.
        (await Anonymous(client, "10.0.0.5", "198.51.100.9, 192.168.100.20")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing()
    {
        var client = app.Client();
        // The caller is 203.0.113.50 whatever it claims: a new X-Forwarded-For each time does not buy new requests.
        for (var i = 0; i < 3; i++)
            (await Anonymous(client, "203.0.113.50", $"198.51.100.{100 + i}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var limited = await Anonymous(client, "203.0.113.50", "198.51.100.200");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // Nor does it spend the budget of the address it named.
        (await Anonymous(client, "10.0.0.5", "198.51.100.101")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // Loopback is not trusted unless listed.
        for (var i = 0; i < 3; i++)
            (await Anonymous(client, "127.0.0.1", $"198.51.100.{150 + i}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous(client, "127.0.0.1", "198.51.100.199")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}
