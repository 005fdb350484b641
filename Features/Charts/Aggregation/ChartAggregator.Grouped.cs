using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>Bar, line, area and pie charts: rows grouped by x (and series), one aggregate per x position and series.</summary>
public static partial class ChartAggregator
{
    static AggregatedChart Grouped(ValidatedChartRequest request, int rowCount)
    {
        var (chartType, config, x, ys, group, aggregation, _) = request;
        var xKind = x.Type switch
        {
            ColumnTypes.Datetime => AxisKinds.Time,
            ColumnTypes.Numeric => AxisKinds.Numeric,
            _ => AxisKinds.Category,
        };
        var timeUnit = xKind == AxisKinds.Time
            ? config.TimeUnit ?? TimeBuckets.DefaultUnit(x.Dates!.NonNull(), MaxDefaultBuckets(chartType))
            : null;

        var cells = ReadCells(request, rowCount, xKind, timeUnit);
        var seriesLayout = FoldSeries(cells, group, aggregation);
        var positions = xKind == AxisKinds.Time
            ? TimePositions(request, cells, seriesLayout, timeUnit!)
            : cells.FirstSeen.Select(k => (k, seriesLayout.ValuesOf(cells.ByKey[k]))).ToList();
        var aggregated = AggregatePositions(positions, aggregation);

        // Time and numeric axes run in x order from here on; category axes keep first appearance until sorted.
        if (xKind != AxisKinds.Category) aggregated = aggregated.OrderBy(p => p.Key, KeyComparer(x)).ToList();

        var lineLike = ChartTypes.IsLineLike(chartType);
        var seriesCount = seriesLayout.Names.Count;
        // Top N + "Other" for categories; the last N periods for time axes and lines, where lumping makes no sense.
        var lastPeriods = xKind == AxisKinds.Time || lineLike;
        int? defaultLimit = lastPeriods ? null : ChartTypes.IsPieLike(chartType) ? DefaultPieLimit : DefaultBarLimit;
        (aggregated, var other) = Limit(aggregated, config.Limit ?? defaultLimit, lastPeriods, seriesCount, aggregation);

        // Sort: lines always run along x; bars and slices by value unless asked otherwise. "Other" stays last.
        var sort = lineLike ? SortOrders.X : config.Sort ?? (xKind == AxisKinds.Category ? SortOrders.ValueDesc : SortOrders.X);
        aggregated = Sort(aggregated, sort, x);
        if (other is not null) aggregated.Add(other);
        aggregated = FitPointBudget(aggregated, lineLike, seriesCount, xKind);

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

        var series = seriesLayout.Names.Select((name, s) => new ChartSeries(name, aggregated.Select(p => p.Aggregates[s]).ToList())).ToList();
        var measure = ys.Count == 0 ? Aggregations.Count : string.Join(", ", ys.Select(y => y.Name));
        var units = ys.Select(y => y.Unit).Distinct().ToList();
        var unit = aggregation == Aggregations.Count || units.Count != 1 ? null : units[0];

        return new AggregatedChart(chartType, x.Name, xKind, timeUnit, labels, periodStarts, series, measure, aggregation, unit,
            LastIsOther: other is not null && labels.Count > 0 && labels[^1] == OtherLabel);
    }

    /// <summary>Cells: x key → one list of values per series, read from every row.</summary>
    static GroupedCells ReadCells(ValidatedChartRequest request, int rowCount, string xKind, string? timeUnit)
    {
        var (_, _, x, ys, group, aggregation, _) = request;
        var cells = new GroupedCells();
        // Series: several y columns, one per group value (found while reading), or one.
        if (ys.Count > 1) cells.SeriesKeys.AddRange(ys.Select(y => y.Name));
        else if (group is null) cells.SeriesKeys.Add(ys.Count == 1 ? ys[0].Name : Aggregations.Count);

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
                    if (ValueAt(ys[s], row, aggregation) is { } v) cells.Add(key, s, v);
                    else cells.Cell(key, s);
                continue;
            }
            var target = group is null ? 0 : cells.SeriesOf(CategoryKey(group, row));
            if (target < 0) continue;
            if (ys.Count == 0) cells.Add(key, target, 1);
            else if (ValueAt(ys[0], row, aggregation) is { } v) cells.Add(key, target, v);
            else cells.Cell(key, target);
        }
        if (!cells.AnyValue)
            throw ChartRequestValidation.Problem("config.x_column",
                ys.Count == 0 ? $"column '{x.Name}' has no values" : $"no row has values in both '{x.Name}' and '{string.Join("', '", ys.Select(y => y.Name))}'");
        return cells;
    }

    /// <summary>Too many groups: keep the largest, fold the rest into one "Other" series.</summary>
    static SeriesLayout FoldSeries(GroupedCells cells, DataColumn? group, string aggregation)
    {
        var seriesKeys = cells.SeriesKeys;
        var seriesOrder = Enumerable.Range(0, seriesKeys.Count).ToList();
        if (group is not null && seriesKeys.Count > MaxSeries)
        {
            var totals = seriesOrder
                .Select(s => Aggregations.Apply(aggregation, cells.ByKey.Values.SelectMany(c => s < c.Count ? c[s] : []).ToList()) ?? double.NegativeInfinity)
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
        return new SeriesLayout(keptSeries, foldedSeries, seriesNames);
    }

    /// <summary>Every bucket from the first date to the last, within the limits a time axis has.</summary>
    static List<(object Key, List<List<double>> Values)> TimePositions(ValidatedChartRequest request, GroupedCells cells,
        SeriesLayout seriesLayout, string timeUnit)
    {
        var (chartType, config, x, _, _, aggregation, _) = request;
        var dates = cells.ByKey.Keys.Cast<DateTime>().ToList();
        var bucketCount = TimeBuckets.Count(dates.Min(), dates.Max(), timeUnit);
        if (bucketCount > MaxTimeBuckets)
            throw ChartRequestValidation.Problem("config.time_unit",
                $"column '{x.Name}' spans {bucketCount} {timeUnit}s; use a coarser time_unit");
        var starts = TimeBuckets.Range(dates.Min(), dates.Max(), timeUnit,
            weekdaysOnly: timeUnit == TimeBuckets.Day && TimeBuckets.IsWeekdayData(x.Dates!.NonNull()));
        if (ChartTypes.IsBarLike(chartType) || ChartTypes.IsPieLike(chartType))
            if (starts.Count > MaxTimeBars && !(config.Limit is { } l && l <= MaxTimeBars))
                throw ChartRequestValidation.Problem("config.time_unit",
                    $"column '{x.Name}' spans {starts.Count} {timeUnit}s; that is too many bars (at most {MaxTimeBars}); use a coarser time_unit or a limit");
        // Empty buckets stay in the axis so time stays evenly spaced; they hold no values (a gap, or a count of 0).
        List<(object Key, List<List<double>> Values)> positions = starts
            .Select(s => ((object)s, cells.ByKey.TryGetValue(s, out var c) ? seriesLayout.ValuesOf(c) : seriesLayout.ValuesOf([])))
            .ToList();
        // Data recorded at a coarser pace than the unit (a census every 10 years, by year) would leave most buckets
        // empty and a line of lone dots: then a line keeps only the periods that have data, and connects them.
        // Counts keep every bucket: no rows in a year is a 0 worth drawing.
        var withData = positions.Count(p => p.Values.Any(v => v.Count > 0));
        if (ChartTypes.IsLineLike(chartType) && aggregation != Aggregations.Count && withData * 2 < positions.Count)
            positions = positions.Where(p => p.Values.Any(v => v.Count > 0)).ToList();
        return positions;
    }

    /// <summary>One aggregate per position and series; a series with no values there is a gap, except for counts (0).</summary>
    static List<Position> AggregatePositions(List<(object Key, List<List<double>> Values)> positions, string aggregation)
    {
        var aggregated = positions
            .Select(p => new Position(p.Key, p.Values, p.Values.Select(v => Aggregations.Apply(aggregation, v)).ToArray()))
            .ToList();
        if (aggregation != Aggregations.Count)
            foreach (var p in aggregated)
                for (var s = 0; s < p.Aggregates.Length; s++)
                    if (p.Values[s].Count == 0) p.Aggregates[s] = null;
        return aggregated;
    }

    /// <summary>At most <paramref name="limit"/> positions: the last ones, or the largest with the rest folded into "Other".</summary>
    static (List<Position> Kept, Position? Other) Limit(List<Position> aggregated, int? limit, bool lastPeriods, int seriesCount,
        string aggregation)
    {
        if (limit is not { } n || aggregated.Count <= n) return (aggregated, null);
        if (lastPeriods) return (aggregated.Skip(aggregated.Count - n).ToList(), null);

        var top = aggregated.OrderByDescending(Total).Take(n).ToHashSet();
        var rest = aggregated.Where(p => !top.Contains(p)).ToList();
        var restValues = Enumerable.Range(0, seriesCount).Select(s => rest.SelectMany(p => p.Values[s]).ToList()).ToList();
        var emptyIsZero = aggregation == Aggregations.Count;
        var other = new Position(OtherLabel, restValues,
            restValues.Select(v => v.Count == 0 && !emptyIsZero ? null : Aggregations.Apply(aggregation, v)).ToArray());
        return (aggregated.Where(top.Contains).ToList(), other);
    }

    static List<Position> Sort(List<Position> aggregated, string sort, DataColumn x) => sort switch
    {
        SortOrders.X => aggregated.OrderBy(p => p.Key, KeyComparer(x)).ToList(),
        SortOrders.XDesc => aggregated.OrderByDescending(p => p.Key, KeyComparer(x)).ToList(),
        SortOrders.ValueDesc => aggregated.OrderByDescending(Total).ToList(),
        SortOrders.ValueAsc => aggregated.OrderBy(Total).ToList(),
        _ => aggregated,
    };

    /// <summary>Down-samples lines to what a screen can show; bars beyond <see cref="MaxPoints"/> are refused.</summary>
    static List<Position> FitPointBudget(List<Position> aggregated, bool lineLike, int seriesCount, string xKind)
    {
        if (lineLike)
        {
            var cap = Math.Min(MaxLinePoints, MaxPoints / Math.Max(1, seriesCount));
            return aggregated.Count > cap ? DownsampleLine(aggregated, cap, xKind) : aggregated;
        }
        if (aggregated.Count * seriesCount > MaxPoints)
            throw ChartRequestValidation.Problem("config.limit",
                $"{aggregated.Count} x values × {seriesCount} series is more than {MaxPoints} bars; set a smaller limit");
        return aggregated;
    }

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

    sealed record Position(object Key, List<List<double>> Values, double?[] Aggregates);

    static double Total(Position p) => p.Aggregates.Sum(v => v ?? 0);

    static double? ValueAt(DataColumn y, int row, string aggregation) =>
        y.Type == ColumnTypes.Numeric
            ? y.Numbers![row]
            : aggregation == Aggregations.Count && y.ValueAt(row) is not null ? 1 : null;

    /// <summary>The values read from the rows: x key → one list per series, x keys and group series in order of first appearance.</summary>
    sealed class GroupedCells
    {
        readonly Dictionary<string, int> _seriesIndex = new(StringComparer.Ordinal);

        public Dictionary<object, List<List<double>>> ByKey { get; } = [];
        public List<object> FirstSeen { get; } = [];
        public List<string> SeriesKeys { get; } = [];
        public bool AnyValue { get; private set; }

        public void Add(object key, int series, double value)
        {
            Cell(key, series).Add(value);
            AnyValue = true;
        }

        public List<double> Cell(object key, int series)
        {
            if (!ByKey.TryGetValue(key, out var lists))
            {
                lists = [];
                ByKey[key] = lists;
                FirstSeen.Add(key);
            }
            while (lists.Count <= series) lists.Add([]);
            return lists[series];
        }

        /// <summary>The series of a group value, a new one on first sight; -1 for a missing value (the row is skipped).</summary>
        public int SeriesOf(string? groupKey)
        {
            if (groupKey is null) return -1;
            if (!_seriesIndex.TryGetValue(groupKey, out var s))
            {
                s = SeriesKeys.Count;
                _seriesIndex[groupKey] = s;
                SeriesKeys.Add(groupKey);
            }
            return s;
        }
    }

    /// <summary>The series a chart shows: indexes of the kept read series, and the folded ones that make "Other".</summary>
    sealed record SeriesLayout(List<int> Kept, HashSet<int> Folded, List<string> Names)
    {
        /// <summary>The lists of one x position, in output series order.</summary>
        public List<List<double>> ValuesOf(List<List<double>> perSeries)
        {
            var output = Kept.Select(s => s < perSeries.Count ? perSeries[s] : []).ToList();
            if (Folded.Count > 0) output.Add(Folded.SelectMany(s => s < perSeries.Count ? perSeries[s] : []).ToList());
            return output;
        }
    }
}
