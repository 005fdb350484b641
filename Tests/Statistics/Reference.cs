namespace ChartCraft.Tests.Statistics;

/// <summary>Straightforward, slow reference statistics that the statistics core and its users are checked against.</summary>
internal static class Reference
{
    /// <summary>numpy.percentile(values, p * 100) with the default linear method.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = (int)Math.Ceiling(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    public static double SampleStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>pandas Series.skew(): the adjusted Fisher–Pearson coefficient.</summary>
    public static double Skew(IReadOnlyList<double> values)
    {
        double n = values.Count, mean = values.Average();
        var m2 = values.Sum(v => Math.Pow(v - mean, 2)) / n;
        var m3 = values.Sum(v => Math.Pow(v - mean, 3)) / n;
        return m3 / Math.Pow(m2, 1.5) * Math.Sqrt(n * (n - 1)) / (n - 2);
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        var cov = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return cov / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }

    /// <summary>Ranks by counting smaller and equal values (O(n²)), ties sharing their average rank.</summary>
    public static double[] Ranks(IReadOnlyList<double> values) =>
        values.Select(v => values.Count(w => w < v) + (values.Count(w => w == v) + 1) / 2.0).ToArray();

    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Least-squares slope and r² of y against x.</summary>
    public static (double Slope, double RSquared) Line(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var sxx = x.Sum(a => (a - mx) * (a - mx));
        var r = Pearson(x, y);
        return (sxy / sxx, r * r);
    }

    /// <summary>A standard normal draw (Box–Muller), so seeded test data is reproducible.</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
