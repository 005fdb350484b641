using ChartCraft.Features.Analyze;

namespace ChartCraft.Tests.Analyze;

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
    public void numbers_read_with_thousands_separators_and_sensible_decimals(double value, string? unit, string expected) =>
        Readable.Number(value, unit).ShouldBe(expected);

    [Theory]
    [InlineData(0.62, "62%")]
    [InlineData(0.045, "4.5%")]
    [InlineData(0.0005, "0.05%")]
    [InlineData(1.0, "100%")]
    [InlineData(0.0, "0%")]
    public void shares_read_as_percentages(double share, string expected) => Readable.Percent(share).ShouldBe(expected);

    [Fact]
    public void non_finite_numbers_read_as_not_available() => Readable.Number(double.NaN).ShouldBe("n/a");
}
