using ChartCraft.Features.Statistics;

namespace ChartCraft.Tests.Statistics;

/// <summary>Pearson's r, the least-squares line and their significance in the statistics core.</summary>
public class CorrelationTests
{
    [Fact]
    public void pearson_and_the_fitted_line_match_the_textbook_formulas()
    {
        var random = new Random(11);
        var x = Enumerable.Range(0, 80).Select(i => 150.0 + i).ToArray();
        var y = x.Select(v => 0.9 * v - 80 + 6 * Reference.Normal(random)).ToArray();

        var (r, n) = Correlation.Pearson(x, y);
        var fit = LinearFit.Of(x, y);

        n.ShouldBe(80);
        r.ShouldBe(Reference.Pearson(x, y), 1e-12);
        var (slope, r2) = Reference.Line(x, y);
        fit.Slope.ShouldBe(slope, 1e-12);
        fit.Intercept.ShouldBe(y.Average() - slope * x.Average(), 1e-9);
        fit.R.ShouldBe(r, 1e-12);
        fit.RSquared.ShouldBe(r2, 1e-12);
        fit.At(200).ShouldBe(fit.Intercept + 200 * fit.Slope);
    }

    [Fact]
    public void pearson_uses_only_the_rows_where_both_sides_have_a_value()
    {
        double[] x = [1, 2, double.NaN, 4, 5, 6];
        double[] y = [2, 4, 6, double.NaN, 10, 11];

        var (r, n) = Correlation.Pearson(x, y);

        n.ShouldBe(4);
        r.ShouldBe(Reference.Pearson([1, 2, 5, 6], [2, 4, 10, 11]), 1e-12);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1, 1, 1 }, new[] { 1.0, 2, 3, 4 })]
    [InlineData(new[] { 1.0, 2, 3, 4 }, new[] { 5.0, 5, 5, 5 })]
    [InlineData(new[] { 1.0 }, new[] { 2.0 })]
    public void a_constant_side_or_a_single_pair_has_no_correlation(double[] x, double[] y) =>
        double.IsNaN(Correlation.Pearson(x, y).R).ShouldBeTrue();

    [Fact]
    public void a_line_cannot_be_fitted_when_x_does_not_vary() =>
        double.IsNaN(LinearFit.Of([2, 2, 2], [1, 2, 3]).Slope).ShouldBeTrue();

    [Theory]
    [InlineData(0.3, 10, 0.55, 0.65)]
    [InlineData(0.3, 100, 0.99, 1.0)]
    [InlineData(0.9, 5, 0.95, 1.0)]
    [InlineData(0.9, 3, 0.0, 0.0)]
    public void a_correlation_is_more_significant_the_more_pairs_it_holds_on(double r, int n, double atLeast, double atMost) =>
        Correlation.Significance(r, n).ShouldBeInRange(atLeast, atMost);

    [Theory]
    [InlineData(1.96, 0.95)]
    [InlineData(-2.576, 0.99)]
    [InlineData(0.0, 0.0)]
    public void the_significance_of_a_z_statistic_is_one_minus_its_two_sided_p_value(double z, double significance) =>
        Correlation.SignificanceOf(z).ShouldBe(significance, 1e-3);

    [Theory]
    [InlineData(0.5, 20, 2.449)]
    [InlineData(-0.5, 20, 2.449)]
    [InlineData(0.9, 2, 0.0)]
    public void the_t_statistic_of_r_grows_with_its_size_and_the_pairs(double r, int n, double t) =>
        Correlation.TStatistic(r, n).ShouldBe(t, 1e-3);

    [Fact]
    public void a_perfect_correlation_has_an_infinite_t_statistic() =>
        Correlation.TStatistic(1, 20).ShouldBe(double.PositiveInfinity);
}
