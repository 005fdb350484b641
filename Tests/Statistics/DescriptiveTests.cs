using ChartCraft.Features.Statistics;

namespace ChartCraft.Tests.Statistics;

/// <summary>Quantiles, moments and ranks of the statistics core against straightforward reference versions.</summary>
public class DescriptiveTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void quantiles_interpolate_linearly_between_order_statistics_like_numpy(double p)
    {
        double[] sorted = [1, 2, 4, 7, 11, 16, 22];

        Descriptive.Quantile(sorted, p).ShouldBe(Reference.Percentile(sorted, p), 1e-12);
    }

    [Fact]
    public void moments_match_the_mean_sample_standard_deviation_and_pandas_skew()
    {
        var random = new Random(21);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Exp(Reference.Normal(random))).ToArray();

        var (mean, std, skew) = Descriptive.Moments(values);

        mean.ShouldBe(values.Average(), 1e-9);
        std.ShouldBe(Reference.SampleStd(values), 1e-9);
        skew.ShouldBe(Reference.Skew(values), 1e-9);
        Descriptive.StandardDeviation(values).ShouldBe(std);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 42.0 })]
    public void fewer_than_two_values_have_no_spread(double[] values) =>
        Descriptive.StandardDeviation(values).ShouldBe(0);

    [Fact]
    public void a_constant_column_has_no_skew()
    {
        var (_, std, skew) = Descriptive.Moments([3.3, 3.3, 3.3, 3.3]);

        std.ShouldBe(0, 1e-15);
        double.IsNaN(skew).ShouldBeTrue();
    }

    [Fact]
    public void ties_share_their_average_rank_and_rows_missing_on_the_other_side_are_left_out()
    {
        double[] values = [30, 10, 20, 10, 40];
        var rows = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var sorted = rows.Select(i => values[i]).ToArray();

        Descriptive.Ranks(values.Length, sorted, rows).ShouldBe(Reference.Ranks(values));
        double[] other = [1, 1, double.NaN, 1, 1];
        Descriptive.Ranks(values.Length, sorted, rows, other).ShouldBe([3, 1.5, double.NaN, 1.5, 4]);
    }
}
