using System.Globalization;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>
/// Turns a data set and a chart request into the numbers the chart shows: rows grouped by x (and series),
/// aggregated, time-bucketed, folded to top N + "Other", sorted and down-sampled so that no chart carries
/// more than <see cref="MaxPoints"/> points. Missing cells are skipped, never counted as zeros.
/// </summary>
public static class ChartAggregator
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

    // ---------------------------------------------------------------- bar, line, area, pie

    static AggregatedChart Grouped(ValidatedChartRequest request, int rowCount)
    {
        var (chartType, config, x, ys, group, aggregation, _) = request;
        var xKind = x.Type switch
        {
            ColumnTypes.Datetime => AxisKinds.Time,
            ColumnTypes.Numeric => AxisKinds.Numeric,
            _ => AxisKinds.Category,
        };

        string? timeUnit = null;
        if (xKind == AxisKinds.Time)
            timeUnit = config.TimeUnit ?? TimeBuckets.DefaultUnit(x.Dates!.NonNull(), MaxDefaultBuckets(chartType));

        // Series: several y columns, one per group value, or one.
        var seriesKeys = new List<string>();
        var seriesIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        Func<int, int> seriesOfRow;
        if (ys.Count > 1)
        {
            foreach (var y in ys) seriesKeys.Add(y.Name);
            seriesOfRow = _ => 0; // unused: each row feeds every y series
        }
        else if (group is not null)
        {
            seriesOfRow = row =>
            {
                var key = CategoryKey(group, row);
                if (key is null) return -1;
                if (!seriesIndex.TryGetValue(key, out var s))
                {
                    s = seriesKeys.Count;
                    seriesIndex[key] = s;
                    seriesKeys.Add(key);
                }
                return s;
            };
        }
        else
        {
            seriesKeys.Add(ys.Count == 1 ? ys[0].Name : Aggregations.Count);
            seriesOfRow = _ => 0;
        }

        // Cells: x key → one list of values per series.
        var cells = new Dictionary<object, List<List<double>>>();
        var firstSeen = new List<object>();
        var anyValue = false;
        for (var row = 0; row < rowCount; row++)
        {
            object? key = xKind switch
            {
                AxisKinds.Time => x.Dates![row] is { } d ? TimeBuckets.Floor(d, timeUnit!) : null,
                AxisKinds.Numeric => x.Numbers![row],
                _ => CategoryKey(x, row),
            };
            if (key is null) continue;
            // The x position exists even when its measure is missing: it shows as an empty slot, not a zero.
            if (ys.Count > 1)
            {
                for (var s = 0; s < ys.Count; s++)
                    if (ValueAt(ys[s], row, aggregation) is { } v) Add(key, s, v);
                    else Cell(key, s);
                continue;
            }
            var target = seriesOfRow(row);
            if (target < 0) continue;
            if (ys.Count == 0) Add(key, target, 1);
            else if (ValueAt(ys[0], row, aggregation) is { } v) Add(key, target, v);
            else Cell(key, target);
        }
        if (!anyValue)
            throw ChartRequestValidation.Problem("config.x_column",
                ys.Count == 0 ? $"column '{x.Name}' has no values" : $"no row has values in both '{x.Name}' and '{string.Join("', '", ys.Select(y => y.Name))}'");

        // Too many groups: keep the largest, fold the rest into one "Other" series.
        var seriesCount = seriesKeys.Count;
        var seriesOrder = Enumerable.Range(0, seriesCount).ToList();
        if (group is not null && seriesCount > MaxSeries)
        {
            var totals = seriesOrder
                .Select(s => Aggregations.Apply(aggregation, cells.Values.SelectMany(c => s < c.Count ? c[s] : []).ToList()) ?? double.NegativeInfinity)
                .ToList();
            seriesOrder = seriesOrder.OrderByDescending(s => totals[s]).ToList();
        }
        else if (group is not null)
        {
            seriesOrder = seriesOrder.OrderBy(s => seriesKeys[s], StringKeyComparer(group)).ToList();
        }
        var foldSeries = seriesOrder.Count > MaxSeries;
        var keptSeries = foldSeries ? seriesOrder.Take(MaxSeries - 1).ToList() : seriesOrder;
        var foldedSeries = foldSeries ? seriesOrder.Skip(MaxSeries - 1).ToHashSet() : [];
        var seriesNames = keptSeries.Select(s => seriesKeys[s]).ToList();
        if (foldSeries) seriesNames.Add(OtherLabel);

        // The lists of one x position, in output series order.
        List<List<double>> ValuesOf(List<List<double>> perSeries)
        {
            var output = keptSeries.Select(s => s < perSeries.Count ? perSeries[s] : []).ToList();
            if (foldSeries) output.Add(foldedSeries.SelectMany(s => s < perSeries.Count ? perSeries[s] : []).ToList());
            return output;
        }

        // X positions.
        List<(object Key, List<List<double>> Values)> positions;
        if (xKind == AxisKinds.Time)
        {
            var dates = cells.Keys.Cast<DateTime>().ToList();
            var bucketCount = TimeBuckets.Count(dates.Min(), dates.Max(), timeUnit!);
            if (bucketCount > MaxTimeBuckets)
                throw ChartRequestValidation.Problem("config.time_unit",
                    $"column '{x.Name}' spans {bucketCount} {timeUnit}s; use a coarser time_unit");
            var starts = TimeBuckets.Range(dates.Min(), dates.Max(), timeUnit!,
                weekdaysOnly: timeUnit == TimeBuckets.Day && TimeBuckets.IsWeekdayData(x.Dates!.NonNull()));
            if (ChartTypes.IsBarLike(chartType) || ChartTypes.IsPieLike(chartType))
                if (starts.Count > MaxTimeBars && !(config.Limit is { } l && l <= MaxTimeBars))
                    throw ChartRequestValidation.Problem("config.time_unit",
                        $"column '{x.Name}' spans {starts.Count} {timeUnit}s; that is too many bars (at most {MaxTimeBars}); use a coarser time_unit or a limit");
            // Empty buckets stay in the axis so time stays evenly spaced; they hold no values (a gap, or a count of 0).
            positions = starts.Select(s => ((object)s, cells.TryGetValue(s, out var c) ? ValuesOf(c) : ValuesOf([]))).ToList();
            // Data recorded at a coarser pace than the unit (a census every 10 years, by year) would leave most buckets
            // empty and a line of lone dots: then a line keeps only the periods that have data, and connects them.
            // Counts keep every bucket: no rows in a year is a 0 worth drawing.
            var withData = positions.Count(p => p.Values.Any(v => v.Count > 0));
            if (ChartTypes.IsLineLike(chartType) && aggregation != Aggregations.Count && withData * 2 < positions.Count)
                positions = positions.Where(p => p.Values.Any(v => v.Count > 0)).ToList();
        }
        else
        {
            positions = firstSeen.Select(k => (k, ValuesOf(cells[k]))).ToList();
        }

        var aggregated = positions
            .Select(p => new Position(p.Key, p.Values, p.Values.Select(v => Aggregations.Apply(aggregation, v)).ToArray()))
            .ToList();
        var emptyIsZero = aggregation == Aggregations.Count;
        if (!emptyIsZero)
            foreach (var p in aggregated)
                for (var s = 0; s < p.Aggregates.Length; s++)
                    if (p.Values[s].Count == 0) p.Aggregates[s] = null;

        // Time and numeric axes run in x order from here on; category axes keep first appearance until sorted.
        if (xKind != AxisKinds.Category) aggregated = aggregated.OrderBy(p => p.Key, KeyComparer(x)).ToList();

        // Top N + "Other" for categories; the last N periods for time axes and lines, where lumping makes no sense.
        var lineLike = ChartTypes.IsLineLike(chartType);
        int? defaultLimit = xKind == AxisKinds.Time || lineLike ? null : ChartTypes.IsPieLike(chartType) ? DefaultPieLimit : DefaultBarLimit;
        Position? other = null;
        if ((config.Limit ?? defaultLimit) is { } n && aggregated.Count > n)
        {
            if (xKind == AxisKinds.Time || lineLike)
            {
                aggregated = aggregated.Skip(aggregated.Count - n).ToList();
            }
            else
            {
                var top = aggregated.OrderByDescending(Total).Take(n).ToHashSet();
                var rest = aggregated.Where(p => !top.Contains(p)).ToList();
                aggregated = aggregated.Where(top.Contains).ToList();
                var restValues = Enumerable.Range(0, seriesNames.Count).Select(s => rest.SelectMany(p => p.Values[s]).ToList()).ToList();
                other = new Position(OtherLabel, restValues,
                    restValues.Select(v => v.Count == 0 && !emptyIsZero ? null : Aggregations.Apply(aggregation, v)).ToArray());
            }
        }

        // Sort: lines always run along x; bars and slices by value unless asked otherwise. "Other" stays last.
        var sort = lineLike ? SortOrders.X : config.Sort ?? (xKind == AxisKinds.Category ? SortOrders.ValueDesc : SortOrders.X);
        aggregated = sort switch
        {
            SortOrders.X => aggregated.OrderBy(p => p.Key, KeyComparer(x)).ToList(),
            SortOrders.XDesc => aggregated.OrderByDescending(p => p.Key, KeyComparer(x)).ToList(),
            SortOrders.ValueDesc => aggregated.OrderByDescending(Total).ToList(),
            SortOrders.ValueAsc => aggregated.OrderBy(Total).ToList(),
            _ => aggregated,
        };
        if (other is not null) aggregated.Add(other);

        // Down-sample lines to what a screen can show.
        if (lineLike)
        {
            var cap = Math.Min(MaxLinePoints, MaxPoints / Math.Max(1, seriesNames.Count));
            if (aggregated.Count > cap) aggregated = DownsampleLine(aggregated, cap, xKind);
        }
        else if (aggregated.Count * seriesNames.Count > MaxPoints)
        {
            throw ChartRequestValidation.Problem("config.limit",
                $"{aggregated.Count} x values × {seriesNames.Count} series is more than {MaxPoints} bars; set a smaller limit");
        }

        var labels = aggregated.Select(p => p.Key switch
        {
            DateTime d => TimeBuckets.Label(d, timeUnit!),
            double v => FormatNumber(v),
            string s => s,
            _ => p.Key.ToString() ?? "",
        }).ToList();
        var periodStarts = xKind == AxisKinds.Time
            ? aggregated.Select(p => p.Key is DateTime d ? d : default).ToList()
            : null;

        var series = seriesNames.Select((name, s) => new ChartSeries(name, aggregated.Select(p => p.Aggregates[s]).ToList())).ToList();
        var measure = ys.Count == 0 ? Aggregations.Count : string.Join(", ", ys.Select(y => y.Name));
        var units = ys.Select(y => y.Unit).Distinct().ToList();
        var unit = aggregation == Aggregations.Count || units.Count != 1 ? null : units[0];

        return new AggregatedChart(chartType, x.Name, xKind, timeUnit, labels, periodStarts, series, measure, aggregation, unit,
            LastIsOther: other is not null && labels.Count > 0 && labels[^1] == OtherLabel);

        void Add(object key, int series, double value)
        {
            Cell(key, series).Add(value);
            anyValue = true;
        }

        List<double> Cell(object key, int series)
        {
            if (!cells.TryGetValue(key, out var lists))
            {
                lists = [];
                cells[key] = lists;
                firstSeen.Add(key);
            }
            while (lists.Count <= series) lists.Add([]);
            return lists[series];
        }
    }

    sealed record Position(object Key, List<List<double>> Values, double?[] Aggregates);

    static double Total(Position p) => p.Aggregates.Sum(v => v ?? 0);

    static double? ValueAt(DataColumn y, int row, string aggregation) =>
        y.Type == ColumnTypes.Numeric
            ? y.Numbers![row]
            : aggregation == Aggregations.Count && y.ValueAt(row) is not null ? 1 : null;

    /// <summary>
    /// Keeps the positions LTTB picks for each series (each gets an equal share of the budget), so every
    /// series keeps its own peaks; the union is what all series show.
    /// </summary>
    static List<Position> DownsampleLine(List<Position> positions, int cap, string xKind)
    {
        var seriesCount = positions[0].Aggregates.Length;
        var share = Math.Max(3, cap / seriesCount);
        var keep = new SortedSet<int>();
        for (var s = 0; s < seriesCount; s++)
        {
            var present = Enumerable.Range(0, positions.Count).Where(i => positions[i].Aggregates[s] is not null).ToArray();
            if (present.Length == 0) continue;
            var xs = present.Select(i => xKind == AxisKinds.Numeric && positions[i].Key is double v ? v : i).ToArray();
            var ys = present.Select(i => positions[i].Aggregates[s]!.Value).ToArray();
            foreach (var k in Lttb.Downsample(xs, ys, Math.Min(share, present.Length))) keep.Add(present[k]);
        }
        // The union can exceed the cap by a few when series pick different positions; trim evenly.
        var kept = keep.ToList();
        if (kept.Count > cap) kept = Enumerable.Range(0, cap).Select(i => kept[(int)Math.Round(i * (kept.Count - 1) / (double)(cap - 1))]).Distinct().ToList();
        return kept.Select(i => positions[i]).ToList();
    }

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
        ColumnTypes.Datetime => column.Dates![row] is { } d ? DataColumn.FormatDate(d) : null,
        ColumnTypes.Boolean => column.Booleans![row] is { } b ? (b ? "true" : "false") : null,
        _ => string.IsNullOrEmpty(column.Raw[row]) ? null : column.Raw[row],
    };

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
