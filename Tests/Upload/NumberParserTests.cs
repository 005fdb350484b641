using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Tests.Upload;

public sealed class NumberParserTests
{
    [Theory]
    [InlineData("42", false, 42)]
    [InlineData("-3.75", false, -3.75)]
    [InlineData("+8", false, 8)]
    [InlineData("1,234.5", false, 1234.5)]
    [InlineData("1,234,567", false, 1234567)]
    [InlineData("1.234,5", true, 1234.5)]
    [InlineData("1.234.567", true, 1234567)]
    [InlineData("0,25", true, 0.25)]
    [InlineData("1 234", false, 1234)]
    [InlineData("1\u00A0234,5", true, 1234.5)]
    [InlineData("1\u202F234\u202F567", true, 1234567)]
    [InlineData("1'234.50", false, 1234.5)]
    [InlineData("1.5e3", false, 1500)]
    [InlineData("2.5E-4", false, 0.00025)]
    [InlineData("−12", false, -12)]
    [InlineData(".5", false, 0.5)]
    [InlineData("  7  ", false, 7)]
    public void plain_and_grouped_numbers_parse(string text, bool decimalComma, double expected)
    {
        NumberParser.TryParse(text, decimalComma, out var value, out _, out var currency).ShouldBeTrue();

        value.ShouldBe(expected, 1e-12);
        currency.ShouldBe('\0');
    }

    [Theory]
    [InlineData("$1,234.50", 1234.5, '$')]
    [InlineData("($1,234.50)", -1234.5, '$')]
    [InlineData("-$12", -12, '$')]
    [InlineData("$-12", -12, '$')]
    [InlineData("€ 9.99", 9.99, '€')]
    [InlineData("9.99 €", 9.99, '€')]
    [InlineData("£3.50", 3.5, '£')]
    [InlineData("¥1,200", 1200, '¥')]
    [InlineData("(500)", -500, '\0')]
    public void currency_symbols_before_or_after_and_accounting_negatives_parse(string text, double expected, char symbol)
    {
        NumberParser.TryParse(text, false, out var value, out _, out var currency).ShouldBeTrue();

        value.ShouldBe(expected);
        currency.ShouldBe(symbol);
    }

    [Theory]
    [InlineData("12.5%", false, 12.5)]
    [InlineData("12,5 %", true, 12.5)]
    [InlineData("-0.5%", false, -0.5)]
    [InlineData("100%", false, 100)]
    public void percentages_keep_the_written_value_and_are_flagged(string text, bool decimalComma, double expected)
    {
        NumberParser.TryParse(text, decimalComma, out var value, out var traits, out _).ShouldBeTrue();

        value.ShouldBe(expected);
        traits.HasFlag(NumberTraits.Percent).ShouldBeTrue();
    }

    [Theory]
    [InlineData("1,23", false)]
    [InlineData("1,2345", false)]
    [InlineData("12,34,567", false)]
    [InlineData("1.234,5", false)]
    [InlineData("1,234.5", true)]
    [InlineData("12 34", false)]
    [InlineData("12abc", false)]
    [InlineData("abc", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1e", false)]
    [InlineData("$", false)]
    [InlineData("--5", false)]
    [InlineData("5%%", false)]
    [InlineData("2024-01-05", false)]
    [InlineData("", false)]
    public void malformed_numbers_do_not_parse(string text, bool decimalComma)
    {
        NumberParser.TryParse(text, decimalComma, out _, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void leading_zeros_are_flagged_as_codes()
    {
        NumberParser.TryParse("00501", false, out _, out var code, out _).ShouldBeTrue();
        NumberParser.TryParse("0.501", false, out _, out var fraction, out _).ShouldBeTrue();

        code.HasFlag(NumberTraits.LeadingZero).ShouldBeTrue();
        fraction.HasFlag(NumberTraits.LeadingZero).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1.234,5", DecimalEvidence.Comma)]
    [InlineData("12,5", DecimalEvidence.Comma)]
    [InlineData("1.234.567", DecimalEvidence.Comma)]
    [InlineData("1,234.5", DecimalEvidence.Dot)]
    [InlineData("12.5", DecimalEvidence.Dot)]
    [InlineData("1,234,567", DecimalEvidence.Dot)]
    [InlineData("1,234", DecimalEvidence.None)]
    [InlineData("1.234", DecimalEvidence.None)]
    [InlineData("€1.234,50", DecimalEvidence.Comma)]
    [InlineData("Smith, John", DecimalEvidence.None)]
    public void separators_show_which_decimal_separator_a_value_uses(string text, DecimalEvidence expected)
    {
        NumberParser.Evidence(text).ShouldBe(expected);
    }

    [Fact]
    public void every_value_is_exactly_what_the_framework_parser_reads_from_the_same_digits()
    {
        // The parser computes short numbers itself (mantissa / 10^k); any difference in the last bit would show here.
        var random = new Random(20261206);
        for (var i = 0; i < 20_000; i++)
        {
            var digits = random.Next(1, 19);
            var text = string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10))));
            if (random.Next(3) > 0) text = text.Insert(random.Next(text.Length + 1), ".");
            if (text == ".") continue;
            var invariant = System.Globalization.CultureInfo.InvariantCulture;

            NumberParser.TryParse(text, false, out var value, out _, out _).ShouldBeTrue(text);

            BitConverter.DoubleToInt64Bits(value).ShouldBe(BitConverter.DoubleToInt64Bits(double.Parse(text, invariant)), text);
            NumberParser.TryParse(text.Replace('.', ','), true, out var commaValue, out _, out _).ShouldBeTrue(text);
            commaValue.ShouldBe(value, text);
        }
    }
}
