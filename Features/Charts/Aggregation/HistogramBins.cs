namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>How many bins a histogram gets: Freedman–Diaconis, robust to outliers, with Sturges when the IQR is 0.</summary>
public static class HistogramBins
{
    // Fewer than 5 bins hides the shape; more than 100 makes bars a pixel wide on a normal chart.
    public const int MinBins = 5;
    public const int MaxBins = 100;

    /// <summary>Bin count for the values (any order, no missing values).</summary>
    public static int Count(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return MinBins;
        var sorted = values.Order().ToArray();
        var range = sorted[^1] - sorted[0];
        if (range == 0) return 1;
        var iqr = Quantiles.Of(sorted, 0.75) - Quantiles.Of(sorted, 0.25);
        double bins;
        if (iqr > 0)
        {
            // Freedman–Diaconis: width = 2·IQR·n^(−1/3).
            var width = 2 * iqr / Math.Cbrt(sorted.Length);
            bins = Math.Ceiling(range / width);
        }
        else
        {
            bins = Sturges(sorted.Length);
        }
        return (int)Math.Clamp(bins, MinBins, MaxBins);
    }

    /// <summary>Sturges' rule: ⌈log2 n⌉ + 1.</summary>
    public static int Sturges(int n) => (int)Math.Ceiling(Math.Log2(n)) + 1;
}
