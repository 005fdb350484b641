using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Tests.Support;
using Marten;
using Wolverine;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Charts;

/// <summary>POST /api/charts/preview: the chart POST /api/charts would make, with its checks and errors, and nothing stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class PreviewChartTests(AppFixture app)
{
    static object Request(Guid sourceId, string chartType = "bar", string xColumn = "region", bool insights = false) => new
    {
        data_source_id = sourceId, chart_type = chartType, title = "Revenue by region", generate_insights = insights,
        config = new { x_column = xColumn, y_column = "revenue" },
    };

    async Task<(int Status, JsonNode Body)> PostAsync(TestUser user, string url, object request)
    {
        var response = await app.Client(user.AccessToken).PostAsync(url, JsonContent.Create(request));
        return ((int)response.StatusCode, await response.JsonAsync());
    }

    [Fact]
    public async Task a_preview_draws_what_create_would_and_stores_and_sends_nothing()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);

        (int Status, JsonNode Body) preview = default;
        var tracked = await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            preview = await PostAsync(user, "/api/charts/preview", Request(sourceId))));

        preview.Status.ShouldBe(200, preview.Body.ToJsonString());
        preview.Body["chart_type"]!.GetValue<string>().ShouldBe("bar");
        preview.Body["ai_insights"].ShouldBeNull();
        preview.Body["chart_config"]!["type"]!.GetValue<string>().ShouldBe("bar");
        preview.Body["chart_config"]!["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Order()
            .ShouldBe(["North", "South", "West"]);
        preview.Body.AsObject().ContainsKey("chart_id").ShouldBeFalse();
        tracked.Sent.AllMessages().ShouldBeEmpty(); // no webhook, no thumbnail render
        var list = await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync();
        list["total"]!.GetValue<int>().ShouldBe(0);
        await using (var session = app.Store.QuerySession())
            (await session.Events.QueryRawEventDataOnly<ChartCreated>().Where(e => e.UserId == user.Id).CountAsync()).ShouldBe(0);

        // The very config a saved chart of the same request gets.
        var (status, created) = await PostAsync(user, "/api/charts", Request(sourceId));
        status.ShouldBe(201);
        JsonNode.DeepEquals(preview.Body["chart_config"], created["chart_config"]).ShouldBeTrue();
        JsonNode.DeepEquals(preview.Body["config"], created["config"]).ShouldBeTrue();
    }

    [Fact]
    public async Task a_preview_writes_insights_only_when_asked()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        var (status, body) = await PostAsync(user, "/api/charts/preview", Request(sourceId, "line", "month", insights: true));
        status.ShouldBe(200, body.ToJsonString());
        body["ai_insights"]!["source"]!.GetValue<string>().ShouldBe("statistical"); // no OPENAI_API_KEY in tests
        body["ai_insights"]!["headline"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task a_preview_answers_bad_requests_exactly_as_create_does()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        object[] bad =
        [
            Request(sourceId, xColumn: "regoin"),
            Request(sourceId, chartType: "radar"),
            new { data_source_id = sourceId, title = "No type", config = new { x_column = "region" } },
            new { data_source_id = sourceId, chart_type = "bar", title = "", config = new { x_column = "region" } },
        ];
        foreach (var request in bad)
        {
            var (previewStatus, previewBody) = await PostAsync(user, "/api/charts/preview", request);
            var (createStatus, createBody) = await PostAsync(user, "/api/charts", request);
            previewStatus.ShouldBeInRange(400, 422);
            previewStatus.ShouldBe(createStatus);
            previewBody.ShouldBeProblem(previewStatus)["errors"]!.ToJsonString().ShouldBe(createBody["errors"]!.ToJsonString());
            previewBody["detail"]?.GetValue<string>().ShouldBe(createBody["detail"]?.GetValue<string>());
        }
        var (_, missing) = await PostAsync(user, "/api/charts/preview", bad[0]);
        missing["detail"]!.GetValue<string>().ShouldContain("regoin");

        var intruder = await app.RegisterAsync();
        var (foreign, problem) = await PostAsync(intruder, "/api/charts/preview", Request(sourceId));
        foreign.ShouldBe(404);
        problem.ShouldBeProblem(404);
        (await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
    }
}
