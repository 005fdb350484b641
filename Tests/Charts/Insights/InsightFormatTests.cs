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
}
