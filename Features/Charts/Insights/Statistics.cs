namespace ChartCraft.Features.Charts.Insights;

/// <summary>The few statistics the insight engine needs, on plain arrays (no NaN in, none out).</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Average();

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = Mean(values);
        var sum = values.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(sum / (values.Count - 1));
    }

    /// <summary>Quantile with linear interpolation between order statistics (R's type 7, Excel's QUARTILE.INC).</summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Pearson correlation; 0 when either side is constant.</summary>
    public static double Pearson(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var n = Math.Min(xs.Count, ys.Count);
        if (n < 2) return 0;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = xs[i] - mx; var dy = ys[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        if (sxx <= 0 || syy <= 0) return 0;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>Ordinary least squares y = intercept + slope·x, with r and r².</summary>
    public static LinearFit Fit(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var n = Math.Min(xs.Count, ys.Count);
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
        mx /= Math.Max(n, 1); my /= Math.Max(n, 1);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); }
        var slope = sxx > 0 ? sxy / sxx : 0;
        var r = Pearson(xs, ys);
        return new LinearFit(slope, my - slope * mx, r, r * r);
    }

    /// <summary>Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /// <summary>1 − two-sided p-value of a z statistic: how sure we are the effect is not noise.</summary>
    public static double Significance(double z) =>
        double.IsFinite(z) ? Math.Clamp(2 * NormalCdf(Math.Abs(z)) - 1, 0, 1) : (double.IsNaN(z) ? 0 : 1);

    /// <summary>Significance of a correlation r over n pairs via Fisher's z = atanh(r)·√(n − 3).</summary>
    public static double CorrelationSignificance(double r, int n)
    {
        if (n < 4) return 0;
        var clamped = Math.Clamp(Math.Abs(r), 0, 0.999999);
        return Significance(Math.Atanh(clamped) * Math.Sqrt(n - 3));
    }
}

/// <summary>A fitted straight line.</summary>
internal readonly record struct LinearFit(double Slope, double Intercept, double R, double RSquared);
