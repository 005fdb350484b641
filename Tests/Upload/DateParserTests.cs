using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Tests.Upload;

public sealed class DateParserTests
{
    static DateTime Parse(string text, bool dayFirst = false)
    {
        DateParser.TryParse(text, out var parts).ShouldBeTrue(text);
        return parts.ToUtc(dayFirst).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("2024-01-05", 2024, 1, 5, 0, 0, 0)]
    [InlineData("2024/01/05", 2024, 1, 5, 0, 0, 0)]
    [InlineData("2024-1-5", 2024, 1, 5, 0, 0, 0)]
    [InlineData("2024-01-05T14:30:00", 2024, 1, 5, 14, 30, 0)]
    [InlineData("2024-01-05 14:30", 2024, 1, 5, 14, 30, 0)]
    [InlineData("2024-01-05T14:30:00Z", 2024, 1, 5, 14, 30, 0)]
    [InlineData("2024-01-05T14:30:00+02:00", 2024, 1, 5, 12, 30, 0)]
    [InlineData("2024-01-05T14:30:00-0530", 2024, 1, 5, 20, 0, 0)]
    [InlineData("2024-01-05T23:30:00-05", 2024, 1, 6, 4, 30, 0)]
    [InlineData("2024-01-05 02:30 PM", 2024, 1, 5, 14, 30, 0)]
    [InlineData("2024-01-05 12:10 am", 2024, 1, 5, 0, 10, 0)]
    [InlineData("05.01.2024", 2024, 1, 5, 0, 0, 0)]
    [InlineData("Jan 2024", 2024, 1, 1, 0, 0, 0)]
    [InlineData("September 2023", 2023, 9, 1, 0, 0, 0)]
    [InlineData("Sept 2023", 2023, 9, 1, 0, 0, 0)]
    [InlineData("Mar-24", 2024, 3, 1, 0, 0, 0)]
    [InlineData("January 5, 2024", 2024, 1, 5, 0, 0, 0)]
    [InlineData("Jan 5 2024", 2024, 1, 5, 0, 0, 0)]
    [InlineData("March 3rd, 2024", 2024, 3, 3, 0, 0, 0)]
    [InlineData("Monday, January 8, 2024", 2024, 1, 8, 0, 0, 0)]
    [InlineData("5 Jan 2024", 2024, 1, 5, 0, 0, 0)]
    [InlineData("21st February 2024", 2024, 2, 21, 0, 0, 0)]
    [InlineData("05-Jan-2024", 2024, 1, 5, 0, 0, 0)]
    [InlineData("2024-01", 2024, 1, 1, 0, 0, 0)]
    public void common_layouts_parse_to_utc(string text, int year, int month, int day, int hour, int minute, int second)
    {
        var date = Parse(text, dayFirst: true);

        date.ShouldBe(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc));
        date.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public void fractional_seconds_are_kept()
    {
        Parse("2024-01-05T10:00:00.1234567Z").ShouldBe(new DateTime(2024, 1, 5, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567));
        Parse("2024-01-05T10:00:00.5").ShouldBe(new DateTime(2024, 1, 5, 10, 0, 0, 500, DateTimeKind.Utc));
    }

    [Fact]
    public void numeric_dates_read_day_and_month_in_the_order_given()
    {
        Parse("03/04/2024", dayFirst: false).ShouldBe(new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc));
        Parse("03/04/2024", dayFirst: true).ShouldBe(new DateTime(2024, 4, 3, 0, 0, 0, DateTimeKind.Utc));
        Parse("1/5/24").ShouldBe(new DateTime(2024, 1, 5, 0, 0, 0, DateTimeKind.Utc));
        Parse("1/5/99").ShouldBe(new DateTime(1999, 1, 5, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void a_numeric_date_that_only_one_order_makes_valid_is_null_in_the_other()
    {
        DateParser.TryParse("25/12/2023", out var parts).ShouldBeTrue();

        parts.ToUtc(dayFirst: true).ShouldBe(new DateTime(2023, 12, 25, 0, 0, 0, DateTimeKind.Utc));
        parts.ToUtc(dayFirst: false).ShouldBeNull();
    }

    [Fact]
    public void bare_years_are_recognized_as_years_for_the_caller_to_accept()
    {
        DateParser.TryParse("1931", out var parts).ShouldBeTrue();

        parts.Shape.ShouldBe(DateShape.Year);
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("13/13/2024")]
    [InlineData("32/01/2024")]
    [InlineData("2024-01-05T25:00")]
    [InlineData("2024-01-05T10:61")]
    [InlineData("2024-01-05T10:00+15:00")]
    [InlineData("Janvier 2024")]
    [InlineData("hello")]
    [InlineData("12345")]
    [InlineData("2024-01-05 and more")]
    [InlineData("1.5.2024.7")]
    [InlineData("May")]
    public void impossible_or_foreign_text_does_not_parse_as_a_date(string text)
    {
        var parsed = DateParser.TryParse(text, out var parts) && parts.ToUtc(false) is not null;

        parsed.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2024-01-05", "yyyy-MM-dd")]
    [InlineData("2024-01-05T14:30:00Z", "yyyy-MM-ddTHH:mm:ssK")]
    [InlineData("2024-01-05 14:30", "yyyy-MM-dd HH:mm")]
    [InlineData("05.01.2024", "dd.MM.yyyy")]
    [InlineData("Jan 2024", "MMM yyyy")]
    [InlineData("January 5, 2024", "MMMM d, yyyy")]
    [InlineData("5 Jan 2024", "d MMM yyyy")]
    [InlineData("05-Jan-2024", "dd-MMM-yyyy")]
    [InlineData("2024-01", "yyyy-MM")]
    public void layouts_are_named_in_dotnet_format_notation(string text, string format)
    {
        DateParser.TryParse(text, out var parts).ShouldBeTrue();

        DateFormats.Describe(parts, dayFirst: text.Contains('.')).ShouldBe(format);
    }
}
