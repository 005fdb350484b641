using ChartCraft.Features.Statistics;

namespace ChartCraft.Tests.Statistics;

/// <summary>The one formatter of analysis descriptions and chart insights.</summary>
public class ReadableTests
{
    [Theory]
    [InlineData(1234567.0, null, "1,234,567")]
    [InlineData(1234.56, null, "1,235")]
    [InlineData(123.456, null, "123.5")]
    [InlineData(12.3456, null, "12.35")]
    [InlineData(3.0, null, "3")]
    [InlineData(0.012345, null, "0.0123")]
    [InlineData(-0.25, null, "-0.25")]
    [InlineData(0.0, null, "0")]
    [InlineData(-1500.0, "$", "-$1,500")]
    [InlineData(1500.0, "€", "€1,500")]
    [InlineData(12.5, "%", "12.5%")]
    [InlineData(3.2, "kg", "3.2 kg")]
    [InlineData(21.5, "°C", "21.5°C")]
    public void numbers_read_with_thousands_separators_and_sensible_decimals(double value, string? unit, string expected) =>
        Readable.Number(value, unit).ShouldBe(expected);

    [Theory]
    [InlineData(1234567.0, null, "1.23M")]
    [InlineData(-2_500_000_000.0, "$", "-$2.5B")]
    [InlineData(1250.0, "$", "$1,250")]
    [InlineData(45.25, "%", "45.3%")]
    [InlineData(-0.0001, null, "-0.0001")]
    public void headline_figures_are_compact_from_a_million(double value, string? unit, string expected) =>
        Readable.Compact(value, unit).ShouldBe(expected);

    [Theory]
    [InlineData(0.62, "62%")]
    [InlineData(0.166, "17%")]
    [InlineData(0.045, "4.5%")]
    [InlineData(0.0005, "0.05%")]
    [InlineData(0.00001, "<0.01%")]
    [InlineData(1.0, "100%")]
    [InlineData(0.0, "0%")]
    public void shares_of_the_data_read_as_percentages_with_two_significant_digits(double share, string expected) =>
        Readable.Share(share).ShouldBe(expected);

    [Theory]
    [InlineData(24.87, "24.9%")]
    [InlineData(25.0, "25%")]
    [InlineData(1234.5, "1,234.5%")]
    public void measured_percentages_keep_one_decimal(double percent, string expected) =>
        Readable.Percent(percent).ShouldBe(expected);

    [Theory]
    [InlineData(2.1, "%", "2.1 percentage points")]
    [InlineData(-300.0, "$", "$300")]
    public void a_difference_of_percentages_is_in_points(double difference, string unit, string expected) =>
        Readable.Delta(difference, unit).ShouldBe(expected);

    [Theory]
    [InlineData(0.8165, "0.82")]
    [InlineData(0.8, "0.80")]
    [InlineData(1.0, "1.00")]
    [InlineData(-0.004, "0.00")]
    public void coefficients_have_two_decimals_and_never_minus_zero(double value, string expected) =>
        Readable.Coefficient(value).ShouldBe(expected);

    [Theory]
    [InlineData(1, "1 row")]
    [InlineData(1200, "1,200 rows")]
    public void counts_name_their_noun_in_the_right_number(long count, string expected) =>
        Readable.Plural(count, "row").ShouldBe(expected);

    [Fact]
    public void non_finite_numbers_read_as_not_available()
    {
        Readable.Number(double.NaN).ShouldBe("n/a");
        Readable.Compact(double.PositiveInfinity, "$").ShouldBe("n/a");
        Readable.Percent(double.NaN).ShouldBe("n/a");
    }

    [Theory]
    [InlineData("unit_price", "Unit price")]
    [InlineData("Cost Total $", "Cost Total")]
    [InlineData("Share (%)", "Share")]
    [InlineData("GDP-per-capita", "GDP per capita")]
    [InlineData("$", "$")]
    public void a_column_name_becomes_words_without_its_unit_mark(string column, string words) =>
        Readable.Humanize(column).ShouldBe(words);

    [Theory]
    [InlineData("Cost Total", "cost total")]
    [InlineData("Phase of flight", "phase of flight")]
    [InlineData("GDP per capita", "GDP per capita")]
    [InlineData("Q1 Revenue", "Q1 revenue")]
    [InlineData("iPhone Sales", "iPhone sales")]
    public void inside_a_sentence_title_case_words_are_lowered_and_acronyms_kept(string words, string inSentence) =>
        Readable.Lower(words).ShouldBe(inSentence);

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "A" }, "A")]
    [InlineData(new[] { "A", "B" }, "A and B")]
    [InlineData(new[] { "A", "B", "C" }, "A, B and C")]
    public void lists_join_with_commas_and_a_final_and(string[] items, string expected) =>
        Readable.List(items).ShouldBe(expected);
}
