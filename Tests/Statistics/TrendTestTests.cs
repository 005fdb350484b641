using ChartCraft.Features.Statistics;

namespace ChartCraft.Tests.Statistics;

/// <summary>The one trend test of the analysis and the chart insights.</summary>
public class TrendTestTests
{
    static double[] Positions(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();

    [Theory]
    [InlineData(200, 5, 8, 11, TrendDirection.Rising)]
    [InlineData(1000, -4, 10, 12, TrendDirection.Falling)]
    public void a_line_with_noise_is_a_trend_with_its_least_squares_slope_and_r_squared(double level, double slope, double noise, int seed, TrendDirection direction)
    {
        var random = new Random(seed);
        var x = Positions(48);
        var y = x.Select(i => level + slope * i + noise * Reference.Normal(random)).ToArray();

        var trend = TrendTest.Of(x, y);

        var (expectedSlope, r2) = Reference.Line(x, y);
        trend.Direction.ShouldBe(direction);
        trend.Fit.Slope.ShouldBe(expectedSlope, 1e-9);
        trend.Fit.Slope.ShouldBe(slope, Math.Abs(slope) / 10);
        trend.Fit.RSquared.ShouldBe(r2, 1e-9);
        trend.Fit.N.ShouldBe(48);
    }

    [Theory]
    [InlineData(13, 0.0)]
    [InlineData(14, 0.0)]
    // A drift of 1 per period under noise of 40: the line explains about a sixth of the variance, short of 0.3.
    [InlineData(3, 1.0)]
    public void noise_around_a_level_or_a_slight_drift_is_not_a_trend(int seed, double drift)
    {
        var random = new Random(seed);
        var x = Positions(60);
        var y = x.Select(i => 500 + drift * i + 40 * Reference.Normal(random)).ToArray();

        var trend = TrendTest.Of(x, y);

        trend.Found.ShouldBeFalse();
        trend.Fit.RSquared.ShouldBeLessThan(TrendTest.MinRSquared);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void fewer_than_six_points_are_never_a_trend_however_straight(int points)
    {
        var x = Positions(points);

        var trend = TrendTest.Of(x, x.Select(i => 10 + 3 * i).ToArray());

        trend.Direction.ShouldBe(TrendDirection.None);
        trend.Fit.Slope.ShouldBe(3, 1e-12);
    }

    [Fact]
    public void missing_values_are_left_out_of_the_fit()
    {
        double[] y = [1, double.NaN, 3, 4, double.NaN, 6, 7, 8];

        var trend = TrendTest.Of(Positions(8), y);

        trend.Fit.N.ShouldBe(6);
        trend.Fit.Slope.ShouldBe(1, 1e-12);
        trend.Fit.Intercept.ShouldBe(1, 1e-12);
        trend.Direction.ShouldBe(TrendDirection.Rising);
    }

    [Fact]
    public void a_constant_series_has_no_trend()
    {
        var trend = TrendTest.Of(Positions(12), Enumerable.Repeat(7.0, 12).ToArray());

        trend.Found.ShouldBeFalse();
        trend.Fit.Slope.ShouldBe(0);
        trend.Fit.R.ShouldBe(0);
    }
}
