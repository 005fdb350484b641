using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Recommendation;

/// <summary>The time axis of suggestions: rows in time order, the default period, and whether a measure only grows.</summary>
public static partial class ChartRecommender
{
    static bool LooksCumulative(Profile m, int[] timeOrder)
    {
        var words = ColumnNameHints.Words(m.Column.Name);
        if (words.Any(w => w is "cumulative" or "cum" or "running" or "ytd")) return true;
        var values = m.Column.Numbers!;
        double? first = null, previous = null;
        var count = 0;
        foreach (var row in timeOrder)
        {
            if (values[row] is not { } v) continue;
            if (previous is { } p && v < p) return false;
            first ??= v;
            previous = v;
            count++;
        }
        return count >= 5 && previous > first;
    }

    /// <summary>Rows with a time value, in time order; sorted once per time column and reused for every measure.</summary>
    static int[] TimeOrder(DataColumn time)
    {
        var rows = new List<int>(time.Length);
        var keys = new List<double>(time.Length);
        var sorted = true;
        for (var row = 0; row < time.Length; row++)
        {
            if (TimeKey(time, row) is not { } key) continue;
            sorted &= keys.Count == 0 || key >= keys[^1];
            rows.Add(row);
            keys.Add(key);
        }
        var order = rows.ToArray();
        // Exports are usually in time order already: then there is nothing to sort.
        if (!sorted) Array.Sort(keys.ToArray(), order);
        return order;
    }

    static double? TimeKey(DataColumn time, int row) =>
        time.Type == ColumnTypes.Datetime ? time.Dates![row]?.Ticks : time.Numbers![row];

    /// <summary>
    /// "24 months", naming the time column when the period word does not already ("24 months of date"), so the
    /// reason says which column is the x axis.
    /// </summary>
    static string Span(Profile time, int periods, string periodWord) =>
        periodWord.Contains(time.Column.Name, StringComparison.OrdinalIgnoreCase)
            ? $"{periods} {periodWord}"
            : $"{periods} {periodWord} of {time.Column.Name}";

    /// <summary>The default time unit, how many periods have data, and their plural name ("24 months").</summary>
    static (string? Unit, int Count, string Word) Periods(Profile time)
    {
        if (time.Column.Type != ColumnTypes.Datetime) return (null, time.Distinct, "years");
        var dates = time.Column.Dates!.NonNull().ToList();
        var unit = TimeBuckets.DefaultUnit(dates, ChartAggregator.MaxDefaultBuckets(ChartTypes.Line));
        var count = dates.Select(d => TimeBuckets.Floor(d, unit)).Distinct().Count();
        return (unit, count, unit + "s");
    }
}
