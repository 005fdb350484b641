using ChartCraft.Features.Analyze;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class CorrelationTests
{
    [Fact]
    public void anscombe_series_one_has_pearson_r_of_0_816_and_its_spearman_rho()
    {
        var all = VegaDatasets.Read("anscombe.csv");
        var rows = Enumerable.Range(0, all.RowCount).Where(i => all.Find("Series")!.Raw[i] == "I").ToList();
        var x = rows.Select(i => all.Find("X")!.Numbers![i]!.Value).ToList();
        var y = rows.Select(i => all.Find("Y")!.Numbers![i]!.Value).ToList();
        var data = new DataSetBuilder().Numeric("x", x).Numeric("y", y).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Correlation);
        pattern.Columns.ShouldBe(["x", "y"]);
        pattern.Metrics["pearson"].ShouldBe(0.816, 0.0005);
        pattern.Metrics["pearson"].ShouldBe(Reference.Pearson(x, y), 1e-12);
        pattern.Metrics["spearman"].ShouldBe(Reference.Spearman(x, y), 1e-12);
        pattern.Metrics["rows"].ShouldBe(11);
        pattern.Strength.ShouldBe(Math.Max(Math.Abs(Reference.Pearson(x, y)), Math.Abs(Reference.Spearman(x, y))), 1e-12);
        pattern.Description.ShouldBe("x and y rise together: strong positive correlation (Pearson r = 0.82, Spearman ρ = 0.82, 11 rows).");
        result.Recommendations.ShouldContain(r => r.Chart != null && r.Chart.ChartType == "scatter" && r.Chart.XColumn == "x" && r.Chart.YColumn == "y");
    }

    [Fact]
    public void independent_columns_report_no_correlation()
    {
        var random = new Random(1);
        var data = new DataSetBuilder()
            .Numeric("a", Enumerable.Range(0, 500).Select(_ => random.NextDouble()))
            .Numeric("b", Enumerable.Range(0, 500).Select(_ => random.NextDouble()))
            .Numeric("c", Enumerable.Range(0, 500).Select(_ => Reference.Normal(random)))
            .Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        result.Patterns.ShouldNotContain(p => p.Type == PatternTypes.Correlation);
    }

    [Fact]
    public void correlations_below_0_5_are_not_reported()
    {
        // y = x + noise with the noise tuned so r is about 0.4.
        var random = new Random(9);
        var x = Enumerable.Range(0, 400).Select(_ => Reference.Normal(random)).ToList();
        var y = x.Select(v => v + 2.3 * Reference.Normal(random)).ToList();
        var r = Reference.Pearson(x, y);
        Math.Abs(r).ShouldBeInRange(0.3, 0.5);
        Math.Abs(Reference.Spearman(x, y)).ShouldBeLessThan(0.5);

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("x", x).Numeric("y", y).Build(), full: true);

        result.Patterns.ShouldNotContain(p => p.Type == PatternTypes.Correlation);
    }

    [Fact]
    public void a_negative_correlation_says_which_column_falls()
    {
        var x = Enumerable.Range(1, 30).Select(i => (double)i).ToList();
        var y = x.Select(v => 100 - 3 * v + (v % 3)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("price", x).Numeric("demand", y).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Correlation);
        pattern.Metrics["pearson"].ShouldBe(Reference.Pearson(x, y), 1e-12);
        pattern.Metrics["pearson"].ShouldBeLessThan(-0.9);
        pattern.Description.ShouldStartWith("demand falls as price rises: very strong negative correlation");
    }

    [Fact]
    public void spearman_finds_a_monotonic_relation_that_is_not_linear()
    {
        var x = Enumerable.Range(1, 40).Select(i => (double)i).ToList();
        var y = x.Select(v => Math.Exp(v / 3)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("x", x).Numeric("growth", y).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Correlation);
        pattern.Metrics["spearman"].ShouldBe(1, 1e-12);
        pattern.Metrics["pearson"].ShouldBe(Reference.Pearson(x, y), 1e-12);
        pattern.Metrics["pearson"].ShouldBeLessThan(0.8);
        pattern.Strength.ShouldBe(1, 1e-12);
        pattern.Description.ShouldEndWith("the relation is monotonic but not linear.");
    }

    [Fact]
    public void with_missing_cells_both_coefficients_use_the_rows_the_columns_share_and_ties_share_ranks()
    {
        var random = new Random(21);
        var x = Enumerable.Range(0, 200).Select(_ => random.NextDouble() < 0.1 ? (double?)null : random.Next(0, 20)).ToList();
        var y = x.Select(v => random.NextDouble() < 0.1 ? null : (double?)((v ?? 0) + random.Next(0, 8))).ToList();
        var shared = x.Zip(y).Where(p => p.First is not null && p.Second is not null).ToList();
        var sx = shared.Select(p => p.First!.Value).ToList();
        var sy = shared.Select(p => p.Second!.Value).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("x", x).Numeric("y", y).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Correlation);
        pattern.Metrics["rows"].ShouldBe(shared.Count);
        pattern.Metrics["pearson"].ShouldBe(Reference.Pearson(sx, sy), 1e-12);
        pattern.Metrics["spearman"].ShouldBe(Reference.Spearman(sx, sy), 1e-12);
    }
}
