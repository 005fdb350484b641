using System.Globalization;
using System.Text.Json;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts.Insights;

/// <summary>Facts on real data sets (vega-datasets), checked against published or independently computed figures.</summary>
public class RealDataInsightsTests
{
    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("I")]
    [InlineData("II")]
    [InlineData("III")]
    [InlineData("IV")]
    public void each_anscombe_series_has_the_published_correlation_of_0_816(string series)
    {
        var points = VegaDatasets.Rows("anscombe.csv").Where(r => r[0] == series).Select(r => (X: Number(r[1]), Y: Number(r[2]))).ToList();
        var chart = SampleCharts.Scatter("X", "Y", points);

        var facts = StatisticalInsights.FindFacts(chart);

        points.Count.ShouldBe(11);
        var correlation = facts.Single(f => f.Kind == InsightKinds.Correlation);
        // Anscombe (1973): r = 0.816 for all four sets, which is the point of the quartet.
        correlation.Figures["r"].ShouldBe(0.816, 0.001);
        correlation.Text.ShouldContain("r = 0.82");
        correlation.Text.ShouldContain("11 points");
    }

    static AggregatedChart Crimea()
    {
        var rows = VegaDatasets.Rows("crimea.csv");
        var starts = rows.Select(r => DateTime.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        return new AggregatedChart("line", "date", AxisKinds.Time, "month",
            starts.Select(d => d.ToString("MMM yyyy", CultureInfo.InvariantCulture)).ToList(), starts,
            [
                new ChartSeries("disease", rows.Select(r => (double?)Number(r[3])).ToList()),
                new ChartSeries("wounds", rows.Select(r => (double?)Number(r[1])).ToList()),
                new ChartSeries("other", rows.Select(r => (double?)Number(r[2])).ToList()),
            ],
            "deaths", "sum", null);
    }

    [Fact]
    public void crimean_war_deaths_peak_from_disease_in_january_1855_and_disease_leads()
    {
        var chart = Crimea();
        var disease = chart.Series[0].Values.Select(v => v!.Value).ToList();

        var facts = StatisticalInsights.FindFacts(chart);

        var peak = facts.Single(f => f.Kind == InsightKinds.Peak && f.Series == "disease");
        peak.Labels.ShouldBe([chart.Labels[disease.IndexOf(disease.Max())]]);
        peak.Labels.ShouldBe(["Jan 1855"]); // Nightingale's rose: the worst month of the winter of 1854–55
        var leader = facts.Single(f => f.Kind == InsightKinds.SeriesLeader);
        leader.Labels[0].ShouldBe("disease");
        var all = chart.Series.Sum(s => s.Values.Sum(v => v!.Value));
        leader.Figures["share_percent"].ShouldBe(disease.Sum() / all * 100, 1e-9);
    }

    [Fact]
    public void crimean_war_insights_are_grounded_and_serialize_as_snake_case()
    {
        var chart = Crimea();
        var insights = InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

        foreach (var text in insights.Insights.Prepend(insights.Headline))
            NumberGrounding.Check(text, insights.Facts).Ungrounded.ShouldBeEmpty(text);

        var json = new JsonSerializerOptions();
        Api.ConfigureJson(json);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(insights, json));
        var root = document.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["headline", "insights", "recommendations", "source", "facts"]);
        root.GetProperty("source").GetString().ShouldBe("statistical");
        var fact = root.GetProperty("facts")[0];
        fact.EnumerateObject().Select(p => p.Name).ShouldBe(["kind", "text", "value", "figures", "labels", "series", "score"]);
        fact.GetProperty("score").GetDouble().ShouldBe(insights.Facts[0].Score);
    }
}
