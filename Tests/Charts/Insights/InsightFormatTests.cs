using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Tests.Charts.Insights;

/// <summary>Column names as they read inside a sentence of an insight.</summary>
public class InsightFormatTests
{
    [Theory]
    [InlineData("unit_price", "Unit price")]
    [InlineData("Cost Total $", "Cost Total")]
    [InlineData("Share (%)", "Share")]
    [InlineData("GDP-per-capita", "GDP per capita")]
    [InlineData("$", "$")]
    public void a_column_name_becomes_words_without_its_unit_mark(string column, string words) =>
        InsightFormat.Humanize(column).ShouldBe(words);

    [Theory]
    [InlineData("Cost Total", "cost total")]
    [InlineData("Phase of flight", "phase of flight")]
    [InlineData("GDP per capita", "GDP per capita")]
    [InlineData("Q1 Revenue", "Q1 revenue")]
    [InlineData("iPhone Sales", "iPhone sales")]
    public void inside_a_sentence_title_case_words_are_lowered_and_acronyms_kept(string words, string inSentence) =>
        InsightFormat.Lower(words).ShouldBe(inSentence);

    [Fact]
    public void a_share_headline_reads_naturally_for_a_title_case_measure_with_a_unit()
    {
        var chart = new AggregatedChart(ChartTypes.Bar, "Phase of flight", AxisKinds.Category, null, ["Climb", "Approach", "Landing"], null,
            [new ChartSeries("Cost Total $", [500.0, 300.0, 200.0])], "Cost Total $", "sum", "$");

        var insights = InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

        insights.Headline.ShouldBe("Climb is the largest phase of flight with 50% of total cost total");
    }

    [Fact]
    public void the_folded_other_bar_is_never_named_and_shares_are_of_the_whole()
    {
        var flights = TestData.Csv("flights-airport.csv");
        var chart = ChartAggregator.Aggregate(flights, ChartTypes.HorizontalBar,
            new ChartRequestConfig { XColumn = "origin", YColumn = ["count"], Aggregation = "sum" });
        chart.LastIsOther.ShouldBeTrue();

        var facts = StatisticalInsights.FindFacts(chart);
        var insights = InsightWriter.Write(chart, facts);

        facts.SelectMany(f => f.Labels).ShouldNotContain(ChartAggregator.OtherLabel);
        // Independently: flights per origin over every row of the file.
        var byOrigin = flights.Columns[0].Raw.Zip(flights.Columns[2].Numbers!)
            .GroupBy(p => p.First!).ToDictionary(g => g.Key, g => g.Sum(p => p.Second ?? 0));
        var (top, most) = byOrigin.MaxBy(kv => kv.Value);
        var share = most / byOrigin.Values.Sum() * 100;
        insights.Headline.ShouldBe($"{top} is the largest origin with {InsightFormat.Percent(share)} of total count");
    }

    [Fact]
    public void a_compound_annual_rate_that_rounds_to_zero_is_not_a_fact()
    {
        // 150 years from 100 to 105: about 0.03% a year, which would read "grew at a compound annual rate of 0%".
        var years = Enumerable.Range(0, 16).Select(i => 1850 + i * 10).ToList();
        var chart = new AggregatedChart(ChartTypes.Line, "year", AxisKinds.Time, "year", years.Select(y => y.ToString()).ToList(),
            years.Select(y => new DateTime(y, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ToList(),
            [new ChartSeries("share", years.Select(y => (double?)(100 + (y - 1850) / 30.0)).ToList())], "share", "mean", null);

        StatisticalInsights.FindFacts(chart).ShouldNotContain(f => f.Kind == InsightKinds.Cagr);
    }

    [Fact]
    public void with_one_series_per_column_each_series_is_named_as_its_own_measure()
    {
        var months = Enumerable.Range(0, 24).ToList();
        var chart = new AggregatedChart(ChartTypes.Line, "date", AxisKinds.Time, "month", months.Select(m => $"M{m}").ToList(),
            months.Select(m => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(m)).ToList(),
            [
                new ChartSeries("temperature", months.Select(m => (double?)(10 + 8 * Math.Sin(m * Math.PI / 6))).ToList()),
                new ChartSeries("wind", months.Select(m => (double?)(4 + m * 0.1)).ToList()),
            ], "temperature, wind", "mean", null);

        var texts = StatisticalInsights.FindFacts(chart).Select(f => f.Text).ToList();

        texts.ShouldContain(t => t.Contains("average temperature", StringComparison.OrdinalIgnoreCase));
        texts.ShouldNotContain(t => t.Contains("temperature, wind"));
        // Temperature and wind have no common unit: no fact ranks one above the other.
        StatisticalInsights.FindFacts(chart).ShouldNotContain(f => f.Kind == InsightKinds.SeriesLeader);
    }

    [Fact]
    public void measures_in_one_unit_are_ranked_by_their_own_names()
    {
        var chart = new AggregatedChart(ChartTypes.Bar, "region", AxisKinds.Category, null, ["North", "South", "West"], null,
            [new ChartSeries("Cost Repair", [10.0, 20.0, 30.0]), new ChartSeries("Cost Other", [1.0, 2.0, 3.0])],
            "Cost Repair, Cost Other", "sum", "$");

        var leader = StatisticalInsights.FindFacts(chart).Single(f => f.Kind == InsightKinds.SeriesLeader);

        leader.Headline.ShouldBe("Cost repair is the largest of the 2 measures");
        leader.Text.ShouldBe("Cost repair is the largest of the 2 measures at $60 in total, ahead of cost other at $6.");
    }
}
