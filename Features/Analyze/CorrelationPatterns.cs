using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;
using static ChartCraft.Features.Analyze.ColumnProfiles;
using static ChartCraft.Features.Analyze.PatternParts;

namespace ChartCraft.Features.Analyze;

/// <summary>Pairs of numeric columns that move together, by Pearson's r and Spearman's ρ.</summary>
internal static class CorrelationPatterns
{
    // Reported correlations: |r| ≥ 0.5 on at least five rows, and unlikely by chance (t ≥ 2, p ≈ 0.05).
    private const double MinCorrelation = 0.5;
    private const int MinCorrelationRows = 5;
    // Pairs grow with the square of the columns: wide tables correlate their 20 most complete numeric columns.
    private const int MaxCorrelatedColumns = 20;
    private const int MaxCorrelationPatterns = 10;

    public static void Find(ColumnProfiles profiles, Findings findings)
    {
        var columns = profiles.Numeric
            .Where(c => !c.IsConstant && c.Sorted.Length >= MinCorrelationRows)
            .OrderByDescending(c => c.Sorted.Length)
            .Take(MaxCorrelatedColumns)
            .OrderBy(c => profiles.Numeric.IndexOf(c))
            .ToList();
        var found = new List<CorrelationFinding>();
        for (var i = 0; i < columns.Count; i++)
            for (var j = i + 1; j < columns.Count; j++)
                if (Pair(columns[i], columns[j]) is { } finding) found.Add(finding);
        findings.Correlations.AddRange(found.OrderByDescending(f => f.Pattern.Strength).Take(MaxCorrelationPatterns));
    }

    private static CorrelationFinding? Pair(NumericProfile a, NumericProfile b)
    {
        var (pearson, n) = Correlation.Pearson(a.Values, b.Values);
        if (n < MinCorrelationRows || !double.IsFinite(pearson)) return null;
        // Spearman is Pearson on ranks; with missing cells the ranks are taken over the rows both columns share.
        var (spearman, _) = a.HasMissing || b.HasMissing
            ? Correlation.Pearson(Descriptive.Ranks(a.Values.Length, a.Sorted, a.SortedRows, b.Values),
                Descriptive.Ranks(b.Values.Length, b.Sorted, b.SortedRows, a.Values))
            : Correlation.Pearson(a.Ranks, b.Ranks);
        if (!double.IsFinite(spearman)) spearman = 0;
        var strength = Math.Max(Math.Abs(pearson), Math.Abs(spearman));
        if (strength < MinCorrelation || Correlation.TStatistic(strength, n) < 2) return null;

        var sign = Math.Abs(pearson) >= Math.Abs(spearman) ? Math.Sign(pearson) : Math.Sign(spearman);
        var degree = strength >= 0.9 ? "very strong" : strength >= 0.7 ? "strong" : "moderate";
        var relation = sign > 0 ? $"{a.Name} and {b.Name} rise together" : $"{b.Name} falls as {a.Name} rises";
        var shape = Math.Abs(spearman) - Math.Abs(pearson) >= 0.15
            ? "; the relation is monotonic but not linear"
            : Math.Abs(pearson) - Math.Abs(spearman) >= 0.15 ? "; the linear correlation leans on a few extreme values" : "";
        var description =
            $"{relation}: {degree} {(sign > 0 ? "positive" : "negative")} correlation " +
            $"(Pearson r = {Readable.Coefficient(pearson)}, Spearman ρ = {Readable.Coefficient(spearman)}, {Readable.Plural(n, "row")}){shape}.";
        var pattern = new Pattern(PatternTypes.Correlation, [a.Name, b.Name], description, Strength(strength),
            Metrics(("pearson", pearson), ("spearman", spearman), ("rows", n)));
        return new CorrelationFinding(a, b, pattern, pearson, spearman);
    }
}
