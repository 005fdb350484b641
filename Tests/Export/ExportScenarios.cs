using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Export;

/// <summary>The steps export tests share: a chart to export, an export, its download, waiting for a queued one.</summary>
public static class ExportScenarios
{
    /// <summary>A bar chart of revenue by region on a fresh upload; returns the user, the source and the chart.</summary>
    public static async Task<(TestUser User, Guid SourceId, Guid ChartId)> ChartAsync(this AppFixture app, string title = "Revenue by region",
        TestUser? user = null)
    {
        user ??= await app.RegisterAsync();
        var chart = await app.CreateSalesChartAsync(user, title);
        return (user, SalesCharts.IdOf(chart, "data_source_id"), SalesCharts.IdOf(chart, "chart_id"));
    }

    /// <summary>POST /api/export/image; returns the body (the export or the problem).</summary>
    public static async Task<(int Status, JsonNode Body, HttpResponseMessage Response)> ExportImageAsync(this AppFixture app, TestUser user, object request)
    {
        var response = await app.Client(user.AccessToken).PostAsync("/api/export/image", System.Net.Http.Json.JsonContent.Create(request));
        return ((int)response.StatusCode, await response.JsonAsync(), response);
    }

    public static async Task<(int Status, JsonNode Body, HttpResponseMessage Response)> ExportBatchAsync(this AppFixture app, TestUser user, object request)
    {
        var response = await app.Client(user.AccessToken).PostAsync("/api/export/batch", System.Net.Http.Json.JsonContent.Create(request));
        return ((int)response.StatusCode, await response.JsonAsync(), response);
    }

    /// <summary>Follows a download link the way a browser would: no bearer token.</summary>
    public static Task<HttpResponseMessage> DownloadAsync(this AppFixture app, string downloadUrl) =>
        app.Client().GetAsync(new Uri(downloadUrl).PathAndQuery);

    public static async Task<JsonNode> WaitForExportAsync(this AppFixture app, TestUser user, string exportId)
    {
        JsonNode body = null!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            body = await (await app.Client(user.AccessToken).GetAsync($"/api/export/{exportId}")).JsonAsync();
            if (body["status"]?.GetValue<string>() is "completed" or "failed") return body;
            await Task.Delay(200);
        }
        throw new TimeoutException($"export {exportId} still {body["status"]} after 60 s");
    }
}
