using System.Net;
using Alba;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public sealed class ConventionsTests(AppFixture app)
{
    [Fact]
    public async Task an_unhandled_exception_is_a_500_problem_with_trace_id_and_no_internals()
    {
        var response = await app.Client().GetAsync(FailingRouteStartupFilter.Path);
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var text = await response.Content.ReadAsStringAsync();
        var body = (await response.JsonAsync()).ShouldBeProblem(500);
        body["trace_id"]!.GetValue<string>().ShouldBe(response.Headers.GetValues("X-Request-Id").Single());
        text.ShouldNotContain("mt_doc_user");
        text.ShouldNotContain("/srv/");
        text.ShouldNotContain("InvalidOperationException");
        text.ShouldNotContain(" at ");
    }

    [Fact]
    public async Task a_post_without_a_body_or_content_type_is_a_problem_not_an_empty_response()
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).PostAsync("/api/auth/logout", null);
        var text = await response.Content.ReadAsStringAsync();
        // Read as an empty JSON object: validation names what is missing.
        ((int)response.StatusCode).ShouldBe(422, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        System.Text.Json.Nodes.JsonNode.Parse(text)!.ShouldBeProblem(422)["errors"]!["refresh_token"].ShouldNotBeNull();
        // An upload with no body at all is refused with a reason, not an empty 415.
        var upload = await app.Client(user.AccessToken).PostAsync("/api/data/upload", null);
        ((int)upload.StatusCode).ShouldBeInRange(400, 499);
        (await upload.JsonAsync()).ShouldBeProblem((int)upload.StatusCode)["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task an_incoming_request_id_is_echoed_and_a_missing_one_is_generated()
    {
        var client = app.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Request-Id", "abc-123.req");
        var echoed = await client.SendAsync(request);
        echoed.Headers.GetValues("X-Request-Id").Single().ShouldBe("abc-123.req");

        var generated = await client.GetAsync("/health");
        generated.Headers.GetValues("X-Request-Id").Single().Length.ShouldBe(32);

        var forged = new HttpRequestMessage(HttpMethod.Get, "/health");
        forged.Headers.TryAddWithoutValidation("X-Request-Id", "x\" injected=1 {bad}");
        (await client.SendAsync(forged)).Headers.GetValues("X-Request-Id").Single().ShouldNotContain("injected");
    }

    [Fact]
    public async Task responses_carry_security_headers_and_no_server_header()
    {
        var response = await app.Client().GetAsync("/health");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("strict-origin-when-cross-origin");
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldContain("max-age=");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task cors_allows_a_configured_origin_and_exposes_the_request_id()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        var response = await app.Client().SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("https://app.example.com");

        var get = new HttpRequestMessage(HttpMethod.Get, "/health");
        get.Headers.Add("Origin", "https://app.example.com");
        var simple = await app.Client().SendAsync(get);
        simple.Headers.GetValues("Access-Control-Expose-Headers").Single().ShouldContain("X-Request-Id");
    }

    [Fact]
    public async Task cors_denies_an_origin_that_is_not_configured()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        request.Headers.Add("Origin", "https://evil.example.net");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await app.Client().SendAsync(request);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task api_responses_report_the_rate_limit()
    {
        var user = await app.RegisterAsync();
        var first = await app.Client(user.AccessToken).GetAsync("/api/auth/me");
        var second = await app.Client(user.AccessToken).GetAsync("/api/auth/me");
        first.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe("100000");
        var a = long.Parse(first.Headers.GetValues("X-RateLimit-Remaining").Single());
        var b = long.Parse(second.Headers.GetValues("X-RateLimit-Remaining").Single());
        b.ShouldBe(a - 1);
    }

    [Fact]
    public async Task an_unknown_route_is_a_404_problem()
    {
        var response = await app.Client().GetAsync("/api/nothing-here");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.JsonAsync()).ShouldBeProblem(404);
    }

    [Fact]
    public async Task health_is_alive_and_ready_reports_each_dependency()
    {
        var live = await app.Host.Scenario(s => s.Get.Url("/health"));
        (await live.JsonAsync())["status"]!.GetValue<string>().ShouldBe("ok");

        var ready = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
        var checks = (await ready.JsonAsync())["checks"]!.AsObject();
        checks.Select(c => c.Key).OrderBy(k => k).ShouldBe(["postgres", "redis", "storage"]);
        checks.ShouldAllBe(c => c.Value!["status"]!.GetValue<string>() == "up");
    }

    [Fact]
    public async Task metrics_are_exposed_in_prometheus_format_per_route()
    {
        var user = await app.RegisterAsync();
        await app.Client(user.AccessToken).GetAsync("/api/auth/me");
        var text = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE http_request_duration_seconds histogram");
        text.ShouldContain("endpoint=\"/api/auth/me\"");
        text.ShouldContain("http_requests_received_total");
        text.ShouldContain("chartcraft_export_queue_depth");
        text.ShouldContain("chartcraft_cache_requests_total{cache=\"session_revocation\"");
    }

    [Fact]
    public async Task openapi_documents_every_auth_endpoint_with_its_real_status_codes()
    {
        var doc = await (await app.Client().GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var paths = doc["paths"]!.AsObject();
        paths["/api/auth/register"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).ShouldContain("201");
        paths["/api/auth/register"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).ShouldContain("409");
        paths["/api/auth/login"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).ShouldContain("401");
        paths["/api/auth/logout"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).ShouldContain("204");
        paths["/api/auth/refresh"].ShouldNotBeNull();
        paths["/api/auth/me"].ShouldNotBeNull();
        paths["/health/ready"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).ShouldBe(["200", "503"], ignoreOrder: true);
        paths["/health"].ShouldNotBeNull();
        paths["/metrics"].ShouldNotBeNull();
        var body = paths["/api/auth/register"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var schema = doc["components"]!["schemas"]![body.Split('/').Last()]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        schema.ShouldBe(["email", "password", "first_name", "last_name"], ignoreOrder: true);
        var problem = paths["/api/auth/login"]!["post"]!["responses"]!["401"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>();
        doc["components"]!["schemas"]![problem.Split('/').Last()]!["properties"]!.AsObject().Select(p => p.Key).ShouldContain("trace_id");
        var ui = await app.Client().GetAsync("/swagger/index.html");
        ui.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
