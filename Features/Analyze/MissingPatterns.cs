using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;
using static ChartCraft.Features.Analyze.ColumnProfiles;
using static ChartCraft.Features.Analyze.PatternParts;

namespace ChartCraft.Features.Analyze;

/// <summary>Missing cells per column, and the period, category or row range where most of them cluster.</summary>
internal static class MissingPatterns
{
    // Missing cells "cluster" when 80% of them fall in a place holding at most 30% of the rows.
    private const double ClusterShare = 0.8;
    private const double MaxClusterRowShare = 0.3;
    private const double ReportMissingShare = 0.05;
    private const int MaxGroupingCategories = 50;
    // Each grouping column costs a pass over the rows per column with missing cells.
    private const int MaxGroupingColumns = 10;

    public static void Find(ColumnProfiles profiles, Findings findings)
    {
        var rows = profiles.RowCount;
        foreach (var (column, name, missing) in profiles.MissingByColumn)
        {
            if (missing == 0) continue;
            var isMissing = MissingMask(profiles, name, rows);
            MissingCluster? cluster = missing >= 3 && missing < rows ? FindCluster(profiles, name, isMissing, missing) : null;
            var share = (double)missing / rows;
            Pattern? pattern = null;
            if (missing == rows)
                pattern = new Pattern(PatternTypes.MissingData, [name], $"{name} has no values in any of the {Readable.Plural(rows, "row")}.", 1,
                    Metrics(("missing", missing), ("share", 1)));
            else if (cluster is not null)
                pattern = new Pattern(PatternTypes.MissingData, [name],
                    $"{name} is missing in {Readable.Plural(missing, "row")} ({Readable.Share(share)}); {Readable.Count(cluster.MissingThere)} of them " +
                    $"({Readable.Share((double)cluster.MissingThere / missing)}) are {cluster.Place}, which holds {Readable.Share((double)cluster.RowsThere / rows)} of rows.",
                    Strength(cluster.Strength),
                    Metrics(("missing", missing), ("share", share), ("missing_in_cluster", cluster.MissingThere), ("rows_in_cluster", cluster.RowsThere)));
            else if (share >= ReportMissingShare)
                pattern = new Pattern(PatternTypes.MissingData, [name],
                    $"{name} is missing in {Readable.Plural(missing, "row")} ({Readable.Share(share)}), spread across the data.",
                    Strength(share), Metrics(("missing", missing), ("share", share)));
            findings.Missing.Add(new MissingFinding(name, missing, rows, pattern, cluster));
        }
    }

    private static bool[] MissingMask(ColumnProfiles profiles, string name, int rows)
    {
        var mask = new bool[rows];
        if (profiles.Numeric.Find(c => c.Name == name) is { } numeric)
            for (var i = 0; i < rows; i++) mask[i] = double.IsNaN(numeric.Values[i]);
        else if (profiles.Datetimes.Find(c => c.Name == name) is { } datetime)
            for (var i = 0; i < rows; i++) mask[i] = datetime.Ticks[i] == DatetimeProfile.Missing;
        else if (profiles.Booleans.Find(c => c.Name == name) is { } boolean)
            for (var i = 0; i < rows; i++) mask[i] = boolean.Codes[i] < 0;
        else if (profiles.Labels.Find(c => c.Name == name) is { } labels)
            for (var i = 0; i < rows; i++) mask[i] = labels.Codes[i] < 0;
        return mask;
    }

    /// <summary>The most specific place (period range, category, row range) holding most of a column's missing cells.</summary>
    private static MissingCluster? FindCluster(ColumnProfiles profiles, string name, bool[] isMissing, int missing)
    {
        var candidates = new List<MissingCluster?>();
        if (profiles.Datetimes.Find(d => d.Name != name && d.Distinct.Length >= 2) is { } time)
            candidates.Add(PeriodCluster(time, isMissing));
        foreach (var labels in profiles.Labels
                     .Where(l => l.Name != name && l.Column.Type == ColumnTypes.Categorical && l.Values.Count is >= 2 and <= MaxGroupingCategories)
                     .Take(MaxGroupingColumns))
            candidates.Add(CategoryCluster(labels.Codes, labels.Values.Count, c => $"where {labels.Name} is '{labels.Values[c]}'", isMissing, missing));
        foreach (var boolean in profiles.Booleans.Where(b => b.Name != name).Take(MaxGroupingColumns))
            candidates.Add(CategoryCluster(boolean.Codes, 2, c => $"where {boolean.Name} is {(c == 1 ? "true" : "false")}", isMissing, missing));
        candidates.Add(RowCluster(isMissing, missing));
        return candidates.Where(c => c is not null).MaxBy(c => c!.Strength);
    }

    /// <summary>Missing cells by period of the datetime column: the fewest-rows run of periods holding 80% of them.</summary>
    private static MissingCluster? PeriodCluster(DatetimeProfile time, bool[] isMissing)
    {
        // Months read best; days for short spans, years for long ones, never finer than the data itself.
        var spanUnit = time.SpanDays <= 62 ? PeriodUnit.Day : time.SpanDays <= 6 * 366 ? PeriodUnit.Month : PeriodUnit.Year;
        var unit = (PeriodUnit)Math.Max((int)spanUnit, (int)(time.Frequency.Unit ?? PeriodUnit.Day));
        var groups = new Dictionary<long, (int Rows, int Missing)>();
        for (var i = 0; i < isMissing.Length; i++)
        {
            if (time.Ticks[i] == DatetimeProfile.Missing) continue;
            var period = Periods.Index(new DateTime(time.Ticks[i], DateTimeKind.Utc), unit);
            var (r, m) = groups.GetValueOrDefault(period);
            groups[period] = (r + 1, m + (isMissing[i] ? 1 : 0));
        }
        if (groups.Count < 2) return null;
        var keys = groups.Keys.ToArray();
        var values = groups.Values.ToArray();
        Array.Sort(keys, values);
        var totalMissing = values.Sum(v => v.Missing);
        var totalRows = values.Sum(v => v.Rows);
        if (totalMissing < 3) return null;
        var target = (int)Math.Ceiling(ClusterShare * totalMissing);

        // Two pointers: for each right end, the shortest run to its left holding the target.
        int bestLeft = -1, bestRight = -1, bestRows = int.MaxValue, bestMissing = 0;
        int left = 0, windowRows = 0, windowMissing = 0;
        for (var right = 0; right < values.Length; right++)
        {
            windowRows += values[right].Rows;
            windowMissing += values[right].Missing;
            while (left < right && windowMissing - values[left].Missing >= target)
            {
                windowRows -= values[left].Rows;
                windowMissing -= values[left].Missing;
                left++;
            }
            if (windowMissing >= target && (windowRows < bestRows || (windowRows == bestRows && windowMissing > bestMissing)))
                (bestLeft, bestRight, bestRows, bestMissing) = (left, right, windowRows, windowMissing);
        }
        if (bestLeft < 0) return null;
        var rowShare = (double)bestRows / totalRows;
        if (rowShare > MaxClusterRowShare) return null;
        var place = bestLeft == bestRight
            ? $"in {Periods.Label(keys[bestLeft], unit)}"
            : $"between {Periods.Label(keys[bestLeft], unit)} and {Periods.Label(keys[bestRight], unit)}";
        return new MissingCluster(place, bestMissing, bestRows, (double)bestMissing / totalMissing * (1 - rowShare));
    }

    /// <summary>The category holding the most missing cells, when it holds most of them and far more than its share of rows.</summary>
    private static MissingCluster? CategoryCluster(int[] codes, int categories, Func<int, string> place, bool[] isMissing, int missing)
    {
        var rows = new int[categories];
        var missingIn = new int[categories];
        var grouped = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] < 0) continue;
            grouped++;
            rows[codes[i]]++;
            if (isMissing[i]) missingIn[codes[i]]++;
        }
        var best = Array.IndexOf(missingIn, missingIn.Max());
        if (best < 0 || missingIn[best] < 0.5 * missing) return null;
        var rowShare = (double)rows[best] / grouped;
        var lift = ((double)missingIn[best] / rows[best]) / ((double)missing / isMissing.Length);
        if (rowShare > MaxClusterRowShare || lift < 2) return null;
        return new MissingCluster(place(best), missingIn[best], rows[best], (double)missingIn[best] / missing * (1 - rowShare));
    }

    /// <summary>The narrowest range of consecutive rows holding 80% of the missing cells.</summary>
    private static MissingCluster? RowCluster(bool[] isMissing, int missing)
    {
        var positions = new int[missing];
        for (int i = 0, j = 0; i < isMissing.Length; i++)
            if (isMissing[i]) positions[j++] = i;
        var k = (int)Math.Ceiling(ClusterShare * missing);
        int bestStart = 0, bestSpan = int.MaxValue;
        for (var i = 0; i + k - 1 < missing; i++)
        {
            var span = positions[i + k - 1] - positions[i] + 1;
            if (span < bestSpan) (bestStart, bestSpan) = (i, span);
        }
        var rowShare = (double)bestSpan / isMissing.Length;
        if (rowShare > MaxClusterRowShare) return null;
        var first = positions[bestStart];
        var last = positions[bestStart + k - 1];
        return new MissingCluster($"in rows {first}–{last}", k, bestSpan, (double)k / missing * (1 - rowShare));
    }
}
