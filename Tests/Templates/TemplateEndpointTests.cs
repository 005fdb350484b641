using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Templates;

/// <summary>Templates: a chart's style saved under a name (no data, no column names), owner-scoped, and charts made from one.</summary>
[Collection(ApiCollection.Name)]
public sealed class TemplateEndpointTests(AppFixture app)
{
    const string CountriesCsv = "country,sales,note\nFrance,120,a\nSpain,80,b\nItaly,95,c\nPortugal,40,d\nGreece,60,e\n";

    async Task<(int Status, JsonNode Body)> SendAsync(TestUser user, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await app.Client(user.AccessToken).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    /// <summary>A styled horizontal bar chart of revenue by region, and a template saved from it.</summary>
    async Task<(TestUser User, JsonNode Chart, JsonNode Template)> StyledTemplateAsync()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        var (status, chart) = await SendAsync(user, HttpMethod.Post, "/api/charts", new
        {
            data_source_id = sourceId, chart_type = "horizontal_bar", title = "Revenue by region",
            config = new
            {
                x_column = "region", y_column = "revenue", color_scheme = new[] { "#112233", "#445566" },
                x_label = "Area", y_label = "Sales (USD)", sort = "value_desc", limit = 2,
            },
        });
        status.ShouldBe(201, chart.ToJsonString());
        var (created, template) = await SendAsync(user, HttpMethod.Post, "/api/templates",
            new { chart_id = chart["chart_id"]!.GetValue<string>(), name = "  Board style  " });
        created.ShouldBe(201, template.ToJsonString());
        return (user, chart, template);
    }

    [Fact]
    public async Task a_template_keeps_the_style_of_a_chart_without_its_data_or_column_names()
    {
        var (user, chart, template) = await StyledTemplateAsync();
        template["name"]!.GetValue<string>().ShouldBe("Board style");
        template["chart_type"]!.GetValue<string>().ShouldBe("horizontal_bar");
        var style = template["style"]!;
        style["chart_type"]!.GetValue<string>().ShouldBe("horizontal_bar");
        style["color_scheme"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["#112233", "#445566"]);
        style["x_label"]!.GetValue<string>().ShouldBe("Area");
        style["y_label"]!.GetValue<string>().ShouldBe("Sales (USD)");
        style["sort"]!.GetValue<string>().ShouldBe("value_desc");
        style["limit"]!.GetValue<int>().ShouldBe(2);
        var json = template.ToJsonString();
        foreach (var column in new[] { "region", "revenue", "North", "x_column", "y_column", "chart_config" }) json.ShouldNotContain(column);
        template["source_chart_id"]!.GetValue<string>().ShouldBe(chart["chart_id"]!.GetValue<string>());

        var id = template["template_id"]!.GetValue<string>();
        var (found, read) = await SendAsync(user, HttpMethod.Get, $"/api/templates/{id}");
        found.ShouldBe(200);
        read.ToJsonString().ShouldBe(json);
        await SendAsync(user, HttpMethod.Post, "/api/templates", new { chart_id = chart["chart_id"]!.GetValue<string>(), name = "Second" });
        var (_, list) = await SendAsync(user, HttpMethod.Get, "/api/templates?page=1&page_size=1");
        list["total"]!.GetValue<int>().ShouldBe(2);
        list["page_size"]!.GetValue<int>().ShouldBe(1);
        list["items"]!.AsArray().Single()!["name"]!.GetValue<string>().ShouldBe("Second"); // newest first
    }

    [Fact]
    public async Task templates_are_the_owners_alone_and_delete_is_204_then_404()
    {
        var (user, chart, template) = await StyledTemplateAsync();
        var id = template["template_id"]!.GetValue<string>();
        var intruder = await app.RegisterAsync();
        (await SendAsync(intruder, HttpMethod.Get, $"/api/templates/{id}")).Status.ShouldBe(404);
        (await SendAsync(intruder, HttpMethod.Delete, $"/api/templates/{id}")).Body.ShouldBeProblem(404);
        (await SendAsync(intruder, HttpMethod.Get, "/api/templates")).Body["total"]!.GetValue<int>().ShouldBe(0);
        var (saveForeign, problem) = await SendAsync(intruder, HttpMethod.Post, "/api/templates",
            new { chart_id = chart["chart_id"]!.GetValue<string>(), name = "Stolen" });
        saveForeign.ShouldBe(404);
        problem.ShouldBeProblem(404);

        (await SendAsync(user, HttpMethod.Delete, $"/api/templates/{id}")).Status.ShouldBe(204);
        (await SendAsync(user, HttpMethod.Get, $"/api/templates/{id}")).Status.ShouldBe(404);
        (await SendAsync(user, HttpMethod.Get, "/api/templates")).Body["total"]!.GetValue<int>().ShouldBe(0);
        // The chart it was saved from is untouched.
        (await SendAsync(user, HttpMethod.Get, $"/api/charts/{chart["chart_id"]}")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_template_request_needs_a_name_and_a_chart()
    {
        var (user, chart, _) = await StyledTemplateAsync();
        var (noName, body) = await SendAsync(user, HttpMethod.Post, "/api/templates", new { chart_id = chart["chart_id"]!.GetValue<string>(), name = " " });
        noName.ShouldBeInRange(400, 422);
        body.ShouldBeProblem(noName)["errors"]!["name"].ShouldNotBeNull();
        var (noChart, missing) = await SendAsync(user, HttpMethod.Post, "/api/templates", new { chart_id = Guid.NewGuid(), name = "x" });
        noChart.ShouldBe(404);
        missing.ShouldBeProblem(404);
        (await SendAsync(user, HttpMethod.Get, "/api/templates")).Body["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task a_chart_made_from_a_template_takes_its_type_and_style_and_its_own_fields_win()
    {
        var (user, _, template) = await StyledTemplateAsync();
        var templateId = template["template_id"]!.GetValue<string>();
        var countries = (await app.UploadOkAsync(user, CountriesCsv))["data_source_id"]!.GetValue<string>();

        var (status, chart) = await SendAsync(user, HttpMethod.Post, "/api/charts", new
        {
            data_source_id = countries, title = "Sales by country", template_id = templateId,
            config = new { x_column = "country", y_column = "sales" },
        });
        status.ShouldBe(201, chart.ToJsonString());
        chart["chart_type"]!.GetValue<string>().ShouldBe("horizontal_bar");
        chart["template_id"]!.GetValue<string>().ShouldBe(templateId);
        chart["config"]!["color_scheme"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["#112233", "#445566"]);
        chart["config"]!["x_label"]!.GetValue<string>().ShouldBe("Area");
        chart["config"]!["sort"]!.GetValue<string>().ShouldBe("value_desc");
        // Top 2 by value, the rest folded into "Other".
        chart["chart_config"]!["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["France", "Italy", "Other"]);
        chart["chart_config"]!["data"]!["datasets"]![0]!["backgroundColor"]!.ToJsonString().ShouldContain("#112233");

        var (ownWins, own) = await SendAsync(user, HttpMethod.Post, "/api/charts", new
        {
            data_source_id = countries, chart_type = "bar", title = "Own fields", template_id = templateId,
            config = new { x_column = "country", y_column = "sales", sort = "x", limit = 10, x_label = "Country" },
        });
        ownWins.ShouldBe(201, own.ToJsonString());
        own["chart_type"]!.GetValue<string>().ShouldBe("bar");
        own["config"]!["sort"]!.GetValue<string>().ShouldBe("x");
        own["config"]!["x_label"]!.GetValue<string>().ShouldBe("Country");
        own["config"]!["y_label"]!.GetValue<string>().ShouldBe("Sales (USD)");
        own["chart_config"]!["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>())
            .ShouldBe(["France", "Greece", "Italy", "Portugal", "Spain"]);

        // With no config at all, columns come from the data's suggestions of the template's type, as without a template:
        // five countries suggest no horizontal bar chart, and the 422 says which field to give.
        var (bare, refused) = await SendAsync(user, HttpMethod.Post, "/api/charts", new { data_source_id = countries, title = "Just the style", template_id = templateId });
        bare.ShouldBe(422, refused.ToJsonString());
        refused.ShouldBeProblem(422)["errors"]!["config.x_column"].ShouldNotBeNull();
        refused["detail"]!.GetValue<string>().ShouldContain("horizontal_bar");

        var (previewStatus, preview) = await SendAsync(user, HttpMethod.Post, "/api/charts/preview", new
        {
            data_source_id = countries, title = "Sales by country", template_id = templateId, config = new { x_column = "country", y_column = "sales" },
        });
        previewStatus.ShouldBe(200);
        JsonNode.DeepEquals(preview["chart_config"], chart["chart_config"]).ShouldBeTrue();
    }

    [Fact]
    public async Task an_unknown_or_another_users_template_is_404_and_no_chart_is_made()
    {
        var (owner, _, template) = await StyledTemplateAsync();
        var intruder = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(intruder);
        foreach (var templateId in new[] { template["template_id"]!.GetValue<string>(), Guid.NewGuid().ToString() })
        {
            var (status, problem) = await SendAsync(intruder, HttpMethod.Post, "/api/charts", new
            {
                data_source_id = sourceId, title = "Borrowed style", template_id = templateId, config = new { x_column = "region", y_column = "revenue" },
            });
            status.ShouldBe(404);
            problem.ShouldBeProblem(404)["title"]!.GetValue<string>().ShouldBe("Template not found");
        }
        (await SendAsync(intruder, HttpMethod.Get, "/api/charts")).Body["total"]!.GetValue<int>().ShouldBe(0);
        (await SendAsync(owner, HttpMethod.Get, "/api/charts")).Body["total"]!.GetValue<int>().ShouldBe(1);
    }
}
