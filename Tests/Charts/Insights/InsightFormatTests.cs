using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
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
}
