using System.Diagnostics;
using System.Text.Json;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChartCraft.Tests.Charts.Insights;

/// <summary>The OpenAI path against a local fake speaking the Chat Completions wire format.</summary>
public sealed class OpenAiInsightServiceTests : IDisposable
{
    const string Path = "/v1/chat/completions";
    const string Model = "test-model-from-config";
    const string Key = "sk-test-key";

    readonly WireMockServer _fake = WireMockServer.Start();
    readonly List<ServiceProvider> _providers = [];

    public void Dispose()
    {
        foreach (var provider in _providers) provider.Dispose();
        _fake.Stop();
        _fake.Dispose();
    }

    IInsightGenerator Generator(Action<OpenAiInsightOptions>? configure = null, string? apiKey = Key)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new OpenAiSettings(apiKey, Model, _fake.Url + "/v1"));
        services.AddChartInsights(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(8);
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IInsightGenerator>();
    }

    static string Completion(object answer) => Completion(JsonSerializer.Serialize(answer));

    static string Completion(string content) => FakeOpenAi.Completion(content, Model);

    void Answer(string body, int status = 200, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } d) response = response.WithDelay(d);
        _fake.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(response);
    }

    static readonly AggregatedChart Revenue = SampleCharts.Quarterly("$", 1000, 1100, 1050, 1250);

    // Every number here is a figure or label of the facts of Revenue.
    static readonly object GroundedAnswer = new
    {
        headline = "Revenue climbs 25% through 2024",
        insights = new[]
        {
            "Revenue ended Q4 2024 at $1,250, up from $1,000 in Q1 2024.",
            "The strongest jump came between Q3 2024 and Q4 2024, about 19%.",
            "Apart from a small dip in Q3 2024 the direction was upward.",
        },
        recommendations = new[] { "Find out what drove the Q4 2024 jump and whether it can repeat." },
    };

    [Fact]
    public async Task a_grounded_answer_is_returned_as_the_openai_insights()
    {
        Answer(Completion(GroundedAnswer));

        var insights = await Generator().GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("openai");
        insights.Headline.ShouldBe("Revenue climbs 25% through 2024");
        insights.Insights.Count.ShouldBe(3);
        insights.Insights[0].ShouldBe("Revenue ended Q4 2024 at $1,250, up from $1,000 in Q1 2024.");
        insights.Recommendations.ShouldBe(["Find out what drove the Q4 2024 jump and whether it can repeat."]);
        insights.Facts.Select(f => f.Text).ShouldBe(StatisticalInsights.FindFacts(Revenue).Select(f => f.Text));
    }

    [Fact]
    public async Task the_request_carries_the_configured_model_the_key_the_schema_and_the_facts_not_the_rows()
    {
        Answer(Completion(GroundedAnswer));
        // 200 months: the prompt gets a capped sample of the aggregated values, never all of them.
        var long_ = SampleCharts.Monthly("revenue", "$", Enumerable.Range(0, 200).Select(i => (double?)(1000 + 3 * i)).ToList());

        await Generator(o => o.MaxDataPoints = 40).GenerateAsync(long_, "Monthly revenue");

        var request = _fake.LogEntries.Single().RequestMessage;
        request.Headers!["Authorization"].ToString().ShouldBe($"Bearer {Key}");
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("model").GetString().ShouldBe(Model);
        var format = body.RootElement.GetProperty("response_format");
        format.GetProperty("type").GetString().ShouldBe("json_schema");
        format.GetProperty("json_schema").GetProperty("strict").GetBoolean().ShouldBeTrue();
        format.GetProperty("json_schema").GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["headline", "insights", "recommendations"]);

        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).ShouldBe(["system", "user"]);
        using var prompt = JsonDocument.Parse(messages[1].GetProperty("content").GetString()!);
        var facts = StatisticalInsights.FindFacts(long_);
        var sent = prompt.RootElement.GetProperty("facts").EnumerateArray().ToList();
        sent.Count.ShouldBe(facts.Count);
        sent.Select(f => f.GetProperty("text").GetString()).ShouldBe(facts.Select(f => f.Text));
        sent[0].GetProperty("figures").EnumerateObject().ShouldNotBeEmpty();
        var chart = prompt.RootElement.GetProperty("chart");
        chart.GetProperty("total_labels").GetInt32().ShouldBe(200);
        chart.GetProperty("labels").GetArrayLength().ShouldBe(40);
        chart.GetProperty("series")[0].GetProperty("values").GetArrayLength().ShouldBe(40);
        chart.GetProperty("labels")[0].GetString().ShouldBe("Jan 2020");
        chart.GetProperty("labels")[39].GetString().ShouldBe(long_.Labels[^1]);
    }

    [Fact]
    public async Task malformed_json_falls_back_to_the_statistical_insights()
    {
        Answer(Completion("{\"headline\": \"Revenue grew"));

        var insights = await Generator().GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("statistical");
        insights.ShouldBeEquivalentTo(StatisticalInsightGenerator.Generate(Revenue));
    }

    [Fact]
    public async Task an_answer_that_does_not_match_the_schema_falls_back()
    {
        Answer(Completion(new { headline = "Revenue climbs 25%", insights = new[] { "Revenue ended at $1,250." } }));

        var insights = await Generator().GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("statistical");
    }

    [Fact]
    public async Task an_answer_citing_a_number_not_in_the_facts_falls_back_without_asking_again()
    {
        Answer(Completion(new
        {
            headline = "Revenue grew 37% in 2024",
            insights = new[] { "Revenue ended at $1,250.", "Q3 2024 dipped.", "The trend is upward." },
            recommendations = Array.Empty<string>(),
        }));

        var insights = await Generator().GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("statistical");
        insights.Headline.ShouldBe("Revenue grew 25% from Q1 2024 to Q4 2024");
        _fake.LogEntries.Count().ShouldBe(1);
    }

    [Fact]
    public async Task a_429_with_retry_after_is_retried_after_the_given_delay_and_then_answers()
    {
        _fake.Given(Request.Create().WithPath(Path).UsingPost())
            .InScenario("rate limit").WillSetStateTo("limited once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"""));
        _fake.Given(Request.Create().WithPath(Path).UsingPost())
            .InScenario("rate limit").WhenStateIs("limited once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Completion(GroundedAnswer)));
        var clock = Stopwatch.StartNew();

        var insights = await Generator().GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("openai");
        _fake.LogEntries.Count().ShouldBe(2);
        // The backoff alone is 50 ms: waiting about a second means Retry-After was honoured.
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task server_errors_are_retried_by_one_pipeline_only_then_fall_back()
    {
        Answer("""{"error":{"message":"boom","type":"server_error"}}""", status: 500);

        var insights = await Generator(o => o.MaxRetries = 2).GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("statistical");
        // 1 try + 2 retries; the SDK's own retry policy is off, or this would be 3 × 4.
        _fake.LogEntries.Count().ShouldBe(3);
    }

    [Fact]
    public async Task a_slow_answer_past_the_timeout_falls_back()
    {
        Answer(Completion(GroundedAnswer), delay: TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();

        var insights = await Generator(o => o.Timeout = TimeSpan.FromMilliseconds(700)).GenerateAsync(Revenue, "Quarterly revenue");

        insights.Source.ShouldBe("statistical");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task a_second_call_for_the_same_chart_is_served_from_the_cache()
    {
        Answer(Completion(GroundedAnswer));
        var generator = Generator();

        var first = await generator.GenerateAsync(Revenue, "Quarterly revenue");
        var second = await generator.GenerateAsync(Revenue, "Quarterly revenue");

        first.Source.ShouldBe("openai");
        second.Source.ShouldBe("openai");
        second.Headline.ShouldBe(first.Headline);
        _fake.LogEntries.Count().ShouldBe(1);
    }

    [Fact]
    public async Task a_rejected_answer_is_not_cached_so_the_next_call_asks_again()
    {
        Answer(Completion("not json"));
        var generator = Generator();

        await generator.GenerateAsync(Revenue, "Quarterly revenue");
        await generator.GenerateAsync(Revenue, "Quarterly revenue");

        _fake.LogEntries.Count().ShouldBe(2);
    }

    [Fact]
    public async Task without_an_api_key_the_statistical_engine_answers_and_nothing_is_sent()
    {
        Answer(Completion(GroundedAnswer));

        var generator = Generator(apiKey: null);
        var insights = await generator.GenerateAsync(Revenue, "Quarterly revenue");

        generator.ShouldBeOfType<StatisticalInsightGenerator>();
        insights.Source.ShouldBe("statistical");
        _fake.LogEntries.ShouldBeEmpty();
    }

    static readonly ChartTypeCandidate[] Candidates =
    [
        new("bar", 0.8, "Compare revenue by region", "region", "revenue"),
        new("pie", 0.6, "Share of revenue by region", "region", "revenue"),
        new("histogram", 0.4, "Distribution of revenue", "revenue", null),
    ];

    static DataSet Sales() =>
        new DataSetBuilder().Labels("region", ["North", "South", "North"]).Numeric("revenue", [10, 20, 30], unit: "$").Build();

    [Fact]
    public async Task chart_suggestions_are_re_ranked_and_explained_by_the_model()
    {
        Answer(Completion(new
        {
            suggestions = new object[]
            {
                new { chart_type = "pie", x_column = "region", y_column = "revenue", confidence = 0.9, reason = "Two regions split one total." },
                new { chart_type = "bar", x_column = "region", y_column = "revenue", confidence = 0.7, reason = "Bars compare the regions." },
            },
        }));

        var result = await Generator().SuggestChartTypesAsync(Sales(), Candidates);

        result.Source.ShouldBe("openai");
        result.Suggestions.Select(s => s.ChartType).ShouldBe(["pie", "bar", "histogram"]);
        result.Suggestions[0].Reason.ShouldBe("Two regions split one total.");
        result.Suggestions[2].ShouldBe(Candidates[2]);
        var prompt = JsonDocument.Parse(JsonDocument.Parse(_fake.LogEntries.Single().RequestMessage.Body!)
            .RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!).RootElement;
        prompt.GetProperty("candidates").GetArrayLength().ShouldBe(3);
        prompt.GetProperty("columns")[1].GetProperty("max").GetDouble().ShouldBe(30);
        prompt.ToString().ShouldNotContain("South"); // a profile of the columns, not their cells
    }

    [Fact]
    public async Task a_suggestion_the_rules_did_not_propose_is_rejected()
    {
        Answer(Completion(new
        {
            suggestions = new object[] { new { chart_type = "radar", x_column = "region", y_column = "revenue", confidence = 0.9, reason = "Looks nice." } },
        }));

        var result = await Generator().SuggestChartTypesAsync(Sales(), Candidates);

        result.Source.ShouldBe("statistical");
        result.Suggestions.ShouldBe(Candidates);
    }

    [Fact]
    public async Task optimisation_tips_come_from_the_model_and_fall_back_to_the_rules()
    {
        var pie = SampleCharts.Categories("pie", "region", "revenue", "sum", "$",
            ("North", 5_400), ("South", 2_250), ("East", 1_200), ("West", 700), ("Central", 450), ("Isles", 120), ("Other", 30));
        Answer(Completion(new { tips = new[] { "Use a bar chart for these 7 regions.", "Sort the bars so North comes first." } }));

        var tips = await Generator().OptimizeAsync(pie, "Revenue by region");

        tips.Source.ShouldBe("openai");
        tips.Tips.ShouldBe(["Use a bar chart for these 7 regions.", "Sort the bars so North comes first."]);

        var rules = StatisticalInsightGenerator.Optimize(pie);
        rules.Tips.ShouldContain(t => t.Contains("7 slices"));
        (await Generator(apiKey: null).OptimizeAsync(pie, "Revenue by region")).ShouldBeEquivalentTo(rules);
    }
}
