using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Webhooks;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Webhooks;

[Collection(LocalWebhooksCollection.Name)]
public sealed class WebhookEndpointTests(LocalWebhooksFixture app)
{
    const string Url = "http://127.0.0.1:9/hook"; // never called by these tests: they publish no events

    [Fact]
    public async Task creating_a_webhook_returns_a_whsec_secret_once_and_the_list_never_shows_it()
    {
        var user = await app.RegisterAsync();
        var created = await app.CreateWebhookOkAsync(user, Url, WebhookEventTypes.ChartCreated, WebhookEventTypes.ExportCompleted);

        var secret = created["secret"]!.GetValue<string>();
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBeGreaterThanOrEqualTo(24);
        created["url"]!.GetValue<string>().ShouldBe(Url);
        created["events"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["chart.created", "export.completed"]);
        created["description"]!.GetValue<string>().ShouldBe("test receiver");
        created.Status().ShouldBe("active");
        var id = created["webhook_id"]!.GetValue<string>();
        Guid.TryParse(id, out _).ShouldBeTrue();

        var listResponse = await app.Client(user.AccessToken).GetAsync("/api/webhooks");
        var listText = await listResponse.Content.ReadAsStringAsync();
        listText.ShouldNotContain(secret["whsec_".Length..]);
        listText.ShouldNotContain("secret");
        var list = JsonNode.Parse(listText)!;
        list["total"]!.GetValue<int>().ShouldBe(1);
        var item = list["items"]![0]!;
        item["webhook_id"]!.GetValue<string>().ShouldBe(id);
        item["events"]!.AsArray().Count.ShouldBe(2);
        item["consecutive_failures"]!.GetValue<int>().ShouldBe(0);

        // Stored protected: the database row does not contain the secret either.
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<WebhookSubscription>(Guid.Parse(id));
        stored!.ProtectedSecret.ShouldNotContain(secret["whsec_".Length..]);
        stored.ProtectedSecret.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task every_webhook_gets_its_own_secret()
    {
        var user = await app.RegisterAsync();
        var a = await app.CreateWebhookOkAsync(user, Url, WebhookEventTypes.ChartCreated);
        var b = await app.CreateWebhookOkAsync(user, Url, WebhookEventTypes.ChartCreated);
        a["secret"]!.GetValue<string>().ShouldNotBe(b["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_deleted_webhook_is_gone_from_the_list_and_its_log()
    {
        var user = await app.RegisterAsync();
        var id = (await app.CreateWebhookOkAsync(user, Url, WebhookEventTypes.ChartUpdated))["webhook_id"]!.GetValue<string>();
        var client = app.Client(user.AccessToken);

        (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await (await client.GetAsync("/api/webhooks")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
        var log = await client.GetAsync($"/api/webhooks/{id}/deliveries");
        log.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await log.JsonAsync()).ShouldBeProblem(404);
        (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task another_users_webhook_is_404_and_not_listed()
    {
        var owner = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var id = (await app.CreateWebhookOkAsync(owner, Url, WebhookEventTypes.ChartCreated))["webhook_id"]!.GetValue<string>();
        var client = app.Client(other.AccessToken);

        (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await client.GetAsync("/api/webhooks")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
        // Still there for its owner.
        (await app.WebhookAsync(owner, id)).Status().ShouldBe("active");
    }

    [Fact]
    public async Task the_webhooks_api_needs_a_token()
    {
        var client = app.Client();
        (await client.GetAsync("/api/webhooks")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.PostAsync("/api/webhooks", JsonContent(new { url = Url, events = new[] { "chart.created" } })))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string, string> InvalidRequests() => new()
    {
        { """{"events":["chart.created"]}""", "url", "required" },
        { """{"url":"","events":["chart.created"]}""", "url", "required" },
        { """{"url":"ftp://example.com/hook","events":["chart.created"]}""", "url", "http" },
        { """{"url":"/relative/hook","events":["chart.created"]}""", "url", "http" },
        { """{"url":"javascript:alert(1)","events":["chart.created"]}""", "url", "http" },
        { $$"""{"url":"https://example.com/{{new string('a', 2040)}}","events":["chart.created"]}""", "url", "2048" },
        { """{"url":"https://example.com/hook"}""", "events", "at least one" },
        { """{"url":"https://example.com/hook","events":[]}""", "events", "at least one" },
        { """{"url":"https://example.com/hook","events":["chart.created","chart.deleted"]}""", "events", "'chart.deleted'" },
        { $$"""{"url":"https://example.com/hook","events":["chart.created"],"description":"{{new string('d', 501)}}"}""", "description", "500" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task an_invalid_request_is_422_naming_the_field(string json, string field, string messagePart)
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).PostAsync("/api/webhooks",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(422, body);
        var problem = JsonNode.Parse(body)!.ShouldBeProblem(422);
        var messages = problem["errors"]![field]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? [];
        messages.ShouldContain(m => m.Contains(messagePart, StringComparison.OrdinalIgnoreCase), body);
        (await (await app.Client(user.AccessToken).GetAsync("/api/webhooks")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task malformed_json_is_400()
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).PostAsync("/api/webhooks",
            new StringContent("{\"url\": ", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task webhooks_are_listed_newest_first_in_pages()
    {
        var user = await app.RegisterAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await app.CreateWebhookOkAsync(user, $"http://127.0.0.1:9/hook{i}", WebhookEventTypes.ChartCreated))["webhook_id"]!.GetValue<string>());

        var page = await (await app.Client(user.AccessToken).GetAsync("/api/webhooks?page=2&page_size=2")).JsonAsync();
        page["total"]!.GetValue<int>().ShouldBe(3);
        page["page"]!.GetValue<int>().ShouldBe(2);
        page["items"]!.AsArray().Single()!["webhook_id"]!.GetValue<string>().ShouldBe(ids[0]);
        (await (await app.Client(user.AccessToken).GetAsync("/api/webhooks?page=9&page_size=2")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(3);
        (await app.Client(user.AccessToken).GetAsync("/api/webhooks?page_size=101")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task openapi_documents_the_webhook_endpoints_with_their_status_codes_and_shapes()
    {
        var doc = await (await app.Client().GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var paths = doc["paths"]!.AsObject();
        List<string> Codes(string path, string method) =>
            paths[path]![method]!["responses"]!.AsObject().Select(r => r.Key).ToList();
        JsonNode Schema(JsonNode reference) => doc["components"]!["schemas"]![reference["$ref"]!.GetValue<string>().Split('/').Last()]!;
        List<string> Properties(JsonNode schema) => schema["properties"]!.AsObject().Select(p => p.Key).ToList();

        Codes("/api/webhooks", "post").ShouldBe(["201", "400", "401", "422"], ignoreOrder: true);
        Codes("/api/webhooks", "get").ShouldContain("200");
        Codes("/api/webhooks/{webhook_id}", "delete").ShouldBe(["204", "401", "404"], ignoreOrder: true);
        Codes("/api/webhooks/{webhook_id}/deliveries", "get").ShouldContain("404");

        var request = Schema(paths["/api/webhooks"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        Properties(request).ShouldBe(["url", "events", "description"], ignoreOrder: true);
        var created = Schema(paths["/api/webhooks"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!);
        Properties(created).ShouldContain("secret");
        Properties(created).ShouldContain("webhook_id");
        Properties(doc["components"]!["schemas"]!["WebhookResponse"]!).ShouldNotContain("secret");
        Properties(doc["components"]!["schemas"]!["WebhookDeliveryResponse"]!).ShouldContain("attempt_log");
    }

    static StringContent JsonContent(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
