using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ChartCraft.Tests.Support;

/// <summary>What most API tests start from: the sales sample (<see cref="Uploads.SalesCsv"/>) uploaded and charted.</summary>
public static class SalesCharts
{
    /// <summary>Uploads the sales sample as sales.csv; returns the new data source's id.</summary>
    public static async Task<Guid> UploadSalesAsync(this AppFixture app, TestUser user) =>
        IdOf(await app.UploadOkAsync(user, Uploads.SalesCsv(), "sales.csv"), "data_source_id");

    /// <summary>
    /// A chart of revenue by region (by month for a line) on a fresh upload of the sales sample; returns the 201 body,
    /// failing with the problem body otherwise.
    /// </summary>
    public static async Task<JsonNode> CreateSalesChartAsync(this AppFixture app, TestUser user, string title = "Revenue by region",
        string chartType = "bar", bool isPublic = false, bool generateInsights = false)
    {
        var sourceId = await app.UploadSalesAsync(user);
        var response = await app.Client(user.AccessToken).PostAsync("/api/charts", JsonContent.Create(new
        {
            data_source_id = sourceId, chart_type = chartType, title, is_public = isPublic, generate_insights = generateInsights,
            config = new { x_column = chartType == "line" ? "month" : "region", y_column = "revenue" },
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static Guid IdOf(JsonNode body, string property) => Guid.Parse(body[property]!.GetValue<string>());
}
