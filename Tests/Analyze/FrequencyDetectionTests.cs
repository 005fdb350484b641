using ChartCraft.Features.Analyze;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class FrequencyDetectionTests
{
    private static DatetimeStatistics StatisticsOf(IEnumerable<DateTime?> dates) =>
        (DatetimeStatistics)DataAnalyzer.Analyze(new DataSetBuilder().Dates("date", dates).Build(), full: false).Statistics["date"];

    private static DatetimeStatistics StatisticsOf(IEnumerable<DateTime> dates) => StatisticsOf(dates.Select(d => (DateTime?)d));

    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void consecutive_days_are_daily_with_min_max_and_no_missing_periods()
    {
        var s = StatisticsOf(DataSetBuilder.Days(Start, 30));

        s.Frequency.ShouldBe("daily");
        s.Min.ShouldBe("2024-01-01");
        s.Max.ShouldBe("2024-01-30");
        s.SpanDays.ShouldBe(29);
        s.MedianGapDays.ShouldBe(1);
        s.MissingPeriods.ShouldBe(0);
        s.Gaps.ShouldBeEmpty();
    }

    [Fact]
    public void missing_days_are_counted_and_the_largest_gaps_listed()
    {
        var days = DataSetBuilder.Days(Start, 30).Where(d => d.Day is not (10 or 11 or 20)).ToList();

        var s = StatisticsOf(days);

        s.Frequency.ShouldBe("daily");
        s.MissingPeriods.ShouldBe(3);
        s.Gaps.ShouldBe([new DateGap("2024-01-09", "2024-01-12", 2), new DateGap("2024-01-19", "2024-01-21", 1)]);
    }

    [Fact]
    public void month_end_dates_of_different_lengths_are_monthly()
    {
        var monthEnds = Enumerable.Range(1, 24).Select(i => Start.AddMonths(i).AddDays(-1)).ToList();

        var s = StatisticsOf(monthEnds);

        s.Frequency.ShouldBe("monthly");
        s.MissingPeriods.ShouldBe(0);
    }

    [Fact]
    public void a_skipped_month_is_one_missing_period()
    {
        var months = DataSetBuilder.Months(Start, 12).Where(d => d.Month != 5);

        var s = StatisticsOf(months);

        s.Frequency.ShouldBe("monthly");
        s.MissingPeriods.ShouldBe(1);
        s.Gaps.ShouldBe([new DateGap("2024-04-01", "2024-06-01", 1)]);
    }

    [Fact]
    public void several_rows_per_month_still_make_a_monthly_series()
    {
        var s = StatisticsOf(DataSetBuilder.Months(Start, 12).SelectMany(m => new[] { m, m, m }));

        s.Frequency.ShouldBe("monthly");
        s.Count.ShouldBe(36);
        s.UniqueCount.ShouldBe(12);
    }

    [Theory]
    [InlineData(7, "weekly")]
    [InlineData(91, "quarterly")]
    [InlineData(365, "yearly")]
    public void evenly_spaced_dates_get_their_frequency(int stepDays, string frequency)
    {
        var dates = stepDays switch
        {
            91 => Enumerable.Range(0, 12).Select(i => Start.AddMonths(3 * i)),
            365 => Enumerable.Range(0, 20).Select(i => Start.AddYears(i)),
            _ => Enumerable.Range(0, 20).Select(i => Start.AddDays(stepDays * i)),
        };

        StatisticsOf(dates).Frequency.ShouldBe(frequency);
    }

    [Fact]
    public void random_timestamps_are_irregular()
    {
        var random = new Random(3);
        var dates = Enumerable.Range(0, 100).Select(_ => Start.AddMinutes(random.Next(0, 60 * 24 * 365))).ToList();

        var s = StatisticsOf(dates);

        s.Frequency.ShouldBe("irregular");
        s.MissingPeriods.ShouldBe(0);
        var distinct = dates.Distinct().Order().ToList();
        var gaps = distinct.Zip(distinct.Skip(1), (a, b) => (b - a).TotalDays).Order().ToList();
        s.MedianGapDays!.Value.ShouldBe(Reference.Percentile(gaps, 0.5), 1e-9);
    }

    [Fact]
    public void hourly_weather_normals_are_hourly()
    {
        var s = (DatetimeStatistics)DataAnalyzer.Analyze(VegaDatasets.Read("seattle-weather-hourly-normals.csv"), full: false).Statistics["date"];

        s.Frequency.ShouldBe("hourly");
        s.Min.ShouldBe("2010-01-01T01:00:00Z");
        s.Max.ShouldBe("2010-12-31T23:00:00Z");
        s.MissingPeriods.ShouldBe(0);
    }

    [Fact]
    public void trading_days_are_daily_business_days_and_weekends_are_not_gaps()
    {
        var s = (DatetimeStatistics)DataAnalyzer.Analyze(VegaDatasets.Read("ohlc.csv"), full: false).Statistics["date"];

        s.Frequency.ShouldBe("daily");
        s.BusinessDaysOnly.ShouldBeTrue();
        // Friday 3 July 2009 (US Independence Day observed) is the only weekday without trading.
        s.MissingPeriods.ShouldBe(1);
        s.Gaps.ShouldBe([new DateGap("2009-07-02", "2009-07-06", 1)]);
    }

    [Fact]
    public void a_single_timestamp_has_no_frequency()
    {
        var s = StatisticsOf(new DateTime?[] { Start, Start, null });

        s.Frequency.ShouldBeNull();
        s.Count.ShouldBe(2);
        s.Missing.ShouldBe(1);
        s.Min.ShouldBe("2024-01-01");
    }
}
