using ChartCraft.Features.Analyze;
using ChartCraft.Features.Statistics;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class TimePatternTests
{
    private static readonly DateTime January2020 = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void a_linear_monthly_series_with_noise_has_an_upward_trend_with_its_slope_and_r_squared()
    {
        var random = new Random(11);
        var t = Enumerable.Range(0, 48).Select(i => (double)i).ToList();
        var revenue = t.Select(i => 200 + 5 * i + 8 * Reference.Normal(random)).ToList();
        var data = new DataSetBuilder().Dates("month", DataSetBuilder.Months(January2020, 48)).Numeric("revenue", revenue).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var (slope, r2) = Reference.Line(t, revenue);
        var trend = result.Patterns.Single(p => p.Type == PatternTypes.Trend);
        trend.Columns.ShouldBe(["revenue", "month"]);
        trend.Metrics["slope"].ShouldBe(slope, 1e-9);
        trend.Metrics["slope"].ShouldBe(5, 0.5);
        trend.Strength.ShouldBe(r2, 1e-9);
        trend.Metrics["periods"].ShouldBe(48);
        trend.Description.ShouldStartWith($"revenue rises over time: about +{Readable.Number(slope)} per month (R² {Readable.Coefficient(r2)} over 48 months with data, January 2020 to December 2023)");
        var chart = result.Recommendations.First(r => r.Type == RecommendationTypes.Chart).Chart!;
        chart.ShouldBe(new RecommendedChart("line", "month", "revenue", "mean", "month"));
    }

    [Fact]
    public void a_falling_series_has_a_downward_trend()
    {
        var random = new Random(12);
        var days = DataSetBuilder.Days(January2020, 60).ToList();
        var stock = Enumerable.Range(0, 60).Select(i => 1000 - 4.0 * i + 10 * Reference.Normal(random)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Dates("day", days).Numeric("stock", stock).Build(), full: true);

        var trend = result.Patterns.Single(p => p.Type == PatternTypes.Trend);
        trend.Metrics["slope"].ShouldBe(Reference.Line(Enumerable.Range(0, 60).Select(i => (double)i).ToList(), stock).Slope, 1e-9);
        trend.Description.ShouldStartWith("stock falls over time: about -");
        trend.Description.ShouldContain("per day");
    }

    [Fact]
    public void rows_sharing_a_period_are_averaged_per_period_before_fitting_the_trend()
    {
        var random = new Random(14);
        var months = DataSetBuilder.Months(January2020, 24).SelectMany(m => new[] { m, m, m, m }).ToList();
        var sales = months.Select((m, i) => 10 + 2.0 * (i / 4) + 30 * random.NextDouble()).ToList();
        var data = new DataSetBuilder().Dates("month", months).Numeric("sales", sales).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var monthly = sales.Chunk(4).Select(c => c.Average()).ToList();
        var (slope, r2) = Reference.Line(Enumerable.Range(0, 24).Select(i => (double)i).ToList(), monthly);
        var trend = result.Patterns.Single(p => p.Type == PatternTypes.Trend);
        trend.Metrics["slope"].ShouldBe(slope, 1e-9);
        trend.Strength.ShouldBe(r2, 1e-9);
        trend.Description.ShouldStartWith("The monthly mean of sales rises over time");
        // Sales add up, so the suggested line chart sums each month's rows.
        result.Recommendations.First(r => r.Type == RecommendationTypes.Chart).Chart!.Aggregation.ShouldBe("sum");
    }

    [Fact]
    public void a_monthly_sine_series_over_four_years_has_yearly_seasonality_peaking_in_april()
    {
        var random = new Random(15);
        var visitors = Enumerable.Range(0, 48).Select(i => 100 + 20 * Math.Sin(2 * Math.PI * i / 12) + 3 * Reference.Normal(random)).ToList();
        var data = new DataSetBuilder().Dates("month", DataSetBuilder.Months(January2020, 48)).Numeric("visitors", visitors).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var season = result.Patterns.Single(p => p.Type == PatternTypes.Seasonality);
        season.Columns.ShouldBe(["visitors", "month"]);
        season.Metrics["lag"].ShouldBe(12);
        season.Metrics["cycles"].ShouldBe(4);
        season.Strength.ShouldBeGreaterThan(0.8);
        season.Metrics["half_cycle_autocorrelation"].ShouldBeLessThan(-0.5);
        // sin peaks a quarter cycle in (month 3 from January) and bottoms three quarters in.
        season.Description.ShouldEndWith("highest in April, lowest in October.");
        season.Description.ShouldStartWith("visitors follows a yearly cycle: autocorrelation");
    }

    [Fact]
    public void daily_values_high_at_weekends_have_a_weekly_cycle()
    {
        var random = new Random(17);
        var days = DataSetBuilder.Days(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), 70).ToList();
        var visits = days.Select(d => d.DayOfWeek switch { DayOfWeek.Saturday => 60.0, DayOfWeek.Sunday => 50, DayOfWeek.Tuesday => 10, _ => 20 } + Reference.Normal(random)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Dates("day", days).Numeric("visits", visits).Build(), full: true);

        var season = result.Patterns.Single(p => p.Type == PatternTypes.Seasonality);
        season.Metrics["lag"].ShouldBe(7);
        season.Description.ShouldStartWith("visits follows a weekly cycle");
        season.Description.ShouldEndWith("highest on Saturdays, lowest on Tuesdays.");
    }

    [Fact]
    public void hourly_temperature_normals_have_a_daily_cycle_warmest_in_the_afternoon()
    {
        var result = DataAnalyzer.Analyze(VegaDatasets.Read("seattle-weather-hourly-normals.csv"), full: true);

        var season = result.Patterns.Single(p => p.Type == PatternTypes.Seasonality && p.Columns[0] == "temperature");
        season.Metrics["lag"].ShouldBe(24);
        season.Strength.ShouldBeGreaterThan(0.9);
        season.Description.ShouldStartWith("temperature follows a daily cycle");
        season.Description.ShouldContain("highest around 15:00");
    }

    [Fact]
    public void population_by_decade_trends_upward_with_people_summed_per_year_in_the_chart()
    {
        var result = DataAnalyzer.Analyze(VegaDatasets.Read("population.csv"), full: true);

        var trend = result.Patterns.Single(p => p.Type == PatternTypes.Trend);
        trend.Columns.ShouldBe(["people", "year"]);
        trend.Metrics["periods"].ShouldBe(15);
        trend.Strength.ShouldBeGreaterThan(0.9);
        trend.Description.ShouldStartWith("The yearly mean of people rises over time");
        result.Recommendations.ShouldContain(r => r.Chart == new RecommendedChart("line", "year", "people", "sum", "year"));
    }
}
