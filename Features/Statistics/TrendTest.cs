namespace ChartCraft.Features.Statistics;

/// <summary>Whether a series rises, falls or shows no trend it can be trusted with.</summary>
public enum TrendDirection { None, Rising, Falling }

/// <summary>The fitted line of a series and the trend test's verdict on it.</summary>
public readonly record struct Trend(LinearFit Fit, TrendDirection Direction)
{
    public bool Found => Direction != TrendDirection.None;
}

/// <summary>
/// The one trend test of the analysis and the chart insights: a least-squares line through the series, kept when
/// it is long enough, explains enough of the variation and has a slope far from zero given the noise.
/// </summary>
public static class TrendTest
{
    // Six periods: fewer cannot tell a trend from a couple of high or low values. R² ≥ 0.3: the line explains a
    // real part of the movement, not a tilt in noise (the chart insights used to call R² 0.1 a weak trend, which
    // a drift of one unit a month under noise of 40 reaches). t ≥ 3 (two-sided p ≈ 0.04 for six points, 0.004
    // for fifty) rather than 2, because an analysis tests every numeric column at once and a chart every series.
    // These were the analysis' thresholds; every existing expectation of both features holds with them.
    public const int MinPoints = 6;
    public const double MinRSquared = 0.3;
    public const double MinT = 3;

    /// <summary>The trend of y over positions x (NaN in y = missing).</summary>
    public static Trend Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var fit = LinearFit.Of(x, y);
        var holds = fit.N >= MinPoints && double.IsFinite(fit.Slope) && fit.Slope != 0
                    && fit.RSquared >= MinRSquared && Correlation.TStatistic(fit.R, fit.N) >= MinT;
        return new Trend(fit, !holds ? TrendDirection.None : fit.Slope > 0 ? TrendDirection.Rising : TrendDirection.Falling);
    }
}
