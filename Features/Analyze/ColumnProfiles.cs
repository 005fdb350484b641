using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Analyze;

/// <summary>
/// Each column of a data set prepared once for analysis (values sorted, labels counted, timestamps
/// ordered) together with its statistics; the pattern search and recommendations reuse this work.
/// </summary>
internal sealed class ColumnProfiles
{
    public required int RowCount { get; init; }
    /// <summary>Statistics in column order (duplicate names get " (2)", " (3)"...).</summary>
    public required List<(string Name, ColumnStatistics Statistics)> Statistics { get; init; }
    public required List<NumericProfile> Numeric { get; init; }
    public required List<DatetimeProfile> Datetimes { get; init; }
    public required List<LabelProfile> Labels { get; init; }
    public required List<BooleanProfile> Booleans { get; init; }
    /// <summary>Missing cells per column, in column order.</summary>
    public required List<(DataColumn Column, string Name, int Missing)> MissingByColumn { get; init; }

    private const int MaxOutlierExamples = 5;
    private const int MaxTopValues = 10;

    public static ColumnProfiles Build(DataSet data)
    {
        var rows = data.RowCount;
        var profiles = new ColumnProfiles
        {
            RowCount = rows,
            Statistics = [],
            Numeric = [],
            Datetimes = [],
            Labels = [],
            Booleans = [],
            MissingByColumn = [],
        };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in data.Columns)
        {
            var name = column.Name;
            for (var k = 2; !names.Add(name); k++) name = $"{column.Name} ({k})";

            ColumnStatistics statistics;
            switch (column.Type)
            {
                case ColumnTypes.Numeric when column.Numbers is not null:
                    var numeric = NumericProfile.Build(column, name, rows);
                    profiles.Numeric.Add(numeric);
                    statistics = numeric.Statistics;
                    break;
                case ColumnTypes.Datetime when column.Dates is not null:
                    var datetime = DatetimeProfile.Build(column, name, rows);
                    profiles.Datetimes.Add(datetime);
                    statistics = datetime.Statistics;
                    break;
                case ColumnTypes.Boolean when column.Booleans is not null:
                    var boolean = BooleanProfile.Build(column, name, rows);
                    profiles.Booleans.Add(boolean);
                    statistics = boolean.Statistics;
                    break;
                default:
                    var labels = LabelProfile.Build(column, name, rows);
                    profiles.Labels.Add(labels);
                    statistics = labels.Statistics;
                    break;
            }
            profiles.Statistics.Add((name, statistics));
            profiles.MissingByColumn.Add((column, name, statistics.Missing));
        }
        return profiles;
    }

    /// <summary>A numeric column: values by row (NaN = missing) and the present values sorted with their rows.</summary>
    internal sealed class NumericProfile
    {
        public required DataColumn Column { get; init; }
        public required string Name { get; init; }
        public required double[] Values { get; init; }
        public required double[] Sorted { get; init; }
        public required int[] SortedRows { get; init; }
        public required NumericStatistics Statistics { get; init; }

        public bool HasMissing => Sorted.Length < Values.Length;
        public bool IsConstant => Sorted.Length == 0 || Sorted[0] == Sorted[^1];

        private double[]? ranks;
        /// <summary>Average ranks of all present values (NaN where missing), computed on first use.</summary>
        public double[] Ranks => ranks ??= Descriptive.Ranks(Values.Length, Sorted, SortedRows);

        public static NumericProfile Build(DataColumn column, string name, int rowCount)
        {
            var numbers = column.Numbers!;
            var values = new double[rowCount];
            var present = 0;
            for (var i = 0; i < rowCount; i++)
            {
                // Infinities cannot be charted or serialised: they count as missing like unparsable cells.
                var v = i < numbers.Length && numbers[i] is { } x && double.IsFinite(x) ? x : double.NaN;
                values[i] = v;
                if (!double.IsNaN(v)) present++;
            }
            var (sorted, sortedRows) = SortPresent(values, present);
            var (mean, std, skew) = Descriptive.Moments(sorted);
            var sum = 0.0;
            foreach (var v in sorted) sum += v;
            var unique = 0;
            for (var i = 0; i < sorted.Length; i++)
                if (i == 0 || sorted[i] != sorted[i - 1]) unique++;

            OutlierSummary? outliers = null;
            double q1 = double.NaN, q3 = double.NaN;
            if (present > 0)
            {
                q1 = Descriptive.Quantile(sorted, 0.25);
                q3 = Descriptive.Quantile(sorted, 0.75);
                outliers = FindOutliers(sorted, sortedRows, q1, q3);
            }

            var statistics = new NumericStatistics
            {
                Count = present,
                Missing = rowCount - present,
                Invalid = column.InvalidCount,
                UniqueCount = unique,
                Unit = column.Unit,
                Sum = present > 0 ? Descriptive.Finite(sum) : null,
                Mean = Descriptive.Finite(mean),
                Median = present > 0 ? Descriptive.Quantile(sorted, 0.5) : null,
                Std = Descriptive.Finite(std),
                Min = present > 0 ? sorted[0] : null,
                Max = present > 0 ? sorted[^1] : null,
                Q1 = Descriptive.Finite(q1),
                Q3 = Descriptive.Finite(q3),
                Iqr = Descriptive.Finite(q3 - q1),
                Skew = Descriptive.Finite(skew),
                OutlierCount = outliers?.Count ?? 0,
                Outliers = outliers,
            };
            return new NumericProfile
            {
                Column = column, Name = name, Values = values, Sorted = sorted, SortedRows = sortedRows, Statistics = statistics,
            };
        }

        /// <summary>
        /// The present values in order, with their rows. Sorting once gives the median, quartiles, unique count, outliers
        /// and ranks; equal values keep row order, so examples and ranks do not depend on the sort's internals.
        /// </summary>
        static (double[] Sorted, int[] Rows) SortPresent(double[] values, int present)
        {
            var sorted = new double[present];
            var rows = new int[present];
            for (int i = 0, j = 0; i < values.Length; i++)
            {
                if (double.IsNaN(values[i])) continue;
                sorted[j] = values[i];
                rows[j++] = i;
            }
            Array.Sort(sorted, rows);
            for (int start = 0, end; start < present; start = end)
            {
                for (end = start + 1; end < present && sorted[end] == sorted[start]; end++) { }
                if (end - start > 1) Array.Sort(rows, start, end - start);
            }
            return (sorted, rows);
        }

        /// <summary>Tukey's fences; the examples are the values farthest beyond them, taken from both ends of the sort.</summary>
        private static OutlierSummary? FindOutliers(double[] sorted, int[] rows, double q1, double q3)
        {
            var iqr = q3 - q1;
            var lower = q1 - 1.5 * iqr;
            var upper = q3 + 1.5 * iqr;
            if (!double.IsFinite(lower) || !double.IsFinite(upper)) return null;
            var below = 0;
            while (below < sorted.Length && sorted[below] < lower) below++;
            var above = 0;
            while (above < sorted.Length - below && sorted[sorted.Length - 1 - above] > upper) above++;

            var examples = new List<RowValue>();
            int low = 0, high = sorted.Length - 1;
            while (examples.Count < MaxOutlierExamples && (low < below || sorted.Length - 1 - high < above))
            {
                var lowDistance = low < below ? lower - sorted[low] : double.NegativeInfinity;
                var highDistance = sorted.Length - 1 - high < above ? sorted[high] - upper : double.NegativeInfinity;
                if (lowDistance >= highDistance)
                {
                    examples.Add(new RowValue(rows[low], sorted[low]));
                    low++;
                }
                else
                {
                    examples.Add(new RowValue(rows[high], sorted[high]));
                    high--;
                }
            }
            return new OutlierSummary("iqr_1.5", lower, upper, below + above, below, above, examples);
        }
    }

    /// <summary>A datetime column: ticks by row (<see cref="Missing"/> = no value) and its distinct timestamps in order.</summary>
    internal sealed class DatetimeProfile
    {
        public const long Missing = long.MinValue;
        public required DataColumn Column { get; init; }
        public required string Name { get; init; }
        public required long[] Ticks { get; init; }
        public required long[] Distinct { get; init; }
        public required DetectedFrequency Frequency { get; init; }
        public required DatetimeStatistics Statistics { get; init; }

        public double SpanDays => Distinct.Length == 0 ? 0 : (Distinct[^1] - Distinct[0]) / (double)TimeSpan.TicksPerDay;

        public static DatetimeProfile Build(DataColumn column, string name, int rowCount)
        {
            var dates = column.Dates!;
            var ticks = new long[rowCount];
            var present = new List<long>(rowCount);
            for (var i = 0; i < rowCount; i++)
            {
                ticks[i] = i < dates.Length && dates[i] is { } d ? d.Ticks : Missing;
                if (ticks[i] != Missing) present.Add(ticks[i]);
            }
            var count = present.Count;
            present.Sort();
            var distinct = new List<long>();
            foreach (var t in present)
                if (distinct.Count == 0 || distinct[^1] != t) distinct.Add(t);
            var distinctArray = distinct.ToArray();
            var frequency = FrequencyDetection.Detect(distinctArray);
            var statistics = new DatetimeStatistics
            {
                Count = count,
                Missing = rowCount - count,
                Invalid = column.InvalidCount,
                UniqueCount = distinctArray.Length,
                Format = column.Format,
                Min = count > 0 ? DataColumn.FormatDate(new DateTime(distinctArray[0], DateTimeKind.Utc)) : null,
                Max = count > 0 ? DataColumn.FormatDate(new DateTime(distinctArray[^1], DateTimeKind.Utc)) : null,
                SpanDays = count > 0 ? (distinctArray[^1] - distinctArray[0]) / (double)TimeSpan.TicksPerDay : null,
                Frequency = frequency.Name,
                MedianGapDays = frequency.MedianGapDays is { } g ? Descriptive.Finite(g) : null,
                BusinessDaysOnly = frequency.BusinessDaysOnly,
                MissingPeriods = frequency.MissingPeriods,
                Gaps = frequency.Gaps,
            };
            return new DatetimeProfile
            {
                Column = column, Name = name, Ticks = ticks, Distinct = distinctArray, Frequency = frequency, Statistics = statistics,
            };
        }
    }

    /// <summary>A column read as labels (categorical, text, id): each row's label code and the counts per label.</summary>
    internal sealed class LabelProfile
    {
        public required DataColumn Column { get; init; }
        public required string Name { get; init; }
        /// <summary>Label index per row, -1 when missing.</summary>
        public required int[] Codes { get; init; }
        public required List<string> Values { get; init; }
        public required List<int> Counts { get; init; }
        public required ValueCountStatistics Statistics { get; init; }

        public static LabelProfile Build(DataColumn column, string name, int rowCount)
        {
            var codes = new int[rowCount];
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var values = new List<string>();
            var counts = new List<int>();
            long totalLength = 0;
            var maxLength = 0;
            var present = 0;
            for (var i = 0; i < rowCount; i++)
            {
                var cell = i < column.Raw.Length ? column.Raw[i] : null;
                if (cell is null)
                {
                    codes[i] = -1;
                    continue;
                }
                present++;
                totalLength += cell.Length;
                maxLength = Math.Max(maxLength, cell.Length);
                if (!index.TryGetValue(cell, out var code))
                {
                    code = values.Count;
                    index.Add(cell, code);
                    values.Add(cell);
                    counts.Add(0);
                }
                counts[code]++;
                codes[i] = code;
            }

            var top = TopCodes(counts, values, MaxTopValues)
                .Select(c => new ValueCount(values[c], counts[c], (double)counts[c] / present))
                .ToList();
            var missing = rowCount - present;
            ValueCountStatistics statistics = column.Type switch
            {
                ColumnTypes.Text => new TextStatistics
                {
                    Count = present, Missing = missing, Invalid = column.InvalidCount, UniqueCount = values.Count, TopValues = top,
                    MeanLength = present > 0 ? (double)totalLength / present : null, MaxLength = maxLength,
                },
                ColumnTypes.Id => new IdStatistics
                {
                    Count = present, Missing = missing, Invalid = column.InvalidCount, UniqueCount = values.Count, TopValues = top,
                    DuplicateCount = present - values.Count,
                },
                _ => new CategoricalStatistics
                {
                    Count = present, Missing = missing, Invalid = column.InvalidCount, UniqueCount = values.Count, TopValues = top,
                },
            };
            return new LabelProfile { Column = column, Name = name, Codes = codes, Values = values, Counts = counts, Statistics = statistics };
        }

        /// <summary>The k most frequent codes, ties by value, without sorting every label (id columns have one per row).</summary>
        public static List<int> TopCodes(List<int> counts, List<string> values, int k)
        {
            var heap = new PriorityQueue<int, (int Count, string Value)>(Comparer<(int Count, string Value)>.Create((a, b) =>
            {
                // The heap's root is the weakest of the kept labels: lowest count, then the later value.
                var byCount = a.Count.CompareTo(b.Count);
                return byCount != 0 ? byCount : string.CompareOrdinal(b.Value, a.Value);
            }));
            for (var c = 0; c < counts.Count; c++)
            {
                if (heap.Count < k) heap.Enqueue(c, (counts[c], values[c]));
                else
                {
                    heap.TryPeek(out var weakest, out _);
                    if (counts[c] > counts[weakest] || (counts[c] == counts[weakest] && string.CompareOrdinal(values[c], values[weakest]) < 0))
                        heap.EnqueueDequeue(c, (counts[c], values[c]));
                }
            }
            var top = new List<int>(heap.Count);
            while (heap.Count > 0) top.Add(heap.Dequeue());
            top.Reverse();
            return top;
        }
    }

    /// <summary>A boolean column: each row as 1 (true), 0 (false) or -1 (missing).</summary>
    internal sealed class BooleanProfile
    {
        public required DataColumn Column { get; init; }
        public required string Name { get; init; }
        public required int[] Codes { get; init; }
        public required BooleanStatistics Statistics { get; init; }

        public static BooleanProfile Build(DataColumn column, string name, int rowCount)
        {
            var booleans = column.Booleans!;
            var codes = new int[rowCount];
            int trues = 0, falses = 0;
            for (var i = 0; i < rowCount; i++)
            {
                codes[i] = i < booleans.Length && booleans[i] is { } b ? (b ? 1 : 0) : -1;
                if (codes[i] == 1) trues++;
                else if (codes[i] == 0) falses++;
            }
            var present = trues + falses;
            var statistics = new BooleanStatistics
            {
                Count = present,
                Missing = rowCount - present,
                Invalid = column.InvalidCount,
                UniqueCount = (trues > 0 ? 1 : 0) + (falses > 0 ? 1 : 0),
                TrueCount = trues,
                FalseCount = falses,
                TrueShare = present > 0 ? (double)trues / present : null,
            };
            return new BooleanProfile { Column = column, Name = name, Codes = codes, Statistics = statistics };
        }
    }
}
