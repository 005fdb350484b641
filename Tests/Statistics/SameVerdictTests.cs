using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Statistics;

/// <summary>
/// The analysis of a data set and the insights of its chart answer "does it trend?" and "is it seasonal?" with the
/// one statistics core, so the same monthly series gets the same verdicts through both endpoints.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SameVerdictTests(AppFixture app)
{
    /// <summary>Five years of months: a level, a slope per month, a yearly sine and Gaussian noise.</summary>
    static string MonthlyCsv(double slope, double cycle, double noise, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("month,visitors\n");
        for (var i = 0; i < 60; i++)
        {
            var value = 500 + slope * i + cycle * Math.Sin(2 * Math.PI * i / 12) + noise * Reference.Normal(random);
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2019, 1, 1).AddMonths(i):yyyy-MM-dd},{value:0.00}\n");
        }
        return csv.ToString();
    }

    // A rising series whose yearly cycle is plain but not loud (autocorrelation near 0.4, where the analysis' old
    // 0.3 and the insights' old 0.5 disagreed), and a nearly flat noisy one whose slight drift explains about a
    // sixth of its variance (where the insights' old R² ≥ 0.1 called a weak trend and the analysis none).
    [Theory]
    [InlineData(4.0, 25.0, 25.0, 7, "rising", true)]
    [InlineData(1.0, 0.0, 40.0, 3, "none", false)]
    public async Task the_analysis_and_the_chart_insights_give_one_verdict_on_trend_and_seasonality(
        double slope, double cycle, double noise, int seed, string trend, bool seasonal)
    {
        var user = await app.RegisterAsync();
        var upload = await app.UploadOkAsync(user, MonthlyCsv(slope, cycle, noise, seed), "visitors.csv");
        var source = upload["data_source_id"]!.GetValue<string>();

        var analysis = await PostAsync(user, "/api/data/analyze", 200, new { data_source_id = source, analysis_type = "full" });
        var chart = await PostAsync(user, "/api/charts", 201, new
        {
            data_source_id = source, chart_type = "line", title = "Visitors", generate_insights = true,
            config = new { x_column = "month", y_column = "visitors", aggregation = "mean", time_unit = "month" },
        });

        var patterns = analysis["patterns"]!.AsArray();
        var facts = chart["ai_insights"]!["facts"]!.AsArray();
        chart["ai_insights"]!["source"]!.GetValue<string>().ShouldBe("statistical");
        var analysisTrend = patterns.SingleOrDefault(p => p!["type"]!.GetValue<string>() == "trend") is { } t
            ? t["metrics"]!["slope"]!.GetValue<double>() > 0 ? "rising" : "falling"
            : "none";
        var insightTrend = facts.SingleOrDefault(f => f!["kind"]!.GetValue<string>() == "trend")?["text"]!.GetValue<string>() is { } text
            ? text.Contains("upward trend") ? "rising" : text.Contains("downward trend") ? "falling" : "none"
            : "none";
        var analysisSeason = patterns.SingleOrDefault(p => p!["type"]!.GetValue<string>() == "seasonality")?["metrics"]!["lag"]!.GetValue<int>();
        var insightSeason = facts.SingleOrDefault(f => f!["kind"]!.GetValue<string>() == "seasonality")?["figures"]!["lag"]!.GetValue<int>();

        analysisTrend.ShouldBe(trend);
        insightTrend.ShouldBe(trend, "the chart insights' trend verdict");
        analysisSeason.ShouldBe(seasonal ? 12 : null);
        insightSeason.ShouldBe(seasonal ? 12 : null, "the chart insights' seasonality verdict");
    }

    async Task<JsonNode> PostAsync(TestUser user, string url, int status, object body)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.JsonAsync();
    }
}
