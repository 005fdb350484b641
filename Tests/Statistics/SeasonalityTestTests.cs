using ChartCraft.Features.Statistics;

namespace ChartCraft.Tests.Statistics;

/// <summary>The one seasonality test of the analysis and the chart insights, and the naming of its phases.</summary>
public class SeasonalityTestTests
{
    static readonly DateTime January2020 = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A series with a known cycle, the unit of its periods and the start of each period.</summary>
    public static TheoryData<string, double[], Func<int, DateTime>, int, string, string, string> Cycles()
    {
        var random = new Random(15);
        // Four years of months: a yearly sine peaking a quarter in (April), bottoming three quarters in (October).
        var months = Enumerable.Range(0, 48).Select(i => 100 + 20 * Math.Sin(2 * Math.PI * i / 12) + 3 * Reference.Normal(random)).ToArray();
        // Ten weeks of days from a Monday: busy weekends, a quiet Tuesday.
        var days = Enumerable.Range(0, 70).Select(i => January2020.AddDays(i + 5)) // 2020-01-06 is a Monday
            .Select(d => d.DayOfWeek switch { DayOfWeek.Saturday => 60.0, DayOfWeek.Sunday => 50, DayOfWeek.Tuesday => 10, _ => 20 } + Reference.Normal(random))
            .ToArray();
        // A week of hours, warmest at 15:00.
        var hours = Enumerable.Range(0, 24 * 7).Select(h => 15 + 5 * Math.Cos(2 * Math.PI * (h - 15) / 24) + 0.1 * Reference.Normal(random)).ToArray();
        // Four years of quarters on a rising line, highest in Q3.
        var quarters = Enumerable.Range(0, 16).Select(q => 50 + 2.0 * q + (q % 4 == 2 ? 15 : q % 4 == 0 ? -10 : 0) + Reference.Normal(random)).ToArray();
        return new()
        {
            { "month", months, i => January2020.AddMonths(i), 12, "yearly", "April", "October" },
            { "day", days, i => January2020.AddDays(i + 5), 7, "weekly", "Saturday", "Tuesday" },
            { "hour", hours, i => January2020.AddHours(i), 24, "daily", "15:00", "03:00" },
            { "quarter", quarters, i => January2020.AddMonths(3 * i), 4, "yearly", "Q3", "Q1" },
        };
    }

    [Theory]
    [MemberData(nameof(Cycles))]
    public void a_cycle_is_found_at_its_calendar_length_with_its_high_and_low_phase(
        string unit, double[] series, Func<int, DateTime> start, int lag, string cycle, string peak, string trough)
    {
        var season = SeasonalityTest.Find(series, unit).ShouldNotBeNull();

        season.Lag.ShouldBe(lag);
        season.Cycle.ShouldBe(cycle);
        season.Autocorrelation.ShouldBeGreaterThan(0.6);
        season.HalfCycleAutocorrelation.ShouldBeLessThan(season.Autocorrelation - SeasonalityTest.MinContrast);
        season.Cycles.ShouldBe(series.Length / lag);
        var (high, low) = SeasonPhases.Of(season, unit, start);
        high.Name.ShouldBe(peak);
        low.Name.ShouldBe(trough);
    }

    [Fact]
    public void phases_read_in_a_sentence_with_their_preposition()
    {
        var days = Cycles().Skip(1).First();
        var season = SeasonalityTest.Find((double[])days[1], "day")!;

        var (high, low) = SeasonPhases.Of(season, "day", (Func<int, DateTime>)days[2]);

        high.Where.ShouldBe("on Saturdays");
        low.Where.ShouldBe("on Tuesdays");
    }

    [Theory]
    [InlineData("noise", 1)]
    [InlineData("noise", 2)]
    [InlineData("noise", 3)]
    [InlineData("noise", 4)]
    [InlineData("noise", 5)]
    [InlineData("noise", 6)]
    [InlineData("noise", 7)]
    [InlineData("noise", 8)]
    [InlineData("random walk", 16)]
    public void noise_and_a_random_walk_have_no_cycle(string kind, int seed)
    {
        var random = new Random(seed);
        var series = Enumerable.Range(0, 72).Select(_ => Reference.Normal(random)).ToArray();
        if (kind == "random walk")
            for (var i = 1; i < series.Length; i++) series[i] += series[i - 1];

        SeasonalityTest.Find(series, "month").ShouldBeNull();
    }

    [Theory]
    [InlineData(18)]
    [InlineData(23)]
    public void fewer_than_two_full_cycles_are_not_tested_however_regular(int months)
    {
        var series = Enumerable.Range(0, months).Select(i => 100 + 30 * Math.Sin(2 * Math.PI * i / 12)).ToArray();

        SeasonalityTest.Find(series, "month").ShouldBeNull();
    }

    [Fact]
    public void a_smooth_yearly_curve_in_daily_data_is_not_a_weekly_cycle()
    {
        // A year of daily normals: cold in January, warm in July, no weekday effect at all.
        var series = Enumerable.Range(0, 365).Select(d => 10 - 8 * Math.Cos(2 * Math.PI * (d - 14) / 365.0)).ToArray();

        SeasonalityTest.Find(series, "day").ShouldBeNull();
    }

    [Fact]
    public void a_trend_alone_is_not_a_cycle_and_does_not_hide_one()
    {
        var line = Enumerable.Range(0, 48).Select(i => 500 + 10.0 * i).ToArray();
        var cycleOnTrend = Enumerable.Range(0, 48).Select(i => 500 + 80 * Math.Sin(2 * Math.PI * i / 12) + 2.0 * i).ToArray();

        SeasonalityTest.Find(line, "month").ShouldBeNull();
        SeasonalityTest.Find(cycleOnTrend, "month").ShouldNotBeNull().Autocorrelation.ShouldBeGreaterThan(0.95);
    }

    [Fact]
    public void a_unit_without_a_calendar_cycle_is_not_tested() =>
        SeasonalityTest.Find(Enumerable.Range(0, 40).Select(i => (double)(i % 4)).ToArray(), "year").ShouldBeNull();
}
