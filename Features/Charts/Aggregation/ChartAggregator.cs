using System.Globalization;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>
/// Turns a data set and a chart request into the numbers the chart shows: rows grouped by x (and series),
/// aggregated, time-bucketed, folded to top N + "Other", sorted and down-sampled so that no chart carries
/// more than <see cref="MaxPoints"/> points. Missing cells are skipped, never counted as zeros.
/// </summary>
public static partial class ChartAggregator
{
    /// <summary>Upper bound on drawn points (labels × series, or scatter points) in any chart.</summary>
    public const int MaxPoints = 5000;

    /// <summary>Labels a line keeps after LTTB: about one per horizontal pixel pair of a wide chart.</summary>
    public const int MaxLinePoints = 1000;

    /// <summary>Scatter points kept: beyond ~2 000 the dots overlap into a blob and the config grows past 100 KB.</summary>
    public const int MaxScatterPoints = 2000;

    /// <summary>Series a group column may produce; the rest are folded into "Other" so the legend stays readable.</summary>
    public const int MaxSeries = 10;

    /// <summary>Bars or slices kept when the request gives no limit (the rest become "Other").</summary>
    public const int DefaultBarLimit = 25;
    public const int DefaultPieLimit = 7;

    /// <summary>Most bars a time axis may produce; a finer explicit time_unit than that is refused.</summary>
    public const int MaxTimeBars = 1000;

    /// <summary>Most buckets a line's time axis may span before down-sampling (a century of days); bounds memory.</summary>
    public const int MaxTimeBuckets = 40_000;

    public const string OtherLabel = "Other";

    public static AggregatedChart Aggregate(DataSet data, string chartType, ChartRequestConfig config)
    {
        var request = ChartRequestValidation.Validate(data, chartType, config);
        return chartType switch
        {
            ChartTypes.Scatter => Scatter(request, data.RowCount),
            ChartTypes.Histogram => Histogram(request, data.RowCount),
            _ => Grouped(request, data.RowCount),
        };
    }

    /// <summary>Default bucket cap per chart family: a line reads ~500 points, bars ~60, slices ~12.</summary>
    public static int MaxDefaultBuckets(string chartType) =>
        ChartTypes.IsLineLike(chartType) ? 500 : ChartTypes.IsPieLike(chartType) ? 12 : 60;

    // ---------------------------------------------------------------- scatter

    static AggregatedChart Scatter(ValidatedChartRequest request, int rowCount)
    {
        var (chartType, _, x, ys, group, _, _) = request;
        var y = ys[0];
        var rows = new List<int>();
        for (var row = 0; row < rowCount; row++)
            if (x.Numbers![row] is not null && y.Numbers![row] is not null && (group is null || CategoryKey(group, row) is not null))
                rows.Add(row);
        if (rows.Count == 0)
            throw ChartRequestValidation.Problem("config.y_column", $"no row has values in both '{x.Name}' and '{y.Name}'");

        var xs = rows.Select(r => x.Numbers![r]!.Value).ToArray();
        var yv = rows.Select(r => y.Numbers![r]!.Value).ToArray();
        var sample = ScatterSampler.Sample(xs, yv, MaxScatterPoints);
        // With a group column each point's label is its group and Series lists the groups (values unused),
        // so the config builder can draw one dataset per group.
        var points = sample.Select(i => new ScatterPoint(xs[i], yv[i], group is null ? null : CategoryKey(group, rows[i]))).ToList();
        var series = group is null
            ? new List<ChartSeries>()
            : points.Select(p => p.Label!).Distinct().Order(StringKeyComparer(group)).Select(g => new ChartSeries(g, [])).ToList();
        var units = y.Unit;
        return new AggregatedChart(chartType, x.Name, AxisKinds.Numeric, null, [], null, series, y.Name, "none", units, points, y.Name);
    }

    // ---------------------------------------------------------------- histogram

    static AggregatedChart Histogram(ValidatedChartRequest request, int rowCount)
    {
        var (chartType, config, _, _, group, _, measured) = request;
        var column = measured!;
        var values = new List<double>();
        var groups = new List<string?>();
        for (var row = 0; row < rowCount; row++)
        {
            if (column.Numbers![row] is not { } v) continue;
            string? g = null;
            if (group is not null && (g = CategoryKey(group, row)) is null) continue;
            values.Add(v);
            groups.Add(g);
        }
        if (values.Count == 0)
            throw ChartRequestValidation.Problem("config.x_column", $"column '{column.Name}' has no values");

        var bins = config.Bins ?? HistogramBins.Count(values);
        var min = values.Min();
        var max = values.Max();
        if (min == max) bins = 1;
        var width = bins == 1 ? 0 : (max - min) / bins;

        var seriesNames = group is null ? [Aggregations.Count] : groups.Distinct().Select(g => g!).Order(StringKeyComparer(group)).ToList();
        if (seriesNames.Count > MaxSeries)
            throw ChartRequestValidation.Problem("config.group_column",
                $"column '{group!.Name}' has {seriesNames.Count} values; a histogram overlays at most {MaxSeries} groups");
        var index = seriesNames.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);
        var counts = seriesNames.Select(_ => new double?[bins]).ToList();
        foreach (var c in counts) Array.Fill(c, 0);
        for (var i = 0; i < values.Count; i++)
        {
            // The last bin is closed on the right so the maximum lands in it.
            var bin = width == 0 ? 0 : Math.Min((int)((values[i] - min) / width), bins - 1);
            counts[groups[i] is { } g ? index[g] : 0][bin]++;
        }

        var decimals = width == 0 ? 0 : Math.Clamp(1 - (int)Math.Floor(Math.Log10(width)), 0, 10);
        var labels = Enumerable.Range(0, bins)
            .Select(b => width == 0
                ? FormatNumber(min)
                : $"{Round(min + b * width, decimals)}–{Round(b == bins - 1 ? max : min + (b + 1) * width, decimals)}")
            .ToList();
        var series = seriesNames.Select((n, i) => new ChartSeries(n, counts[i])).ToList();
        return new AggregatedChart(chartType, column.Name, AxisKinds.Numeric, null, labels, null, series,
            Aggregations.Count, Aggregations.Count, null);
    }

    static string Round(double v, int decimals)
    {
        var text = Math.Round(v, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    // ---------------------------------------------------------------- keys

    /// <summary>The text a category or group key shows: the cell as written, numbers and dates in invariant form.</summary>
    static string? CategoryKey(DataColumn column, int row) => column.Type switch
    {
        ColumnTypes.Numeric => column.Numbers![row] is { } v ? FormatNumber(v) : null,
        ColumnTypes.Datetime => column.Dates![row] is { } d ? DateKey(column, d) : null,
        ColumnTypes.Boolean => column.Booleans![row] is { } b ? (b ? "true" : "false") : null,
        _ => string.IsNullOrEmpty(column.Raw[row]) ? null : column.Raw[row],
    };

    /// <summary>A date as a category, written as the file wrote it: a column of years names its groups "1931", not
    /// "1931-01-01" (the 1 January inference gives a year so it can sit on a time axis).</summary>
    static string DateKey(DataColumn column, DateTime d) =>
        column.Format == "yyyy" ? d.Year.ToString(CultureInfo.InvariantCulture) : DataColumn.FormatDate(d);

    public static string FormatNumber(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>Orders keys as their column would: numbers numerically, dates chronologically, text alphabetically.</summary>
    static IComparer<object> KeyComparer(DataColumn column) => Comparer<object>.Create((a, b) => (a, b) switch
    {
        (DateTime da, DateTime db) => da.CompareTo(db),
        (double na, double nb) => na.CompareTo(nb),
        (string sa, string sb) when column.Type == ColumnTypes.Numeric
            && double.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var xa)
            && double.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var xb) => xa.CompareTo(xb),
        (string sa, string sb) => NaturalCompare(sa, sb),
        _ => string.CompareOrdinal(a.ToString(), b.ToString()),
    });

    static IComparer<string> StringKeyComparer(DataColumn column) =>
        Comparer<string>.Create((a, b) => KeyComparer(column).Compare(a, b));

    static int NaturalCompare(string a, string b)
    {
        var c = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    }
}
