using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>POST /api/charts/{id}/duplicate: a new chart like the old, on its source or another one with columns mapped.</summary>
[Collection(ApiCollection.Name)]
public sealed class DuplicateChartTests(AppFixture app)
{
    const string CountriesCsv = "country,sales,note\nFrance,120,alpha one\nSpain,80,beta two\nItaly,95,gamma three\nPortugal,40,delta four\n";

    async Task<(int Status, JsonNode Body)> DuplicateAsync(TestUser user, object chartId, object request)
    {
        var response = await app.Client(user.AccessToken).PostAsync($"/api/charts/{chartId}/duplicate", JsonContent.Create(request));
        return ((int)response.StatusCode, await response.JsonAsync());
    }

    async Task<int> ChartCountAsync(TestUser user) =>
        (await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync())["total"]!.GetValue<int>();

    [Fact]
    public async Task a_copy_on_the_same_source_is_a_new_private_chart_with_the_same_config()
    {
        var user = await app.RegisterAsync();
        var original = await app.CreateSalesChartAsync(user, isPublic: true);
        var (status, copy) = await DuplicateAsync(user, original["chart_id"]!, new { });
        status.ShouldBe(201, copy.ToJsonString());
        copy["chart_id"]!.GetValue<string>().ShouldNotBe(original["chart_id"]!.GetValue<string>());
        copy["title"]!.GetValue<string>().ShouldBe("Revenue by region (copy)");
        copy["data_source_id"]!.GetValue<string>().ShouldBe(original["data_source_id"]!.GetValue<string>());
        copy["chart_type"]!.GetValue<string>().ShouldBe("bar");
        JsonNode.DeepEquals(copy["config"], original["config"]).ShouldBeTrue();
        JsonNode.DeepEquals(copy["chart_config"]!["data"], original["chart_config"]!["data"]).ShouldBeTrue();
        copy["is_public"]!.GetValue<bool>().ShouldBeFalse();
        copy["revision"]!.GetValue<int>().ShouldBe(1);
        (await ChartCountAsync(user)).ShouldBe(2);
        var again = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{original["chart_id"]}")).JsonAsync();
        again["title"]!.GetValue<string>().ShouldBe("Revenue by region");
        again["is_public"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task a_copy_onto_another_source_renames_its_columns_by_the_map()
    {
        var user = await app.RegisterAsync();
        var original = await app.CreateSalesChartAsync(user);
        var countries = (await app.UploadOkAsync(user, CountriesCsv))["data_source_id"]!.GetValue<string>();
        var (status, copy) = await DuplicateAsync(user, original["chart_id"]!, new
        {
            data_source_id = countries, title = "  Sales by country ", column_map = new Dictionary<string, string> { ["region"] = "country", ["revenue"] = "sales" },
        });
        status.ShouldBe(201, copy.ToJsonString());
        copy["title"]!.GetValue<string>().ShouldBe("Sales by country");
        copy["data_source_id"]!.GetValue<string>().ShouldBe(countries);
        copy["config"]!["x_column"]!.GetValue<string>().ShouldBe("country");
        copy["config"]!["y_column"]!.GetValue<string>().ShouldBe("sales");
        var labels = copy["chart_config"]!["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Order().ToList();
        labels.ShouldBe(["France", "Italy", "Portugal", "Spain"]);
        copy["chart_config"]!["data"]!["datasets"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).Sum().ShouldBe(335);
    }

    [Fact]
    public async Task columns_that_do_not_fit_the_target_are_one_422_naming_each_and_nothing_is_stored()
    {
        var user = await app.RegisterAsync();
        var original = await app.CreateSalesChartAsync(user);
        var countries = (await app.UploadOkAsync(user, CountriesCsv))["data_source_id"]!.GetValue<string>();

        var (missing, problem) = await DuplicateAsync(user, original["chart_id"]!, new { data_source_id = countries });
        missing.ShouldBe(422);
        problem.ShouldBeProblem(422)["errors"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["region", "revenue"]);
        problem["detail"]!.GetValue<string>().ShouldContain("'region' does not exist");
        problem["detail"]!.GetValue<string>().ShouldContain("'revenue' does not exist");
        problem["errors"]!["config.x_column"]!.AsArray().Count.ShouldBe(1);

        var (wrongType, typed) = await DuplicateAsync(user, original["chart_id"]!, new
        {
            data_source_id = countries, column_map = new Dictionary<string, string> { ["region"] = "country", ["revenue"] = "note" },
        });
        wrongType.ShouldBe(422);
        typed.ShouldBeProblem(422)["errors"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["note"]);
        typed["detail"]!.GetValue<string>().ShouldContain("needs a numeric y_column to sum; column 'note' is");
        typed["errors"]!["config.y_column"]!.AsArray().Single()!.GetValue<string>().ShouldContain("'note'");
        typed["errors"]!.AsObject().ContainsKey("config.x_column").ShouldBeFalse();

        // Fine one by one, refused together (one column as both axes): the column the refusal names.
        var (clash, both) = await DuplicateAsync(user, original["chart_id"]!, new
        {
            data_source_id = countries, column_map = new Dictionary<string, string> { ["region"] = "sales", ["revenue"] = "sales" },
        });
        clash.ShouldBe(422);
        both.ShouldBeProblem(422)["errors"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["sales"]);
        both["detail"]!.GetValue<string>().ShouldContain("'sales' is already the x_column");

        var (emptyName, invalid) = await DuplicateAsync(user, original["chart_id"]!, new
        {
            data_source_id = countries, column_map = new Dictionary<string, string> { ["region"] = " " },
        });
        emptyName.ShouldBeInRange(400, 422);
        invalid.ShouldBeProblem(emptyName)["errors"]!.ToJsonString().ShouldContain("column_map");
        (await ChartCountAsync(user)).ShouldBe(1);
    }

    [Fact]
    public async Task another_users_chart_or_source_is_404()
    {
        var user = await app.RegisterAsync();
        var original = await app.CreateSalesChartAsync(user);
        var intruder = await app.RegisterAsync();
        var theirs = await app.UploadSalesAsync(intruder);

        var (foreignChart, problem) = await DuplicateAsync(intruder, original["chart_id"]!, new { });
        foreignChart.ShouldBe(404);
        problem.ShouldBeProblem(404);
        var (foreignSource, sourceProblem) = await DuplicateAsync(user, original["chart_id"]!, new { data_source_id = theirs });
        foreignSource.ShouldBe(404);
        sourceProblem.ShouldBeProblem(404);
        (await DuplicateAsync(user, Guid.NewGuid(), new { })).Status.ShouldBe(404);
        var (badTitle, invalid) = await DuplicateAsync(user, original["chart_id"]!, new { title = "" });
        badTitle.ShouldBeInRange(400, 422);
        invalid.ShouldBeProblem(badTitle)["errors"]!["title"].ShouldNotBeNull();
        (await ChartCountAsync(user)).ShouldBe(1);
        (await ChartCountAsync(intruder)).ShouldBe(0);
    }
}
