using System.Text.Json;
using Alba;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChartCraft.Tests.Charts;

/// <summary>The app with OPENAI_API_KEY set and OpenAI replaced by a local server speaking the Chat Completions format.</summary>
public sealed class OpenAiAppFixture : AppFixture, IAsyncLifetime
{
    public WireMockServer OpenAi { get; } = WireMockServer.Start();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OPENAI_API_KEY"] = "sk-test-endpoint",
        ["OPENAI_BASE_URL"] = OpenAi.Url + "/v1",
        ["OPENAI_MODEL"] = "gpt-4o-mini",
    };

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        OpenAi.Stop();
        OpenAi.Dispose();
    }

    /// <summary>Every chat completion answers with <paramref name="answer"/> as the assistant's JSON content.</summary>
    public void Answer(object answer) => OpenAi.AnswerEveryCompletion(answer);
}

[CollectionDefinition(Name)]
public sealed class OpenAiCollection : ICollectionFixture<OpenAiAppFixture>
{
    public const string Name = "openai";
}

[Collection(OpenAiCollection.Name)]
public sealed class OpenAiChartEndpointTests(OpenAiAppFixture app)
{
    async Task<System.Text.Json.Nodes.JsonNode> CreateChart(string title) =>
        await app.CreateSalesChartAsync(await app.RegisterAsync(), title, "line", generateInsights: true);

    [Fact]
    public async Task a_chart_gets_openai_insights_when_every_number_is_grounded()
    {
        app.Answer(new
        {
            headline = "Revenue keeps climbing month after month",
            insights = new[] { "Every region grows steadily.", "The latest months are the strongest.", "No month breaks the upward run." },
            recommendations = new[] { "Plan capacity for continued growth." },
        });
        var chart = await CreateChart($"Revenue {Guid.NewGuid():N}");
        var insights = chart["ai_insights"]!;
        insights["source"]!.GetValue<string>().ShouldBe("openai");
        insights["headline"]!.GetValue<string>().ShouldBe("Revenue keeps climbing month after month");
        insights["facts"]!.AsArray().ShouldNotBeEmpty();
        var request = app.OpenAi.LogEntries.Last().RequestMessage;
        request.Headers!["Authorization"].Single().ShouldBe("Bearer sk-test-endpoint");
        request.Body!.ShouldContain("gpt-4o-mini");
    }

    [Fact]
    public async Task an_answer_citing_a_number_that_is_not_in_the_facts_falls_back_to_the_statistical_engine()
    {
        app.Answer(new
        {
            headline = "Revenue grew 987% last year",
            insights = new[] { "Sales hit 123,456 units.", "Growth was strong.", "The trend is upward." },
            recommendations = new[] { "Keep going." },
        });
        var chart = await CreateChart($"Revenue {Guid.NewGuid():N}");
        var insights = chart["ai_insights"]!;
        insights["source"]!.GetValue<string>().ShouldBe("statistical");
        insights["headline"]!.GetValue<string>().ShouldNotContain("987");
    }
}
