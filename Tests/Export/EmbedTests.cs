using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Export;

[Collection(ApiCollection.Name)]
public sealed class EmbedTests(AppFixture app)
{
    const string ScriptTitle = "</script><script>alert(1)</script>";
    const string AttributeTitle = "\"><img src=x onerror=alert(2)>";

    async Task<(TestUser User, Guid ChartId)> HostileChartAsync(string title)
    {
        var user = await app.RegisterAsync();
        // Hostile labels and column names too: they reach the config's labels and axis titles.
        var csv = "\"<b>region</b>\",revenue\n\"</script><img src=y onerror=alert(3)>\",10\nNorth,20\nSouth,30\n";
        var source = await app.UploadOkAsync(user, csv);
        var chart = await (await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new
            {
                data_source_id = source["data_source_id"]!.GetValue<string>(), chart_type = "bar", title,
                config = new { x_column = "<b>region</b>", y_column = "revenue" },
            }).ToUrl("/api/charts");
            s.StatusCodeShouldBe(201);
        })).JsonAsync();
        return (user, Guid.Parse(chart["chart_id"]!.GetValue<string>()));
    }

    async Task<JsonNode> Embed(TestUser user, Guid chartId, bool isPublic = false, string theme = "light") =>
        await (await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new { chart_id = chartId, theme, responsive = true, is_public = isPublic }).ToUrl("/api/export/embed");
            s.StatusCodeShouldBe(200);
        })).JsonAsync();

    static void ShouldHoldNoInjectedMarkup(string code)
    {
        code.ShouldNotContain("<script>alert");
        code.ShouldNotContain("<img");
        code.ShouldNotContain("</script><");
        code.ShouldNotContain("<b>");
    }

    [Theory]
    [InlineData(ScriptTitle)]
    [InlineData(AttributeTitle)]
    public async Task embed_snippets_encode_hostile_titles_labels_and_column_names(string title)
    {
        var (user, chartId) = await HostileChartAsync(title);
        var embed = await Embed(user, chartId);

        var html = embed["html_code"]!.GetValue<string>();
        ShouldHoldNoInjectedMarkup(html);
        Regex.Matches(html, "<canvas").Count.ShouldBe(1);
        html.ShouldContain($"chartcraft-{chartId:N}");

        var iframe = embed["iframe_code"]!.GetValue<string>();
        ShouldHoldNoInjectedMarkup(iframe);
        Regex.Matches(iframe, "\"").Count.ShouldBe(Regex.Matches(iframe, "=\"").Count * 2, "every attribute value stays inside its quotes");

        var js = embed["js_code"]!.GetValue<string>();
        Regex.Matches(js, "<script").Count.ShouldBe(2);
        Regex.Matches(js, "</script>").Count.ShouldBe(2);
        ShouldHoldNoInjectedMarkup(js);
        js.ShouldContain("/static/vendor/chart.umd.min.js");

        embed["embed_url"]!.GetValue<string>().ShouldEndWith($"/embed/{chartId}?theme=light");
        embed["css_code"]!.GetValue<string>().ShouldContain(".chartcraft-embed");
    }

    [Fact]
    public async Task the_embed_page_serves_only_public_charts_with_a_strict_policy_and_encoded_content()
    {
        var (user, chartId) = await HostileChartAsync(ScriptTitle);
        (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await Embed(user, chartId); // without is_public the chart stays private
        (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await Embed(user, chartId, isPublic: true, theme: "dark");
        var page = await app.Client().GetAsync($"/embed/{chartId}?theme=dark");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        page.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        page.Headers.Contains("Set-Cookie").ShouldBeFalse();
        page.Headers.CacheControl!.Public.ShouldBeTrue();

        var html = await page.Content.ReadAsStringAsync();
        ShouldHoldNoInjectedMarkup(html);
        // Exactly the JSON data block and the two same-origin scripts; no inline code.
        Regex.Matches(html, "<script").Count.ShouldBe(3);
        html.ShouldContain("<body class=\"theme-dark\">");
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"chartcraft-config\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var config = JsonNode.Parse(json)!;
        config["options"]!["plugins"]!["title"]!["text"]!.GetValue<string>().ShouldBe(ScriptTitle);
        config["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldContain("</script><img src=y onerror=alert(3)>");
    }

    [Fact]
    public async Task chart_js_and_the_embed_script_are_served_from_the_app_with_the_licence()
    {
        var chartJs = await app.Client().GetAsync("/static/vendor/chart.umd.min.js");
        chartJs.StatusCode.ShouldBe(HttpStatusCode.OK);
        chartJs.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        (await chartJs.Content.ReadAsStringAsync()).ShouldStartWith("/*!\n * Chart.js v4");
        (await (await app.Client().GetAsync("/static/vendor/chart.js.LICENSE.md")).Content.ReadAsStringAsync()).ShouldContain("MIT License");
        (await app.Client().GetAsync("/static/embed/embed.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client().GetAsync("/static/embed/embed.css")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task make_public_is_accepted_as_an_alias_of_is_public()
    {
        var (user, chartId) = await HostileChartAsync("alias");
        await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new { chart_id = chartId, make_public = true }).ToUrl("/api/export/embed");
            s.StatusCodeShouldBe(200);
        });
        (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task embedding_another_users_chart_is_404()
    {
        var (_, chartId) = await HostileChartAsync("mine");
        var intruder = await app.RegisterAsync();
        await app.Host.Scenario(s =>
        {
            s.WithBearerToken(intruder.AccessToken);
            s.Post.Json(new { chart_id = chartId, theme = "light", is_public = true }).ToUrl("/api/export/embed");
            s.StatusCodeShouldBe(404);
        });
    }
}
