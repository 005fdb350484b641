using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>The aggregation functions a request may name, how they compute, and which one suits a measure.</summary>
public static class Aggregations
{
    public const string Sum = "sum";
    public const string Mean = "mean";
    public const string Count = "count";
    public const string Min = "min";
    public const string Max = "max";
    public const string Median = "median";

    public static readonly IReadOnlyList<string> All = [Sum, Mean, Count, Min, Max, Median];

    public static bool IsKnown(string? function) => function is not null && All.Contains(function);

    /// <summary>
    /// Sum for additive measures (sales, counts, costs); mean for rates, shares, prices and readings
    /// such as temperature, whose sum means nothing. Count when there is no measure.
    /// </summary>
    public static string DefaultFor(DataColumn? measure)
    {
        if (measure is null || measure.Type != ColumnTypes.Numeric) return Count;
        return IsIntensive(measure) ? Mean : Sum;
    }

    /// <summary>True for a measure that is not additive: a percentage, rate, ratio, average, price or reading.</summary>
    public static bool IsIntensive(DataColumn measure) =>
        measure.Unit == "%" || ColumnNameHints.Words(measure.Name).Any(IntensiveWords.Contains);

    static readonly HashSet<string> IntensiveWords =
    [
        "rate", "rates", "ratio", "avg", "average", "mean", "median", "price", "prices", "temp", "temperature", "pct", "percent",
        "percentage", "perc", "share", "score", "speed", "pressure", "humidity", "density", "per", "wind", "index",
        // Price quotes (open/high/low/close) are levels: a week's "open" is an average, never a sum.
        "open", "high", "low", "close",
    ];


    /// <summary>Applies <paramref name="function"/> to non-missing values; null when there are none (never a made-up zero),
    /// except count, which is 0 for an empty group.</summary>
    public static double? Apply(string function, IReadOnlyList<double> values)
    {
        if (function == Count) return values.Count;
        if (values.Count == 0) return null;
        return function switch
        {
            Sum => Kahan(values),
            Mean => Kahan(values) / values.Count,
            Min => values.Min(),
            Max => values.Max(),
            Median => Quantiles.Of(values.Order().ToArray(), 0.5),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, "unknown aggregation"),
        };
    }

    // Compensated summation: sums of many decimals stay exact to the last printed digit.
    static double Kahan(IReadOnlyList<double> values)
    {
        double sum = 0, c = 0;
        foreach (var v in values)
        {
            var y = v - c;
            var t = sum + y;
            c = t - sum - y;
            sum = t;
        }
        return sum;
    }
}

/// <summary>Quantiles by linear interpolation between order statistics (Hyndman–Fan type 7, as numpy and Excel).</summary>
public static class Quantiles
{
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) throw new ArgumentException("no values", nameof(sorted));
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
