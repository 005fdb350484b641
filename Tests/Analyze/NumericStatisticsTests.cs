using ChartCraft.Features.Analyze;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class NumericStatisticsTests
{
    private static NumericStatistics StatisticsOf(params double?[] values) =>
        (NumericStatistics)DataAnalyzer.Analyze(new DataSetBuilder().Numeric("x", values).Build(), full: false).Statistics["x"];

    [Fact]
    public void statistics_of_a_small_array_match_hand_computed_values()
    {
        var s = StatisticsOf(1, null, 2, 3, 4, 100);

        s.Count.ShouldBe(5);
        s.Missing.ShouldBe(1);
        s.UniqueCount.ShouldBe(5);
        s.Sum.ShouldBe(110);
        s.Mean.ShouldBe(22);
        s.Median.ShouldBe(3);
        s.Min.ShouldBe(1);
        s.Max.ShouldBe(100);
        // Deviations from the mean: -21, -20, -19, -18, 78; squares sum to 7,610.
        s.Std!.Value.ShouldBe(Math.Sqrt(7610.0 / 4), 1e-12);
        // Cubes sum to 444,600: m2 = 7,610 / 5, m3 = 444,600 / 5, adjusted by sqrt(n(n-1)) / (n-2).
        s.Skew!.Value.ShouldBe(88920 / Math.Pow(1522, 1.5) * Math.Sqrt(20) / 3, 1e-12);
    }

    [Fact]
    public void quartiles_interpolate_linearly_between_order_statistics_like_numpy()
    {
        var four = StatisticsOf(4, 1, 3, 2);
        four.Q1.ShouldBe(1.75);
        four.Median.ShouldBe(2.5);
        four.Q3.ShouldBe(3.25);
        four.Iqr.ShouldBe(1.5);
        four.QuartileMethod.ShouldBe("linear");

        // numpy.percentile([7, 15, 36, 39, 40, 41], [25, 50, 75]) = [20.25, 37.5, 39.75]
        var six = StatisticsOf(41, 7, 39, 15, 40, 36);
        six.Q1.ShouldBe(20.25);
        six.Median.ShouldBe(37.5);
        six.Q3.ShouldBe(39.75);
    }

    [Fact]
    public void outliers_lie_beyond_one_and_a_half_iqr_from_the_quartiles()
    {
        var s = StatisticsOf(1, null, 2, 3, 4, 100);

        // Q1 = 2, Q3 = 4, IQR = 2: fences at -1 and 7; only 100 (row 5) lies beyond.
        s.Outliers!.LowerFence.ShouldBe(-1);
        s.Outliers.UpperFence.ShouldBe(7);
        s.OutlierCount.ShouldBe(1);
        s.Outliers.Above.ShouldBe(1);
        s.Outliers.Below.ShouldBe(0);
        s.Outliers.Examples.ShouldBe([new RowValue(5, 100)]);
    }

    [Fact]
    public void outlier_examples_are_the_most_extreme_values_with_their_row_indexes()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1000).Select(_ => (double?)(10 + random.NextDouble() * 10)).ToArray();
        values[17] = 500;
        values[203] = -300;
        values[911] = 90;
        values[400] = 35;

        var s = StatisticsOf(values);

        var present = values.Select(v => v!.Value).ToList();
        double q1 = Reference.Percentile(present, 0.25), q3 = Reference.Percentile(present, 0.75);
        var expected = present.Select((v, row) => (v, row))
            .Where(p => p.v < q1 - 1.5 * (q3 - q1) || p.v > q3 + 1.5 * (q3 - q1)).ToList();
        s.OutlierCount.ShouldBe(expected.Count);
        expected.Select(p => p.row).ShouldBe([17, 203, 400, 911]);
        // Most extreme first: 500 is farthest beyond its fence, then -300, then 90, then 35.
        s.Outliers!.Examples.Select(e => e.Row).ShouldBe([17, 203, 911, 400]);
        s.Outliers.Examples[0].Value.ShouldBe(500);
    }

    [Fact]
    public void statistics_of_a_large_random_array_match_a_reference_implementation()
    {
        var random = new Random(42);
        var values = Enumerable.Range(0, 10_001)
            .Select(_ => random.NextDouble() < 0.05 ? (double?)null : Math.Round(50 + 12 * Reference.Normal(random) + Math.Pow(random.NextDouble(), 8) * 200, 2))
            .ToArray();

        var s = StatisticsOf(values);

        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        double q1 = Reference.Percentile(present, 0.25), q3 = Reference.Percentile(present, 0.75);
        s.Count.ShouldBe(present.Count);
        s.Missing.ShouldBe(values.Length - present.Count);
        s.UniqueCount.ShouldBe(present.Distinct().Count());
        s.Mean!.Value.ShouldBe(present.Average(), 1e-9);
        s.Sum!.Value.ShouldBe(present.Sum(), 1e-6);
        s.Std!.Value.ShouldBe(Reference.SampleStd(present), 1e-9);
        s.Skew!.Value.ShouldBe(Reference.Skew(present), 1e-9);
        s.Median!.Value.ShouldBe(Reference.Percentile(present, 0.5), 1e-12);
        s.Q1!.Value.ShouldBe(q1, 1e-12);
        s.Q3!.Value.ShouldBe(q3, 1e-12);
        s.Min.ShouldBe(present.Min());
        s.Max.ShouldBe(present.Max());
        s.OutlierCount.ShouldBe(present.Count(v => v < q1 - 1.5 * (q3 - q1) || v > q3 + 1.5 * (q3 - q1)));
        s.OutlierCount.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void a_column_without_values_has_null_statistics_instead_of_nan()
    {
        var s = StatisticsOf(null, null, null);

        s.Count.ShouldBe(0);
        s.Missing.ShouldBe(3);
        s.Mean.ShouldBeNull();
        s.Median.ShouldBeNull();
        s.Std.ShouldBeNull();
        s.Min.ShouldBeNull();
        s.Q1.ShouldBeNull();
        s.Skew.ShouldBeNull();
        s.Sum.ShouldBeNull();
        s.Outliers.ShouldBeNull();
        s.OutlierCount.ShouldBe(0);
    }

    [Fact]
    public void a_constant_column_has_zero_spread_no_skew_and_no_outliers()
    {
        var s = StatisticsOf(0.1, 0.1, 0.1, 0.1, 0.1);

        s.Std.ShouldBe(0);
        s.Iqr.ShouldBe(0);
        s.Skew.ShouldBeNull();
        s.OutlierCount.ShouldBe(0);
        s.UniqueCount.ShouldBe(1);
    }

    [Fact]
    public void a_single_value_has_no_sample_standard_deviation()
    {
        var s = StatisticsOf(7);

        s.Mean.ShouldBe(7);
        s.Median.ShouldBe(7);
        s.Q1.ShouldBe(7);
        s.Std.ShouldBeNull();
        s.Skew.ShouldBeNull();
    }

    [Fact]
    public void infinite_numbers_count_as_missing()
    {
        var s = StatisticsOf(1, double.PositiveInfinity, 3, double.NaN);

        s.Count.ShouldBe(2);
        s.Missing.ShouldBe(2);
        s.Mean.ShouldBe(2);
        s.Max.ShouldBe(3);
    }

    [Fact]
    public void the_unit_and_invalid_cells_of_the_column_are_reported()
    {
        var column = new ChartCraft.Features.Upload.DataColumn
        {
            Name = "price", Type = "numeric", Unit = "$", InvalidCount = 1,
            Raw = ["$1", "n/a?", "$3"], Numbers = [1, null, 3],
        };
        var data = new ChartCraft.Features.Upload.DataSet { Columns = [column], RowCount = 3 };

        var result = DataAnalyzer.Analyze(data, full: true);

        var s = (NumericStatistics)result.Statistics["price"];
        s.Unit.ShouldBe("$");
        s.Invalid.ShouldBe(1);
        s.Missing.ShouldBe(1);
        result.Recommendations.ShouldContain(r => r.Text.StartsWith("1 value in price did not read as numbers"));
    }
}
