using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Messages;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Webhooks;

/// <summary>With the default configuration, webhooks cannot make the server call its own network (SSRF).</summary>
public sealed class WebhookTargetRefusalTests(StrictWebhooksFixture app) : IClassFixture<StrictWebhooksFixture>
{
    public static TheoryData<string, string> PrivateTargets() => new()
    {
        { "http://127.0.0.1:{port}/hook", "loopback" },
        { "http://169.254.169.254/latest/meta-data/", "link-local" },
        { "http://10.0.0.7/hook", "private" },
        { "http://192.168.1.1/hook", "private" },
        { "http://[::1]:{port}/hook", "loopback" },
        { "http://[::ffff:127.0.0.1]/hook", "loopback" },
        { "http://[fd00::1]/hook", "private" },
        { "http://0.0.0.0:{port}/hook", "unspecified" },
        { "http://[::ffff:0:127.0.0.1]/hook", "IPv4-translated" },
        // A name is refused without saying where it resolved (no free probe of the internal DNS).
        { "http://localhost:{port}/hook", "localhost is not a public host" },
    };

    [Theory]
    [MemberData(nameof(PrivateTargets))]
    public async Task a_private_loopback_or_link_local_url_is_refused_at_creation_with_422_naming_url(string url, string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync(); // a live target: only the guard stands in the way
        var user = await app.RegisterAsync();
        var response = await app.CreateWebhookAsync(user, new { url = url.Replace("{port}", receiver.Port.ToString()), events = new[] { "chart.created" } });
        var body = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).ShouldBe(422, body);
        var problem = JsonNode.Parse(body)!.ShouldBeProblem(422);
        var message = problem["errors"]!["url"]![0]!.GetValue<string>();
        message.ShouldContain(kind);
        message.ShouldContain("refused");
        (await (await app.Client(user.AccessToken).GetAsync("/api/webhooks")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task a_host_that_does_not_resolve_is_422_with_the_same_words_as_an_internal_one()
    {
        app.Dns.Answer("internal.hooks.test", IPAddress.Parse("10.9.8.7"));
        var user = await app.RegisterAsync();
        var unknown = await app.CreateWebhookAsync(user, new { url = "https://hooks.nowhere.invalid/in", events = new[] { "chart.created" } });
        var internalName = await app.CreateWebhookAsync(user, new { url = "https://internal.hooks.test/in", events = new[] { "chart.created" } });

        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        internalName.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var unknownMessage = (await unknown.JsonAsync())["errors"]!["url"]![0]!.GetValue<string>();
        var internalMessage = (await internalName.JsonAsync())["errors"]!["url"]![0]!.GetValue<string>();
        unknownMessage.ShouldBe("refused: hooks.nowhere.invalid is not a public host; webhooks may only target public addresses");
        internalMessage.ShouldBe("refused: internal.hooks.test is not a public host; webhooks may only target public addresses");
    }

    [Fact]
    public async Task a_host_with_one_private_address_among_public_ones_is_refused()
    {
        app.Dns.Answer("mixed.hooks.test", IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.1.2.3"));
        var user = await app.RegisterAsync();
        var response = await app.CreateWebhookAsync(user, new { url = "https://mixed.hooks.test/in", events = new[] { "chart.created" } });
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var message = (await response.JsonAsync())["errors"]!["url"]![0]!.GetValue<string>();
        message.ShouldContain("mixed.hooks.test is not a public host");
        message.ShouldNotContain("10.1.2.3");
        message.ShouldNotContain("private");
    }

    [Fact]
    public async Task a_host_that_resolves_to_a_loopback_address_after_creation_is_refused_at_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        // Public when the webhook is created...
        app.Dns.Answer("rebind.hooks.test", IPAddress.Parse("93.184.215.14"));
        var webhook = await app.CreateWebhookOkAsync(user, $"http://rebind.hooks.test:{receiver.Port}/hook", WebhookEventTypes.DataSourceCreated);
        // ...then the DNS answer moves to the server's own loopback, where a receiver is listening.
        app.Dns.Answer("rebind.hooks.test", IPAddress.Loopback);

        await app.UploadOkAsync(user, "city,visits\nOslo,12\nLima,7\n");
        var delivery = (await app.WaitForDeliveriesAsync(user, webhook["webhook_id"]!.GetValue<string>(),
            d => d.Count == 1 && d[0].Status() == "gave_up")).Single()!;

        delivery["attempts"]!.GetValue<int>().ShouldBe(1); // refusal is final: retrying cannot make it allowed
        delivery["response_code"].ShouldBeNull();
        var error = delivery["error"]!.GetValue<string>();
        error.ShouldContain("refused");
        error.ShouldContain("rebind.hooks.test is not a public host");
        error.ShouldNotContain("127.0.0.1");
        receiver.Received.ShouldBeEmpty();
    }
}
