namespace ChartCraft.Features.Statistics;

/// <summary>
/// The few descriptive statistics no referenced library provides, written for speed on arrays: quantiles,
/// moments and ranks. NaN marks a missing value in inputs that may have gaps.
/// </summary>
public static class Descriptive
{
    /// <summary>Null for NaN and infinities, which JSON cannot carry.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// The p-quantile of ascending values by linear interpolation between order statistics
    /// (numpy's default "linear", R type 7, Excel QUARTILE.INC).
    /// </summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>Mean, sample standard deviation and adjusted Fisher–Pearson skewness, in two passes for accuracy.</summary>
    public static (double Mean, double Std, double Skew) Moments(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n == 0) return (double.NaN, double.NaN, double.NaN);
        var sum = 0.0;
        foreach (var v in values) sum += v;
        var mean = sum / n;
        double m2 = 0, m3 = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
        }
        var std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : double.NaN;
        var skew = double.NaN;
        // A (near-)constant column has no defined skew; relative tolerance keeps rounding noise from producing one.
        if (n > 2 && m2 > 1e-24 * Math.Max(1, mean * mean) * n)
        {
            var g1 = (m3 / n) / Math.Pow(m2 / n, 1.5);
            skew = g1 * Math.Sqrt((double)n * (n - 1)) / (n - 2);
        }
        return (mean, std, skew);
    }

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values, which have no spread.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> values) => values.Length < 2 ? 0 : Moments(values).Std;

    /// <summary>
    /// Average ranks (1-based, ties share their mean rank) of the rows listed in <paramref name="sortedRows"/>
    /// (row indexes ordered by <paramref name="sortedValues"/>), counting only rows where
    /// <paramref name="alsoPresent"/> has a value when it is given. Other rows get NaN. O(n) given the sort.
    /// </summary>
    public static double[] Ranks(int rowCount, ReadOnlySpan<double> sortedValues, ReadOnlySpan<int> sortedRows, double[]? alsoPresent = null)
    {
        var ranks = new double[rowCount];
        Array.Fill(ranks, double.NaN);
        var assigned = 0;
        var p = 0;
        while (p < sortedValues.Length)
        {
            var value = sortedValues[p];
            var q = p;
            var tied = 0;
            while (q < sortedValues.Length && sortedValues[q] == value)
            {
                if (alsoPresent is null || !double.IsNaN(alsoPresent[sortedRows[q]])) tied++;
                q++;
            }
            var rank = assigned + (tied + 1) / 2.0;
            for (var t = p; t < q; t++)
                if (alsoPresent is null || !double.IsNaN(alsoPresent[sortedRows[t]])) ranks[sortedRows[t]] = rank;
            assigned += tied;
            p = q;
        }
        return ranks;
    }
}
