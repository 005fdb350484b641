using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>The aggregator on a time axis: buckets, their labels, the default unit and the gaps it draws.</summary>
public class ChartAggregatorTimeAxisTests
{
    [Fact]
    public void a_line_of_data_recorded_every_ten_years_keeps_only_those_years_and_draws_no_gaps()
    {
        // A census every ten years, two rows each (as population.csv): by year, most buckets would be empty.
        var years = Enumerable.Range(0, 16).Select(i => 1850 + 10 * i).ToList();
        var data = new DataSetBuilder()
            .Dates("year", years.SelectMany(y => new DateTime?[] { DataSetBuilder.Utc(y, 1, 1), DataSetBuilder.Utc(y, 1, 1) }).ToArray())
            .Numeric("people", years.SelectMany(y => new double?[] { y - 1800, 2 * (y - 1800) }).ToArray())
            .Build();

        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line,
            new ChartRequestConfig { XColumn = "year", YColumn = ["people"], Aggregation = "sum", TimeUnit = "year" });

        chart.Labels.ShouldBe(years.Select(y => y.ToString()));
        chart.Series.Single().Values.ShouldBe(years.Select(y => (double?)(3 * (y - 1800))));
        var facts = ChartCraft.Features.Charts.Insights.StatisticalInsights.FindFacts(chart);
        facts.ShouldNotContain(f => f.Text.Contains("year-on-year"));
        facts.ShouldNotContain(f => f.Kind == ChartCraft.Features.Charts.Insights.InsightKinds.Seasonality);

        // Counting rows per year keeps every year: a year without rows is a 0 on the line.
        var counts = ChartAggregator.Aggregate(data, ChartTypes.Line,
            new ChartRequestConfig { XColumn = "year", Aggregation = "count", TimeUnit = "year" });
        counts.Labels.Count.ShouldBe(151);
    }

    [Fact]
    public void months_bucket_dates_and_keep_empty_months_as_gaps()
    {
        var data = new DataSetBuilder()
            .Dates("sold_on", "2024-01-03", "2024-01-28", "2024-03-15", "2024-04-01", "2024-04-30")
            .Numeric("revenue", [100, 50, 70, 10, 5])
            .Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "sold_on", YColumn = ["revenue"], TimeUnit = "month" });

        chart.XKind.ShouldBe(AxisKinds.Time);
        chart.TimeUnit.ShouldBe("month");
        chart.Labels.ShouldBe(["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024"]);
        chart.PeriodStarts.ShouldBe([DataSetBuilder.Utc(2024, 1, 1), DataSetBuilder.Utc(2024, 2, 1), DataSetBuilder.Utc(2024, 3, 1), DataSetBuilder.Utc(2024, 4, 1)]);
        chart.Series[0].Values.ShouldBe([150.0, null, 70.0, 15.0]);
    }

    [Fact]
    public void quarters_group_three_months_each()
    {
        var data = VegaDatasets.Read("crimea.csv"); // monthly, April 1854 to March 1856
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "date", YColumn = ["disease"], TimeUnit = "quarter" });

        chart.Labels.First().ShouldBe("Q2 1854");
        chart.Labels.Last().ShouldBe("Q1 1856");
        chart.Labels.Count.ShouldBe(8);
        var disease = data.Find("disease")!.Numbers!;
        var dates = data.Find("date")!.Dates!;
        var q3of1854 = Enumerable.Range(0, data.RowCount)
            .Where(i => dates[i]!.Value.Year == 1854 && dates[i]!.Value.Month is >= 7 and <= 9).Sum(i => disease[i]!.Value);
        chart.Series[0].Values[chart.Labels.ToList().IndexOf("Q3 1854")].ShouldBe(q3of1854);
    }

    [Fact]
    public void weeks_are_iso_weeks_starting_on_monday_including_across_new_year()
    {
        var data = new DataSetBuilder()
            .Dates("day", "2020-12-27", "2020-12-28", "2021-01-03", "2021-01-04", "2024-03-05")
            .Numeric("n", [1, 2, 3, 4, 5])
            .Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "day", YColumn = ["n"], TimeUnit = "week" });

        chart.Labels[0].ShouldBe("2020-W52");
        chart.Labels[1].ShouldBe("2020-W53"); // Mon 28 Dec 2020 to Sun 3 Jan 2021
        chart.Labels[2].ShouldBe("2021-W01");
        chart.Labels[^1].ShouldBe("2024-W10");
        chart.Series[0].Values.Take(3).ShouldBe([1.0, 5.0, 4.0]);
        chart.PeriodStarts![1].DayOfWeek.ShouldBe(DayOfWeek.Monday);
    }

    [Fact]
    public void day_and_year_labels()
    {
        var data = new DataSetBuilder().Dates("d", "2024-03-05", "2024-03-06", "2025-01-01").Numeric("n", [1, 2, 3]).Build();
        ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "d", YColumn = ["n"], TimeUnit = "day" }).Labels[0].ShouldBe("2024-03-05");
        ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "d", YColumn = ["n"], TimeUnit = "year" }).Labels.ShouldBe(["2024", "2025"]);
    }

    [Fact]
    public void the_default_time_unit_follows_the_data_and_keeps_a_line_under_500_points()
    {
        // Monthly data stays monthly (weekly buckets would be mostly gaps).
        ChartAggregator.Aggregate(VegaDatasets.Read("crimea.csv"), ChartTypes.Line, new() { XColumn = "date", YColumn = ["disease"] }).TimeUnit.ShouldBe("month");
        // Hourly readings over one year: 365 days.
        var hourly = ChartAggregator.Aggregate(VegaDatasets.Read("seattle-weather-hourly-normals.csv"), ChartTypes.Line, new() { XColumn = "date", YColumn = ["temperature"] });
        hourly.TimeUnit.ShouldBe("day");
        hourly.Labels.Count.ShouldBe(365);
        // Twenty years of days: too many days and weeks for a line, so months.
        var daily = ChartAggregator.Aggregate(ChartCases.LongDailySeries(), ChartTypes.Line, new() { XColumn = "day", YColumn = ["value"] });
        daily.TimeUnit.ShouldBe("month");
        daily.Labels.Count.ShouldBe(240);
        // Bars get fewer buckets: years.
        ChartAggregator.Aggregate(ChartCases.LongDailySeries(), ChartTypes.Bar, new() { XColumn = "day", YColumn = ["value"] }).TimeUnit.ShouldBe("year");
    }

    [Fact]
    public void daily_data_recorded_on_weekdays_only_has_no_weekend_gaps()
    {
        var chart = ChartAggregator.Aggregate(VegaDatasets.Read("ohlc.csv"), ChartTypes.Line, new() { XColumn = "date", YColumn = ["close"] });
        chart.TimeUnit.ShouldBe("day");
        chart.PeriodStarts!.ShouldAllBe(d => d.DayOfWeek != DayOfWeek.Saturday && d.DayOfWeek != DayOfWeek.Sunday);
        // Weekdays without a quote (3 July 2009, a US holiday) stay as gaps.
        chart.Series[0].Values.Count(v => v is null).ShouldBe(chart.Labels.Count - 44);
    }

    [Fact]
    public void sparse_event_dates_get_a_coarser_default_unit_than_their_spacing_suggests()
    {
        // Events on 1–2 days of most weeks: daily buckets would be mostly empty.
        var days = Enumerable.Range(0, 120).Select(i => (DateTime?)DataSetBuilder.Utc(2024, 1, 1).AddDays(i * 4 + i % 2)).ToArray();
        var data = new DataSetBuilder().Dates("at", days).Numeric("cost", Enumerable.Range(0, 120).Select(i => (double?)i).ToArray()).Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "at", YColumn = ["cost"] });
        chart.TimeUnit.ShouldBe("week");
        (chart.Series[0].Values.Count(v => v is not null) / (double)chart.Labels.Count).ShouldBeGreaterThanOrEqualTo(TimeBuckets.MinFilled);
    }

    [Fact]
    public void a_time_unit_far_too_fine_for_bars_is_rejected_naming_the_column()
    {
        var problem = Should.Throw<ChartCraft.Infrastructure.Errors.ProblemException>(() =>
            ChartAggregator.Aggregate(ChartCases.LongDailySeries(), ChartTypes.Bar, new() { XColumn = "day", YColumn = ["value"], TimeUnit = "day" }));
        problem.Status.ShouldBe(422);
        problem.Detail.ShouldBe("column 'day' spans 7305 days; that is too many bars (at most 1000); use a coarser time_unit or a limit");
        // With a limit the most recent days are kept.
        var recent = ChartAggregator.Aggregate(ChartCases.LongDailySeries(), ChartTypes.Bar, new() { XColumn = "day", YColumn = ["value"], TimeUnit = "day", Limit = 30 });
        recent.Labels.Count.ShouldBe(30);
        recent.Labels[^1].ShouldBe("2019-12-31");
    }
}
