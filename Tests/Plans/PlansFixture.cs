using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChartCraft.Tests.Plans;

/// <summary>
/// The app with small free-tier limits (and larger pro ones), an admin address, and OpenAI on, answered by a local
/// server speaking the Chat Completions format, so AI insights are written and counted.
/// </summary>
public sealed class PlansFixture : AppFixture, IAsyncLifetime
{
    public new const string AdminEmail = "plans-admin@example.com";
    public WireMockServer OpenAi { get; } = WireMockServer.Start();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Plans:free:MaxFileSizeMb"] = "1",
        ["Plans:free:Sources"] = "3",
        ["Plans:free:StoredMb"] = "1",
        ["Plans:free:Charts"] = "4",
        ["Plans:free:ExportsPerDay"] = "3",
        ["Plans:free:AiInsightsPerDay"] = "2",
        ["Plans:free:PublishesPerDay"] = "1",
        ["Plans:pro:Charts"] = "10",
        // Spelled unlike the registered address: compared as the unique email key is.
        ["ADMIN_EMAILS"] = "someone-else@example.com, Plans-Admin@EXAMPLE.com",
        ["OPENAI_API_KEY"] = "sk-test-plans",
        ["OPENAI_BASE_URL"] = OpenAi.Url + "/v1",
        ["OPENAI_MAX_RETRIES"] = "0",
    };

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        OpenAi.Stop();
        OpenAi.Dispose();
    }

    /// <summary>Every chat completion answers with <paramref name="answer"/> as the assistant's JSON content.</summary>
    public void AnswerInsights(object answer) => OpenAi.AnswerEveryCompletion(answer);

    public async Task<JsonNode> UsageAsync(TestUser user)
    {
        var response = await Client(user.AccessToken).GetAsync("/api/account/usage");
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public async Task<double> UsedAsync(TestUser user, string limit) => (await UsageAsync(user))["limits"]![limit]!["used"]!.GetValue<double>();

    /// <summary>POST /api/charts on an uploaded source (a bar of revenue by region).</summary>
    public Task<HttpResponseMessage> CreateChartAsync(TestUser user, Guid sourceId, string title = "Revenue by region", bool insights = false) =>
        Client(user.AccessToken).PostAsync("/api/charts", JsonContent.Create(new
        {
            data_source_id = sourceId, chart_type = "line", title, generate_insights = insights,
            config = new { x_column = "month", y_column = "revenue" },
        }));
}

[CollectionDefinition(Name)]
public sealed class PlansCollection : ICollectionFixture<PlansFixture>
{
    public const string Name = "plans";
}
