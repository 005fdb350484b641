using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Activity;
using ChartCraft.Features.Charts;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Activity;

/// <summary>The caller's activity, newest first, from the chart streams: their own actions only, paged like every list.</summary>
public sealed class AccountActivityTests(AppFixture app) : IClassFixture<AppFixture>
{
    async Task<JsonNode> ActivityAsync(TestUser user, string query = "")
    {
        var response = await app.Client(user.AccessToken).GetAsync($"/api/account/activity{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    static List<(string Kind, string Summary, string SubjectId)> Entries(JsonNode page) =>
        page["items"]!.AsArray().Select(i => (i!["kind"]!.GetValue<string>(), i["summary"]!.GetValue<string>(),
            i["subject_id"]!.GetValue<string>())).ToList();

    async Task UpdateAsync(TestUser user, Guid chartId, object changes) =>
        (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}", JsonContent.Create(changes))).StatusCode.ShouldBe(HttpStatusCode.OK);

    [Fact]
    public async Task the_users_actions_are_listed_newest_first_and_another_users_never_appear()
    {
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var chartId = SalesCharts.IdOf(await app.CreateSalesChartAsync(user, "Revenue by region"), "chart_id");
        var othersChart = SalesCharts.IdOf(await app.CreateSalesChartAsync(other, "Someone else's secret"), "chart_id");
        await UpdateAsync(other, othersChart, new { title = "Still secret" });
        await UpdateAsync(user, chartId, new { is_public = true });
        await UpdateAsync(user, chartId, new { title = "Revenue, renamed", chart_type = "pie" });
        await using (var session = app.Store.LightweightSession())
        {
            // A thumbnail drawn in the background is not something the user did: it is left out.
            session.Events.Append(chartId, new ChartExported(Guid.NewGuid(), "png", DateTimeOffset.UtcNow),
                new ChartThumbnailRendered(3, "thumbnails/x/y/r3.png", DateTimeOffset.UtcNow),
                new ChartPublished(Guid.NewGuid(), "mailchimp", "c-1", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        await UpdateAsync(user, chartId, new { is_public = false });
        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var page = await ActivityAsync(user);
        (page["page"]!.GetValue<int>(), page["page_size"]!.GetValue<int>(), page["total"]!.GetValue<long>()).ShouldBe((1, 20, 7L));
        Entries(page).ShouldBe([
            ("chart_deleted", "Deleted chart \"Revenue, renamed\"", chartId.ToString()),
            ("chart_made_private", "Made chart \"Revenue, renamed\" private", chartId.ToString()),
            ("chart_published", "Published chart \"Revenue, renamed\" to Mailchimp", chartId.ToString()),
            ("chart_exported", "Exported chart \"Revenue, renamed\" as PNG", chartId.ToString()),
            ("chart_updated", "Changed title, chart type of chart \"Revenue, renamed\"", chartId.ToString()),
            ("chart_made_public", "Made chart \"Revenue by region\" public", chartId.ToString()),
            ("chart_created", "Created chart \"Revenue by region\"", chartId.ToString()),
        ]);
        var times = page["items"]!.AsArray().Select(i => DateTimeOffset.Parse(i!["at"]!.GetValue<string>())).ToList();
        times.ShouldBe(times.OrderDescending());
        times[0].ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        page.ToJsonString().ShouldNotContain("secret");

        var othersPage = await ActivityAsync(other);
        Entries(othersPage).Select(e => e.Kind).ShouldBe(["chart_updated", "chart_created"]);
        Entries(othersPage).ShouldAllBe(e => e.SubjectId == othersChart.ToString());
        othersPage.ToJsonString().ShouldNotContain("Revenue");
    }

    [Fact]
    public async Task activity_pages_with_page_and_page_size_and_tells_the_total()
    {
        var user = await app.RegisterAsync();
        var first = SalesCharts.IdOf(await app.CreateSalesChartAsync(user, "First"), "chart_id");
        var second = SalesCharts.IdOf(await app.CreateSalesChartAsync(user, "Second", isPublic: true), "chart_id");
        await UpdateAsync(user, first, new { title = "First, renamed" });

        var page1 = await ActivityAsync(user, "?page=1&page_size=2");
        Entries(page1).Select(e => e.Summary).ShouldBe(["Changed title of chart \"First, renamed\"", "Created chart \"Second\" (public)"]);
        page1["total"]!.GetValue<long>().ShouldBe(3);
        var page2 = await ActivityAsync(user, "?page=2&page_size=2");
        Entries(page2).ShouldBe([("chart_created", "Created chart \"First\"", first.ToString())]);
        (page2["page"]!.GetValue<int>(), page2["total"]!.GetValue<long>()).ShouldBe((2, 3L));
        var past = await ActivityAsync(user, "?page=3&page_size=2");
        (past["items"]!.AsArray().Count, past["total"]!.GetValue<long>()).ShouldBe((0, 3L));
        Entries(page1).Select(e => e.SubjectId).ShouldContain(second.ToString());

        var none = await ActivityAsync(await app.RegisterAsync());
        (none["items"]!.AsArray().Count, none["total"]!.GetValue<long>()).ShouldBe((0, 0L));
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?page_size=101")]
    [InlineData("?page=first")]
    public async Task a_bad_page_is_a_400_naming_the_parameter(string query)
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).GetAsync($"/api/account/activity{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).ShouldBeProblem(400)["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBeSubsetOf(["page", "page_size"]);
    }

    [Fact]
    public async Task activity_needs_a_token()
    {
        var response = await app.Client().GetAsync("/api/account/activity");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("chart_deleted", null, null, "data_source_deleted", "Deleted chart \"Sales\" with its data source")]
    [InlineData("chart_exported", null, null, null, "Exported chart \"Sales\" as a file")]
    [InlineData("chart_published", null, "convertkit", null, "Published chart \"Sales\" to Kit")]
    [InlineData("chart_published", null, null, null, "Published chart \"Sales\" to a newsletter")]
    [InlineData("chart_archived", null, null, null, "Chart archived (chart \"Sales\")")]
    [InlineData("chart_updated", null, null, null, "Changed chart \"Sales\"")]
    public void summaries_name_what_happened_in_words(string type, string? format, string? provider, string? reason, string expected)
    {
        var entry = ActivitySummaries.Describe(new ChartEventRow(DateTimeOffset.UnixEpoch, type, Guid.Empty, [], false, format, provider,
            reason, "Sales"));
        entry.Summary.ShouldBe(expected);
        entry.Kind.ShouldBe(type);
    }
}
