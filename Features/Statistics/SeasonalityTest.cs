namespace ChartCraft.Features.Statistics;

/// <summary>A cycle found in a series.</summary>
/// <param name="Lag">The cycle length in periods.</param>
/// <param name="Cycle">"daily", "weekly" or "yearly".</param>
/// <param name="Autocorrelation">Of the detrended series at the cycle length.</param>
/// <param name="HalfCycleAutocorrelation">At half the cycle length, where a cycle is at its opposite phase.</param>
/// <param name="Pairs">Pairs of periods one cycle apart that both have a value.</param>
/// <param name="Significance">1 − p of the autocorrelation (Fisher's z over the pairs).</param>
/// <param name="Residual">The detrended series, NaN where it has no value.</param>
public sealed record Season(int Lag, string Cycle, double Autocorrelation, double HalfCycleAutocorrelation, int Pairs, double Significance, double[] Residual)
{
    /// <summary>Full cycles the series spans.</summary>
    public int Cycles => Residual.Length / Lag;
}

/// <summary>
/// The one seasonality test of the analysis and the chart insights: detrend the series, then look for a high
/// autocorrelation at a calendar cycle length (a day of hours, a week of days, a year of anything) that is clearly
/// higher than at half that length.
/// </summary>
public static class SeasonalityTest
{
    // For a cycle S plus noise N the autocorrelation at the cycle length is about var(S) / (var(S) + var(N)), so 0.3
    // asks the cycle to carry at least 30% of what is left after the trend. A cycle is at its opposite phase half a
    // cycle later; a slowly wandering or smooth series (a year of daily temperatures seen at 7 days) is about as
    // correlated there, so the cycle length must beat half of it by 0.3 as well. In a short series (two or three
    // cycles, a couple of dozen pairs) noise alone reaches 0.3 about one time in fifteen, so the autocorrelation
    // must also be unlikely by chance at the 5% level (Fisher's z over the pairs: about 0.4 for 24 pairs, 0.3
    // from 45). The analysis had 0.3 and the contrast, the insights r ≥ 0.5 with the 5% level; together they keep
    // every existing expectation of both, where 0.5 would lose plain cycles the analysis reported.
    public const double MinAutocorrelation = 0.3;
    public const double MinContrast = 0.3;
    public const double MinSignificance = 0.95;

    /// <summary>Cycle lengths worth testing per period unit ("hour", "day", "week", "month", "quarter").</summary>
    public static IReadOnlyList<int> Lags(string unit) => unit switch
    {
        "hour" => [24],
        "day" => [7, 365],
        "week" => [52],
        "month" => [12],
        "quarter" => [4],
        _ => [],
    };

    /// <summary>The strongest cycle in an evenly spaced series of <paramref name="unit"/> periods (NaN = no value), or null.</summary>
    public static Season? Find(double[] series, string unit)
    {
        Season? best = null;
        foreach (var lag in Lags(unit))
            if (AtLag(series, unit, lag) is { } season && season.Autocorrelation > (best?.Autocorrelation ?? 0))
                best = season;
        return best;
    }

    private static Season? AtLag(double[] series, string unit, int lag)
    {
        // At least two full cycles.
        if (series.Length < 2 * lag) return null;
        // A moving average over one cycle removes any slow movement without touching the cycle, but costs half
        // a cycle at each end; short series are detrended with the straight line instead.
        var residual = series.Length >= 4 * lag ? MovingAverageResidual(series, lag) : LineResidual(series);
        var (acf, pairs) = Autocorrelation(residual, lag);
        var (half, _) = Autocorrelation(residual, lag / 2);
        if (pairs < lag || !double.IsFinite(acf) || !double.IsFinite(half)) return null;
        var significance = Correlation.Significance(acf, pairs);
        if (acf < MinAutocorrelation || acf - half < MinContrast || significance < MinSignificance) return null;
        var cycle = unit == "hour" ? "daily" : unit == "day" && lag == 7 ? "weekly" : "yearly";
        return new Season(lag, cycle, acf, half, pairs, significance, residual);
    }

    private static double[] LineResidual(double[] series)
    {
        var x = new double[series.Length];
        for (var i = 0; i < x.Length; i++) x[i] = i;
        var fit = LinearFit.Of(x, series);
        var residual = new double[series.Length];
        for (var i = 0; i < series.Length; i++)
            residual[i] = double.IsFinite(fit.Slope) ? series[i] - fit.At(i) : series[i];
        return residual;
    }

    /// <summary>
    /// Series minus its centred moving average over one cycle (a 2×L average for even L, as in classical
    /// decomposition); NaN where the window runs off the series or is less than three quarters filled.
    /// </summary>
    private static double[] MovingAverageResidual(double[] series, int lag)
    {
        var n = series.Length;
        var sums = new double[n + 1];
        var counts = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var present = !double.IsNaN(series[i]);
            sums[i + 1] = sums[i] + (present ? series[i] : 0);
            counts[i + 1] = counts[i] + (present ? 1 : 0);
        }
        var residual = new double[n];
        var half = lag / 2;
        for (var t = 0; t < n; t++)
        {
            residual[t] = double.NaN;
            if (double.IsNaN(series[t]) || t - half < 0 || t + half >= n) continue;
            double sum, weight;
            if (lag % 2 == 1)
            {
                sum = sums[t + half + 1] - sums[t - half];
                weight = counts[t + half + 1] - counts[t - half];
            }
            else
            {
                // Inner cells count fully, the two end cells by half, so the window spans exactly one cycle.
                sum = sums[t + half] - sums[t - half + 1];
                weight = counts[t + half] - counts[t - half + 1];
                foreach (var end in (int[])[t - half, t + half])
                    if (!double.IsNaN(series[end]))
                    {
                        sum += series[end] / 2;
                        weight += 0.5;
                    }
            }
            if (weight < 0.75 * lag) continue;
            residual[t] = series[t] - sum / weight;
        }
        return residual;
    }

    /// <summary>Autocorrelation at a lag over the pairs where both cells have a value.</summary>
    private static (double Acf, int Pairs) Autocorrelation(double[] series, int lag)
    {
        if (lag <= 0) return (1, series.Length);
        double sum = 0;
        var n = 0;
        foreach (var v in series)
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        if (n < 3) return (double.NaN, 0);
        var mean = sum / n;
        double variance = 0;
        foreach (var v in series)
            if (!double.IsNaN(v)) variance += (v - mean) * (v - mean);
        variance /= n;
        if (variance <= 0) return (double.NaN, 0);
        double cross = 0;
        var pairs = 0;
        for (var t = 0; t + lag < series.Length; t++)
        {
            if (double.IsNaN(series[t]) || double.IsNaN(series[t + lag])) continue;
            cross += (series[t] - mean) * (series[t + lag] - mean);
            pairs++;
        }
        return pairs == 0 ? (double.NaN, 0) : (Math.Clamp(cross / pairs / variance, -1, 1), pairs);
    }
}
