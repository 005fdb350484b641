using System.Net;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Charts;

[Collection(ApiCollection.Name)]
public sealed class ChartEndpointTests(AppFixture app)
{
    async Task<(TestUser User, Guid SourceId)> UploadSales(TestUser? user = null)
    {
        user ??= await app.RegisterAsync();
        return (user, await app.UploadSalesAsync(user));
    }

    async Task<JsonNode> Create(TestUser user, object request, int status = 201)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(request).ToUrl("/api/charts");
            s.StatusCodeShouldBe(status);
        });
        var body = await result.JsonAsync();
        if (status == 201) SaveForChartJsCheck(body);
        return body;
    }

    /// <summary>Configs served by the API go through the real Chart.js too (./test.sh runs Tests/ChartJsCheck over this folder).</summary>
    static void SaveForChartJsCheck(JsonNode chart)
    {
        var folder = Path.Combine(ChartJsConfigExportTests.OutputDirectory, "api");
        Directory.CreateDirectory(folder);
        var name = $"api_{chart["chart_type"]!.GetValue<string>()}_{chart["chart_id"]!.GetValue<string>()}.json";
        File.WriteAllText(Path.Combine(folder, name), chart["chart_config"]!.ToJsonString());
    }

    [Fact]
    public async Task suggestions_are_ranked_and_each_can_be_posted_back_unchanged_as_a_chart()
    {
        var (user, sourceId) = await UploadSales();
        var body = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/suggest-type?data_source_id={sourceId}")).JsonAsync();
        body["source"]!.GetValue<string>().ShouldBe("rules"); // no OPENAI_API_KEY in tests
        var suggestions = body["suggestions"]!.AsArray();
        suggestions.Count.ShouldBeGreaterThan(1);
        var confidences = suggestions.Select(s => s!["confidence"]!.GetValue<double>()).ToList();
        confidences.ShouldBe(confidences.OrderByDescending(c => c).ToList());
        suggestions[0]!["reason"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        suggestions.Select(s => s!["chart_type"]!.GetValue<string>()).Distinct().Count().ShouldBeGreaterThan(1);

        foreach (var suggestion in suggestions)
        {
            var chart = await Create(user, new
            {
                data_source_id = sourceId,
                chart_type = suggestion!["chart_type"]!.GetValue<string>(),
                title = "From a suggestion",
                config = JsonNode.Parse(suggestion["config"]!.ToJsonString()),
            });
            chart["chart_config"]!["data"]!["datasets"]!.AsArray().ShouldNotBeEmpty();
        }
    }

    [Fact]
    public async Task suggestions_without_a_usable_source_id_are_a_400_naming_the_parameter()
    {
        var user = await app.RegisterAsync();
        var missing = await (await app.Client(user.AccessToken).GetAsync("/api/charts/suggest-type")).JsonAsync();
        missing.ShouldBeProblem(400)["errors"]!["data_source_id"].ShouldNotBeNull();
        var malformed = await (await app.Client(user.AccessToken).GetAsync("/api/charts/suggest-type?data_source_id=xyz")).JsonAsync();
        malformed.ShouldBeProblem(400)["errors"]!["data_source_id"]![0]!.GetValue<string>().ShouldBe("'xyz' is not a UUID");
    }

    [Fact]
    public async Task a_line_chart_sums_revenue_per_month_into_a_chartjs_config()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new
        {
            data_source_id = sourceId,
            chart_type = "line",
            title = "Revenue by month",
            config = new { x_column = "month", y_column = "revenue", aggregation = "sum", time_unit = "month" },
        });
        chart["title"]!.GetValue<string>().ShouldBe("Revenue by month");
        chart["chart_type"]!.GetValue<string>().ShouldBe("line");
        chart["is_public"]!.GetValue<bool>().ShouldBeFalse();
        chart["view_count"]!.GetValue<int>().ShouldBe(0);
        chart["ai_insights"].ShouldBeNull();
        var config = chart["chart_config"]!;
        config["type"]!.GetValue<string>().ShouldBe("line");
        var labels = config["data"]!["labels"]!.AsArray();
        labels.Count.ShouldBe(24);
        var data = config["data"]!["datasets"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        // Independent computation: three regions per month, revenue 1000 + 100m + 250r.
        var expected = Enumerable.Range(0, 24).Select(m => Enumerable.Range(0, 3).Sum(r => 1000.0 + m * 100 + r * 250)).ToList();
        data.ShouldBe(expected);
        config["options"]!["plugins"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Revenue by month");
    }

    [Fact]
    public async Task a_missing_column_is_422_naming_it()
    {
        var (user, sourceId) = await UploadSales();
        var problem = await Create(user, new
        {
            data_source_id = sourceId, chart_type = "bar", title = "Bad", config = new { x_column = "regoin", y_column = "revenue" },
        }, 422);
        problem.ShouldBeProblem(422).ToJsonString().ShouldContain("regoin");
    }

    [Fact]
    public async Task a_scatter_of_two_text_columns_is_422_naming_the_column()
    {
        var user = await app.RegisterAsync();
        var body = await app.UploadOkAsync(user, "first,last,score\nann,lee,1\nbob,kim,2\ncid,ray,3\ndan,poe,4\n");
        var problem = await Create(user, new
        {
            data_source_id = body["data_source_id"]!.GetValue<string>(), chart_type = "scatter", title = "Names",
            config = new { x_column = "first", y_column = "last" },
        }, 422);
        problem.ToJsonString().ShouldContain("first");
    }

    [Fact]
    public async Task a_chart_of_another_users_source_is_404()
    {
        var (_, sourceId) = await UploadSales();
        var intruder = await app.RegisterAsync();
        await Create(intruder, new { data_source_id = sourceId, chart_type = "bar", title = "Mine?", config = new { x_column = "region", y_column = "revenue" } }, 404);
    }

    [Fact]
    public async Task statistical_insights_are_grounded_in_the_facts()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new
        {
            data_source_id = sourceId, chart_type = "line", title = "Revenue", generate_insights = true,
            config = new { x_column = "month", y_column = "revenue" },
        });
        var insights = chart["ai_insights"]!;
        insights["source"]!.GetValue<string>().ShouldBe("statistical");
        insights["headline"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        insights["insights"]!.AsArray().Count.ShouldBeInRange(1, 5);
        insights["facts"]!.AsArray().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task update_regenerates_the_config_and_history_lists_each_revision_with_its_changes()
    {
        var (user, sourceId) = await UploadSales();
        var created = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "By region", config = new { x_column = "region", y_column = "revenue" } });
        var id = created["chart_id"]!.GetValue<string>();

        var updated = await (await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Put.Json(new { title = "Units by region", chart_type = "pie", config = new { x_column = "region", y_column = "units" } }).ToUrl($"/api/charts/{id}");
            s.StatusCodeShouldBe(200);
        })).JsonAsync();
        SaveForChartJsCheck(updated);
        updated["title"]!.GetValue<string>().ShouldBe("Units by region");
        updated["chart_config"]!["type"]!.GetValue<string>().ShouldBe("pie");
        updated["revision"]!.GetValue<int>().ShouldBe(2);
        var total = updated["chart_config"]!["data"]!["datasets"]![0]!["data"]!.AsArray().Sum(v => v!.GetValue<double>());
        total.ShouldBe(Enumerable.Range(0, 24).Sum(m => Enumerable.Range(0, 3).Sum(r => m + r + 1.0)));

        var history = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}/history")).JsonAsync();
        var revisions = history["revisions"]!.AsArray();
        revisions.Select(r => r!["event"]!.GetValue<string>()).ShouldBe(["chart_created", "chart_updated"]);
        revisions[1]!["changes"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["title", "chart_type", "config"], ignoreOrder: true);
        revisions[1]!["revision"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task dates_at_the_end_of_the_calendar_chart_or_are_refused_but_never_fail()
    {
        var user = await app.RegisterAsync();
        var source = (await app.UploadOkAsync(user, "valid_to,v\n2020-01-01,1\n2021-06-01,2\n9999-12-31,3\n", "far.csv"))["data_source_id"]!.GetValue<string>();
        var client = app.Client(user.AccessToken);
        var suggestions = (await (await client.GetAsync($"/api/charts/suggest-type?data_source_id={source}")).JsonAsync())["suggestions"]!.AsArray();
        var requests = suggestions.Select(s => (Type: s!["chart_type"]!.GetValue<string>(), Config: s["config"]!.DeepClone())).ToList();
        foreach (var unit in new[] { "year", "quarter", "month", "day" })
            requests.Add(("line", new JsonObject { ["x_column"] = "valid_to", ["y_column"] = "v", ["time_unit"] = unit }));
        requests.Add(("bar", new JsonObject { ["x_column"] = "valid_to", ["y_column"] = "v" }));

        foreach (var (type, config) in requests)
        {
            var response = await client.PostAsync("/api/charts", System.Net.Http.Json.JsonContent.Create(new JsonObject
            {
                ["data_source_id"] = source, ["chart_type"] = type, ["title"] = "Far future", ["config"] = config,
            }));
            var body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBeOneOf([201, 422], $"{type} {config.ToJsonString()}: {body}");
            if ((int)response.StatusCode == 422) JsonNode.Parse(body)!["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task a_partial_config_in_an_update_changes_only_what_it_names()
    {
        var (user, sourceId) = await UploadSales();
        var created = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Units",
            config = new { x_column = "region", y_column = "units", aggregation = "sum", x_label = "Sales region" } });
        var id = created["chart_id"]!.GetValue<string>();
        var client = app.Client(user.AccessToken);

        var updated = await (await client.PutAsync($"/api/charts/{id}", JsonContent("""{"config": {"aggregation": "mean"}}"""))).JsonAsync();

        var config = updated["config"]!;
        config["x_column"]!.GetValue<string>().ShouldBe("region");
        config["y_column"]!.GetValue<string>().ShouldBe("units");
        config["x_label"]!.GetValue<string>().ShouldBe("Sales region");
        config["aggregation"]!.GetValue<string>().ShouldBe("mean");
        // units = month index + region index + 1 over 24 months: the mean for region r is 12.5 + r.
        var labels = updated["chart_config"]!["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        var values = updated["chart_config"]!["data"]!["datasets"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        labels.Zip(values).ToDictionary(p => p.First, p => p.Second)
            .ShouldBe(new Dictionary<string, double> { ["North"] = 12.5, ["South"] = 13.5, ["West"] = 14.5 }, ignoreOrder: true);
        updated["revision"]!.GetValue<int>().ShouldBe(2);

        // The same patch again changes nothing; null clears a key.
        (await (await client.PutAsync($"/api/charts/{id}", JsonContent("""{"config": {"aggregation": "mean"}}"""))).JsonAsync())["revision"]!
            .GetValue<int>().ShouldBe(2);
        var cleared = await (await client.PutAsync($"/api/charts/{id}", JsonContent("""{"config": {"x_label": null}}"""))).JsonAsync();
        cleared["config"]!["x_label"].ShouldBeNull();
        cleared["config"]!["y_column"]!.GetValue<string>().ShouldBe("units");

        var wrongType = await client.PutAsync($"/api/charts/{id}", JsonContent("""{"config": {"y_column": 5}}"""));
        ((int)wrongType.StatusCode).ShouldBe(400);
        (await wrongType.JsonAsync()).ShouldBeProblem(400)["errors"]!["config.y_column"]![0]!.GetValue<string>()
            .ShouldBe("expected a column name or a list of column names");
    }

    [Fact]
    public async Task a_colour_list_is_capped_at_64_on_create_and_update()
    {
        var (user, sourceId) = await UploadSales();
        string[] Colors(int n) => Enumerable.Range(0, n).Select(i => $"#{i * 3:x2}{i:x2}{255 - i:x2}").ToArray();

        var created = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Colours",
            config = new { x_column = "region", y_column = "units", color_scheme = Colors(64) } });
        created["config"]!["color_scheme"]!.AsArray().Count.ShouldBe(64);

        var tooMany = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Colours",
            config = new { x_column = "region", y_column = "units", color_scheme = Colors(65) } }, status: 422);
        tooMany.ShouldBeProblem(422)["errors"]!["config.color_scheme"]![0]!.GetValue<string>()
            .ShouldBe("color_scheme holds 65 colours; at most 64 are allowed");

        var id = created["chart_id"]!.GetValue<string>();
        var update = await app.Client(user.AccessToken).PutAsync($"/api/charts/{id}",
            JsonContent(new JsonObject { ["config"] = new JsonObject { ["color_scheme"] = new JsonArray(Colors(200_000).Select(c => (JsonNode)c!).ToArray()) } }.ToJsonString()));
        ((int)update.StatusCode).ShouldBe(422);
        var stored = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}")).JsonAsync();
        stored["config"]!["color_scheme"]!.AsArray().Count.ShouldBe(64);
        stored["revision"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task charts_are_listed_newest_first_and_other_users_see_404()
    {
        var (user, sourceId) = await UploadSales();
        var a = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "A", config = new { x_column = "region", y_column = "revenue" } });
        var b = await Create(user, new { data_source_id = sourceId, chart_type = "histogram", title = "B", config = new { x_column = "revenue" } });
        var list = await (await app.Client(user.AccessToken).GetAsync("/api/charts?page_size=10")).JsonAsync();
        list["total"]!.GetValue<int>().ShouldBe(2);
        (await (await app.Client(user.AccessToken).GetAsync("/api/charts?page=3&page_size=10")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(2);
        list["items"]!.AsArray().Select(c => c!["chart_id"]!.GetValue<string>())
            .ShouldBe([b["chart_id"]!.GetValue<string>(), a["chart_id"]!.GetValue<string>()]);

        var intruder = app.Client((await app.RegisterAsync()).AccessToken);
        var id = a["chart_id"]!.GetValue<string>();
        (await intruder.GetAsync($"/api/charts/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.GetAsync($"/api/charts/{id}/history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.DeleteAsync($"/api/charts/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PutAsync($"/api/charts/{id}", JsonContent("{\"title\":\"x\"}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_public_chart_is_readable_without_a_token_and_counts_views()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Public", config = new { x_column = "region", y_column = "revenue" } });
        var id = chart["chart_id"]!.GetValue<string>();
        (await app.Client().GetAsync($"/api/public/charts/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Put.Json(new { is_public = true }).ToUrl($"/api/charts/{id}");
        });
        var views = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => app.Client().GetAsync($"/api/public/charts/{id}")));
        views.ShouldAllBe(v => v.StatusCode == HttpStatusCode.OK);
        var body = await views[0].JsonAsync();
        body.AsObject().Select(p => p.Key).OrderBy(k => k).ShouldBe(["ai_insights", "chart_config", "chart_id", "chart_type", "title"]);
        var owner = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}")).JsonAsync();
        owner["view_count"]!.GetValue<int>().ShouldBe(5);
    }

    [Fact]
    public async Task deleting_a_chart_ends_its_stream_and_makes_it_404()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Gone", config = new { x_column = "region", y_column = "revenue" } });
        var id = Guid.Parse(chart["chart_id"]!.GetValue<string>());
        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        events.Last().Data.ShouldBeOfType<ChartCraft.Features.Charts.ChartDeleted>();
    }

    [Fact]
    public async Task deleting_a_data_source_deletes_its_charts()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "Orphan?", config = new { x_column = "region", y_column = "revenue" } });
        var id = chart["chart_id"]!.GetValue<string>();
        (await app.Client(user.AccessToken).DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 100 && status != HttpStatusCode.NotFound; i++)
        {
            status = (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}")).StatusCode;
            if (status != HttpStatusCode.NotFound) await Task.Delay(100);
        }
        status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task optimisation_tips_come_from_the_rules_without_openai_and_other_users_get_404()
    {
        var (user, sourceId) = await UploadSales();
        var chart = await Create(user, new { data_source_id = sourceId, chart_type = "line", title = "Daily", config = new { x_column = "month", y_column = "revenue", time_unit = "month" } });
        var id = chart["chart_id"]!.GetValue<string>();
        var tips = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}/optimize")).JsonAsync();
        tips["source"]!.GetValue<string>().ShouldNotBe("openai");
        tips["tips"]!.AsArray().ShouldAllBe(t => !string.IsNullOrWhiteSpace(t!.GetValue<string>()));
        // Nothing the generated config already does (begin at zero, gaps for missing periods) is advised.
        var bar = await Create(user, new { data_source_id = sourceId, chart_type = "bar", title = "By region", config = new { x_column = "region", y_column = "revenue" } });
        var barTips = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{bar["chart_id"]}/optimize")).JsonAsync();
        bar["chart_config"]!["options"]!["scales"]!["y"]!["beginAtZero"]!.GetValue<bool>().ShouldBeTrue();
        barTips["tips"]!.AsArray().ShouldNotContain(t => t!.GetValue<string>().Contains("at zero"));
        var intruder = await app.RegisterAsync();
        (await app.Client(intruder.AccessToken).GetAsync($"/api/charts/{id}/optimize")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
