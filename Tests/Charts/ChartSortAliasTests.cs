using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>config.sort "desc" and "asc": what a frontend writes for "largest first" and "smallest first".</summary>
[Collection(ApiCollection.Name)]
public sealed class ChartSortAliasTests(AppFixture app)
{
    [Theory]
    [InlineData("desc", "value_desc", new[] { "West", "South", "North" }, new[] { 63600.0, 57600.0, 51600.0 })]
    [InlineData("asc", "value_asc", new[] { "North", "South", "West" }, new[] { 51600.0, 57600.0, 63600.0 })]
    public async Task a_bar_chart_sorted_desc_or_asc_orders_its_bars_by_value(string sort, string stored, string[] labels, double[] revenue)
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);

        var response = await app.Client(user.AccessToken).PostAsync("/api/charts", JsonContent.Create(new
        {
            data_source_id = sourceId, chart_type = "bar", title = "Revenue by region",
            config = new { x_column = "region", y_column = "revenue", aggregation = "sum", sort },
        }));
        var chart = await response.JsonAsync();

        ((int)response.StatusCode).ShouldBe(201, chart.ToJsonString());
        chart["config"]!["sort"]!.GetValue<string>().ShouldBe(stored);
        var data = chart["chart_config"]!["data"]!;
        data["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(labels);
        // Independent sums: 24 months of revenue 1000 + 100m + 250r for region r (North 0, South 1, West 2).
        data["datasets"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ShouldBe(revenue);
    }
}
