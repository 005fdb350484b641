using System.Globalization;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

public class ChartAggregatorTests
{
    static DataSet Barley => VegaDatasets.Read("barley.csv");

    /// <summary>yield by site, straight from the CSV text, grouped and reduced here without the aggregator.</summary>
    static Dictionary<string, List<double>> BarleyYieldBySite()
    {
        return VegaDatasets.Rows("barley.csv")
            .GroupBy(f => f[3], f => double.Parse(f[0], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());
    }

    static double Reference(string function, List<double> v)
    {
        var sorted = v.OrderBy(x => x).ToList();
        return function switch
        {
            "sum" => v.Sum(),
            "mean" => v.Sum() / v.Count,
            "count" => v.Count,
            "min" => sorted[0],
            "max" => sorted[^1],
            "median" => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2,
            _ => throw new ArgumentException(function),
        };
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("mean")]
    [InlineData("count")]
    [InlineData("min")]
    [InlineData("max")]
    [InlineData("median")]
    public void each_aggregation_matches_an_independent_computation_per_category(string function)
    {
        var chart = ChartAggregator.Aggregate(Barley, ChartTypes.Bar, new() { XColumn = "site", YColumn = ["yield"], Aggregation = function });

        var expected = BarleyYieldBySite();
        chart.Aggregation.ShouldBe(function);
        chart.Labels.Count.ShouldBe(expected.Count);
        for (var i = 0; i < chart.Labels.Count; i++)
            chart.Series[0].Values[i]!.Value.ShouldBe(Reference(function, expected[chart.Labels[i]]), 1e-9);
    }

    [Fact]
    public void default_aggregation_is_sum_for_additive_measures_and_mean_for_rates_and_percentages()
    {
        ChartAggregator.Aggregate(Barley, ChartTypes.Bar, new() { XColumn = "site", YColumn = ["yield"] }).Aggregation.ShouldBe("sum");
        ChartAggregator.Aggregate(VegaDatasets.Read("obesity.csv"), ChartTypes.Bar, new() { XColumn = "state", YColumn = ["rate"] }).Aggregation.ShouldBe("mean");
        ChartAggregator.Aggregate(VegaDatasets.Read("seattle-weather-hourly-normals.csv"), ChartTypes.Line, new() { XColumn = "date", YColumn = ["temperature"] })
            .Aggregation.ShouldBe("mean");
        var percent = new DataSetBuilder().Labels("k", ["a", "a"]).Numeric("uptake", [10, 20], unit: "%").Build();
        var chart = ChartAggregator.Aggregate(percent, ChartTypes.Bar, new() { XColumn = "k", YColumn = ["uptake"] });
        chart.Aggregation.ShouldBe("mean");
        chart.Series[0].Values.ShouldBe([15.0]);
        chart.Unit.ShouldBe("%");
    }

    [Fact]
    public void no_y_column_counts_rows()
    {
        var data = new DataSetBuilder().Labels("fruit", ["apple", "pear", "apple", null, "apple"]).Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "fruit" });
        chart.Measure.ShouldBe("count");
        chart.Labels.ShouldBe(["apple", "pear"]);
        chart.Series[0].Values.ShouldBe([3.0, 1.0]);
    }

    [Fact]
    public void missing_values_are_skipped_never_counted_as_zero()
    {
        var data = new DataSetBuilder()
            .Labels("team", ["a", "a", "a", "b", "b"])
            .Numeric("score", [10, null, 20, null, null])
            .Build();

        var mean = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "team", YColumn = ["score"], Aggregation = "mean" });
        mean.Series[0].Values[mean.Labels.ToList().IndexOf("a")].ShouldBe(15); // not (10 + 0 + 20) / 3
        mean.Series[0].Values[mean.Labels.ToList().IndexOf("b")].ShouldBeNull(); // no values: no bar, not a 0

        var sum = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "team", YColumn = ["score"], Aggregation = "sum" });
        sum.Series[0].Values[sum.Labels.ToList().IndexOf("b")].ShouldBeNull();

        var count = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "team", YColumn = ["score"], Aggregation = "count" });
        count.Series[0].Values.ShouldBe([2.0, 0.0]); // non-missing scores per team
    }

    [Fact]
    public void limit_keeps_the_top_n_and_folds_the_rest_into_other()
    {
        var data = VegaDatasets.Read("obesity.csv");
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "state", YColumn = ["rate"], Limit = 10 });

        var states = data.Find("state")!.Raw;
        var rates = data.Find("rate")!.Numbers!;
        var ranked = Enumerable.Range(0, data.RowCount).OrderByDescending(i => rates[i]).ToList();
        chart.Labels.Count.ShouldBe(11);
        chart.Labels[^1].ShouldBe("Other");
        chart.Labels.Take(10).ShouldBe(ranked.Take(10).Select(i => states[i]!));
        chart.Series[0].Values.Take(10).ShouldBe(ranked.Take(10).Select(i => rates[i]));
        // "Other" is the mean over the 40 remaining states' rows, not a mean of means or a sum.
        chart.Series[0].Values[^1]!.Value.ShouldBe(ranked.Skip(10).Average(i => rates[i]!.Value), 1e-12);
    }

    [Fact]
    public void other_sums_the_rest_for_sums_and_stays_last_whatever_the_sort()
    {
        var data = new DataSetBuilder()
            .Labels("k", ["a", "b", "c", "d", "e"])
            .Numeric("v", [50, 40, 30, 20, 10])
            .Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "k", YColumn = ["v"], Limit = 2, Sort = "value_asc" });
        chart.Labels.ShouldBe(["b", "a", "Other"]);
        chart.Series[0].Values.ShouldBe([40.0, 50.0, 60.0]);
    }

    [Fact]
    public void many_categories_get_a_default_top_25_for_bars_and_top_7_for_pies()
    {
        var data = VegaDatasets.Read("obesity.csv");
        ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "state", YColumn = ["rate"] }).Labels.Count.ShouldBe(ChartAggregator.DefaultBarLimit + 1);
        var data2 = new DataSetBuilder().Labels("k", Enumerable.Range(0, 9).Select(i => $"k{i}").ToArray()).Numeric("v", [1, 2, 3, 4, 5, 6, 7, 8, 9]).Build();
        var pie = ChartAggregator.Aggregate(data2, ChartTypes.Pie, new() { XColumn = "k", YColumn = ["v"] });
        pie.Labels.ShouldBe(["k8", "k7", "k6", "k5", "k4", "k3", "k2", "Other"]);
        pie.Series[0].Values[^1].ShouldBe(3); // 1 + 2
    }

    [Fact]
    public void sort_orders()
    {
        var data = new DataSetBuilder().Labels("k", ["b", "c", "a"]).Numeric("v", [2, 1, 3]).Build();
        string[] Labels(string? sort) => ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "k", YColumn = ["v"], Sort = sort }).Labels.ToArray();
        Labels(null).ShouldBe(["a", "b", "c"]); // value desc: 3, 2, 1
        Labels("value_asc").ShouldBe(["c", "b", "a"]);
        Labels("x").ShouldBe(["a", "b", "c"]);
        Labels("x_desc").ShouldBe(["c", "b", "a"]);
        Labels("none").ShouldBe(["b", "c", "a"]);
    }

    [Fact]
    public void several_y_columns_become_several_series_on_one_axis()
    {
        var chart = ChartAggregator.Aggregate(VegaDatasets.Read("crimea.csv"), ChartTypes.Line, new() { XColumn = "date", YColumn = ["wounds", "other", "disease"] });
        chart.Series.Select(s => s.Name).ShouldBe(["wounds", "other", "disease"]);
        chart.Series.ShouldAllBe(s => s.Values.Count == chart.Labels.Count);
        chart.Series[2].Values.Sum().ShouldBe(VegaDatasets.Read("crimea.csv").Find("disease")!.Numbers!.Sum());
    }

    [Fact]
    public void group_column_splits_series_in_natural_order_and_folds_beyond_ten_groups()
    {
        var stacked = ChartAggregator.Aggregate(Barley, ChartTypes.StackedBar, new() { XColumn = "site", YColumn = ["yield"], GroupColumn = "year" });
        // The parser reads barley's year as a date (1 January); its groups are still named by the year, in time order.
        stacked.Series.Select(s => s.Name).ShouldBe(["1931", "1932"]);

        var groups = Enumerable.Range(0, 24).Select(i => $"g{i:00}").ToArray();
        var data = new DataSetBuilder()
            .Labels("x", groups.Select(_ => "only").ToArray())
            .Labels("g", groups)
            .Numeric("v", groups.Select((_, i) => (double?)(i + 1)).ToArray())
            .Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.StackedBar, new() { XColumn = "x", YColumn = ["v"], GroupColumn = "g" });
        chart.Series.Count.ShouldBe(ChartAggregator.MaxSeries);
        chart.Series[0].Name.ShouldBe("g23");
        chart.Series[^1].Name.ShouldBe("Other");
        chart.Series[^1].Values[0].ShouldBe(Enumerable.Range(1, 15).Sum()); // g00..g14
    }

    [Fact]
    public void a_numeric_x_line_runs_in_ascending_x()
    {
        var data = new DataSetBuilder().Numeric("year", [2003, 2001, 2002, 2001]).Numeric("sales", [3, 1, 2, 10]).Build();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "year", YColumn = ["sales"] });
        chart.XKind.ShouldBe(AxisKinds.Numeric);
        chart.Labels.ShouldBe(["2001", "2002", "2003"]);
        chart.Series[0].Values.ShouldBe([11.0, 2.0, 3.0]);
    }

    [Fact]
    public void a_long_line_is_downsampled_with_lttb_keeping_its_ends_and_its_spike()
    {
        var data = ChartCases.LongDailySeries();
        var chart = ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "day", YColumn = ["value"], TimeUnit = "day" });

        chart.Labels.Count.ShouldBe(ChartAggregator.MaxLinePoints);
        chart.Labels[0].ShouldBe("2000-01-01");
        chart.Labels[^1].ShouldBe(DataColumn.FormatDate(DataSetBuilder.Utc(2000, 1, 1).AddDays(7304)));
        chart.Series[0].Values.Max().ShouldBe(400);
        chart.PeriodStarts.ShouldBe(chart.PeriodStarts!.Order().ToList()); // still chronological
    }

    [Fact]
    public void scatter_keeps_every_point_of_a_small_data_set()
    {
        var chart = ChartAggregator.Aggregate(VegaDatasets.Read("driving.csv"), ChartTypes.Scatter, new() { XColumn = "miles", YColumn = ["gas"] });
        chart.Points!.Count.ShouldBe(55);
        chart.XColumn.ShouldBe("miles");
        chart.YColumn.ShouldBe("gas");
    }

    [Fact]
    public void scatter_of_a_large_data_set_is_sampled_the_same_way_every_time_and_keeps_the_extremes()
    {
        var data = VegaDatasets.Read("windvectors.csv");
        var config = new ChartRequestConfig { XColumn = "dir", YColumn = ["speed"] };
        var first = ChartAggregator.Aggregate(data, ChartTypes.Scatter, config);
        var second = ChartAggregator.Aggregate(data, ChartTypes.Scatter, config);

        data.RowCount.ShouldBeGreaterThan(ChartAggregator.MaxScatterPoints);
        first.Points!.Count.ShouldBe(ChartAggregator.MaxScatterPoints);
        second.Points.ShouldBe(first.Points);
        var xs = data.Find("dir")!.Numbers!.OfType<double>().ToList();
        var ys = data.Find("speed")!.Numbers!.OfType<double>().ToList();
        first.Points.Max(p => p.X).ShouldBe(xs.Max());
        first.Points.Min(p => p.X).ShouldBe(xs.Min());
        first.Points.Max(p => p.Y).ShouldBe(ys.Max());
        first.Points.Min(p => p.Y).ShouldBe(ys.Min());
        // Every sampled point is a real row.
        var rows = Enumerable.Range(0, data.RowCount).Select(i => $"{data.Find("dir")!.Numbers![i]}|{data.Find("speed")!.Numbers![i]}").ToHashSet();
        first.Points.Count(p => !rows.Contains($"{p.X}|{p.Y}")).ShouldBe(0);
    }

    [Fact]
    public void scatter_group_column_labels_points_with_their_group()
    {
        var chart = ChartAggregator.Aggregate(VegaDatasets.Read("anscombe.csv"), ChartTypes.Scatter, new() { XColumn = "X", YColumn = ["Y"], GroupColumn = "Series" });
        chart.Series.Select(s => s.Name).ShouldBe(["I", "II", "III", "IV"]);
        chart.Points!.GroupBy(p => p.Label).Select(g => g.Count()).ShouldAllBe(n => n == 11);
    }

    [Fact]
    public void histogram_bins_follow_freedman_diaconis()
    {
        var data = VegaDatasets.Read("seattle-weather-hourly-normals.csv");
        var values = data.Find("temperature")!.Numbers!.OfType<double>().OrderBy(v => v).ToArray();
        // Freedman–Diaconis by hand: width 2·IQR/∛n, quartiles by linear interpolation.
        double Quartile(double p)
        {
            var h = (values.Length - 1) * p;
            var lo = (int)h;
            return values[lo] + (h - lo) * (values[Math.Min(lo + 1, values.Length - 1)] - values[lo]);
        }
        var width = 2 * (Quartile(0.75) - Quartile(0.25)) / Math.Pow(values.Length, 1.0 / 3);
        var expectedBins = (int)Math.Ceiling((values[^1] - values[0]) / width);
        expectedBins.ShouldBeInRange(5, 100);

        var chart = ChartAggregator.Aggregate(data, ChartTypes.Histogram, new() { XColumn = "temperature" });
        chart.Labels.Count.ShouldBe(expectedBins);
        chart.Series[0].Values.Sum().ShouldBe(values.Length);
        chart.Measure.ShouldBe("count");
        chart.XColumn.ShouldBe("temperature");
    }

    [Fact]
    public void histogram_uses_sturges_when_the_iqr_is_zero_and_honours_explicit_bins()
    {
        // 90 zeros and 10 spread values: IQR 0.
        var values = Enumerable.Repeat((double?)0, 90).Concat(Enumerable.Range(1, 10).Select(i => (double?)i * 10)).ToArray();
        var data = new DataSetBuilder().Numeric("cost", values).Build();
        HistogramBins.Count(values.Select(v => v!.Value).ToList()).ShouldBe((int)Math.Ceiling(Math.Log2(100)) + 1);
        ChartAggregator.Aggregate(data, ChartTypes.Histogram, new() { XColumn = "cost" }).Labels.Count.ShouldBe(8);

        var explicitBins = ChartAggregator.Aggregate(data, ChartTypes.Histogram, new() { XColumn = "cost", Bins = 4 });
        explicitBins.Labels.ShouldBe(["0–25", "25–50", "50–75", "75–100"]);
        explicitBins.Series[0].Values.ShouldBe([92.0, 2.0, 3.0, 3.0]); // zeros, 10, 20 | 30, 40 | 50, 60, 70 | 80, 90, 100 (last bin closed)
    }

    [Fact]
    public void freedman_diaconis_is_capped_between_5_and_100_bins()
    {
        HistogramBins.Count([1, 2, 3, 4]).ShouldBe(HistogramBins.MinBins);
        // A huge outlier stretches the range far beyond 100 IQR-based widths.
        var spread = Enumerable.Range(0, 1000).Select(i => (double)i).Append(1e9).ToList();
        HistogramBins.Count(spread).ShouldBe(HistogramBins.MaxBins);
    }
}
