namespace ChartCraft.Features.Statistics;

/// <summary>Pearson's r and how sure we may be that an effect is not noise.</summary>
public static class Correlation
{
    /// <summary>Pearson's r over the rows where both arrays have a value (NaN = missing), and how many such rows there are; NaN when either side is constant.</summary>
    public static (double R, int N) Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sums = Sums.Of(x, y, bothPresent: true);
        if (sums.N < 2 || sums.Sxx <= 0 || sums.Syy <= 0) return (double.NaN, sums.N);
        return (sums.R, sums.N);
    }

    /// <summary>t statistic of a correlation r over n points (large means unlikely by chance).</summary>
    public static double TStatistic(double r, int n) =>
        n < 3 ? 0 : Math.Abs(r) >= 1 ? double.PositiveInfinity : Math.Abs(r) * Math.Sqrt((n - 2) / (1 - r * r));

    /// <summary>Significance of a correlation r over n pairs via Fisher's z = atanh(r)·√(n − 3).</summary>
    public static double Significance(double r, int n)
    {
        if (n < 4) return 0;
        var clamped = Math.Clamp(Math.Abs(r), 0, 0.999999);
        return SignificanceOf(Math.Atanh(clamped) * Math.Sqrt(n - 3));
    }

    /// <summary>1 − two-sided p-value of a z statistic: how sure we are the effect is not noise.</summary>
    public static double SignificanceOf(double z) =>
        double.IsFinite(z) ? Math.Clamp(2 * NormalCdf(Math.Abs(z)) - 1, 0, 1) : (double.IsNaN(z) ? 0 : 1);

    /// <summary>Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}

/// <summary>Centred sums of squares and products of the pairs (x, y) that have a value, in two passes for accuracy.</summary>
internal readonly record struct Sums(int N, double MeanX, double MeanY, double Sxx, double Syy, double Sxy)
{
    /// <summary>r = Sxy / √(Sxx·Syy), clamped against rounding; 0 when y is constant.</summary>
    public double R => Syy > 0 && Sxx > 0 ? Math.Clamp(Sxy / Math.Sqrt(Sxx * Syy), -1, 1) : 0;

    /// <summary>The sums over the pairs where y has a value and, when <paramref name="bothPresent"/> (a correlation), x too; a fit's x positions are always present.</summary>
    public static Sums Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y, bool bothPresent)
    {
        double sx = 0, sy = 0;
        var n = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(y[i]) || (bothPresent && double.IsNaN(x[i]))) continue;
            sx += x[i];
            sy += y[i];
            n++;
        }
        if (n == 0) return new Sums(0, double.NaN, double.NaN, 0, 0, 0);
        double mx = sx / n, my = sy / n, sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(y[i]) || (bothPresent && double.IsNaN(x[i]))) continue;
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        return new Sums(n, mx, my, sxx, syy, sxy);
    }
}
