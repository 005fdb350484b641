using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;
using static ChartCraft.Features.Analyze.ColumnProfiles;
using static ChartCraft.Features.Analyze.PatternParts;

namespace ChartCraft.Features.Analyze;

/// <summary>Outliers, skew and concentration: patterns of one column's distribution.</summary>
internal static class DistributionPatterns
{
    private const double MinSkew = 1;
    private const int MinValuesForShape = 8;

    public static void Find(ColumnProfiles profiles, Findings findings)
    {
        foreach (var numeric in profiles.Numeric)
        {
            if (OutlierPattern(numeric) is { } outlier) findings.Outliers.Add((numeric, outlier));
            if (SkewPattern(numeric) is { } skew) findings.Skews.Add((numeric, skew));
            if (ParetoPattern(numeric) is { } pareto) findings.Concentrations.Add(pareto);
        }
        foreach (var labels in profiles.Labels)
            if (CategoryConcentration(labels) is { } concentration) findings.Concentrations.Add(concentration);
        foreach (var boolean in profiles.Booleans)
            if (BooleanConcentration(boolean) is { } concentration) findings.Concentrations.Add(concentration);
    }

    private static Pattern? OutlierPattern(NumericProfile numeric)
    {
        var s = numeric.Statistics;
        // With IQR 0 (most values equal, e.g. costs that are mostly 0) every other value falls outside the fences:
        // that is a concentration, reported as such, not a set of outliers.
        if (s.Outliers is not { Count: > 0 } outliers || s.Count < MinValuesForShape || s.Iqr is not > 0) return null;
        var scale = s.Iqr.Value;
        var farthest = outliers.Examples.Count == 0 ? 0 : outliers.Examples.Max(e =>
            e.Value < outliers.LowerFence ? outliers.LowerFence - e.Value : e.Value - outliers.UpperFence);
        var distance = farthest / scale;
        var share = (double)outliers.Count / s.Count;
        var unit = numeric.Column.Unit;
        var examples = string.Join(", ", outliers.Examples.Select(e => $"{Readable.Number(e.Value, unit)} (row {e.Row})"));
        var lead = outliers.Count > outliers.Examples.Count ? "e.g. " : "";
        var tail = share > 0.05 ? $"; at {Readable.Share(share)} of values this is a long tail rather than a few errors" : "";
        var description =
            $"{numeric.Name} has {Readable.Plural(outliers.Count, "outlier")} beyond the 1.5×IQR fences " +
            $"(below {Readable.Number(outliers.LowerFence, unit)} or above {Readable.Number(outliers.UpperFence, unit)}): {lead}{examples}{tail}.";
        // How far the most extreme value lies beyond its fence, in IQRs: 1 IQR → 0.5, 3 IQR → 0.75.
        return new Pattern(PatternTypes.Outlier, [numeric.Name], description, Strength(distance / (distance + 1)),
            Metrics(("count", outliers.Count), ("share", share), ("lower_fence", outliers.LowerFence),
                ("upper_fence", outliers.UpperFence), ("max_distance_iqr", distance)));
    }

    private static Pattern? SkewPattern(NumericProfile numeric)
    {
        var s = numeric.Statistics;
        if (s.Skew is not { } skew || Math.Abs(skew) <= MinSkew || s.Count < MinValuesForShape) return null;
        var unit = numeric.Column.Unit;
        var description = skew > 0
            ? $"{numeric.Name} is right-skewed (skew {Readable.Coefficient(skew)}): the mean {Readable.Number(s.Mean!.Value, unit)} " +
              $"is above the median {Readable.Number(s.Median!.Value, unit)}, with a long tail up to {Readable.Number(s.Max!.Value, unit)}."
            : $"{numeric.Name} is left-skewed (skew {Readable.Coefficient(skew)}): the mean {Readable.Number(s.Mean!.Value, unit)} " +
              $"is below the median {Readable.Number(s.Median!.Value, unit)}, with a long tail down to {Readable.Number(s.Min!.Value, unit)}.";
        // |skew| 1 → 0.5, 3 → 0.75, 9 → 0.9.
        return new Pattern(PatternTypes.Skew, [numeric.Name], description, Strength(Math.Abs(skew) / (Math.Abs(skew) + 1)),
            Metrics(("skew", skew), ("mean", s.Mean!.Value), ("median", s.Median!.Value)));
    }

    /// <summary>A non-negative measure whose largest 10% of values make up at least half of its total.</summary>
    private static Pattern? ParetoPattern(NumericProfile numeric)
    {
        var sorted = numeric.Sorted;
        if (sorted.Length < 20 || sorted[0] < 0) return null;
        var total = numeric.Statistics.Sum ?? 0;
        if (total <= 0) return null;
        var topCount = (int)Math.Ceiling(sorted.Length * 0.1);
        var top = 0.0;
        for (var i = sorted.Length - topCount; i < sorted.Length; i++) top += sorted[i];
        var share = top / total;
        if (share < 0.5) return null;
        var description =
            $"The largest 10% of {numeric.Name} values ({Readable.Count(topCount)} of {Readable.Plural(sorted.Length, "row")}) make up " +
            $"{Readable.Share(share)} of its total {Readable.Number(total, numeric.Column.Unit)}.";
        return new Pattern(PatternTypes.Concentration, [numeric.Name], description, Strength(share),
            Metrics(("top_share", share), ("top_rows", topCount), ("total", total)));
    }

    // ---- categories -------------------------------------------------------------------------

    private static Pattern? CategoryConcentration(LabelProfile labels)
    {
        var s = labels.Statistics;
        if (labels.Column.Type != ColumnTypes.Categorical || s.UniqueCount < 2 || s.Count < 10) return null;
        var top = s.TopValues;
        var topShare = top[0].Share;
        var top3Share = top.Take(3).Sum(v => v.Share);
        // One value dominating, or a few values covering nearly everything among many.
        var dominant = (s.UniqueCount >= 3 && topShare >= 0.5) || (s.UniqueCount == 2 && topShare >= 0.8);
        var fewCover = s.UniqueCount >= 6 && top3Share >= 0.8;
        if (!dominant && !fewCover) return null;
        var description = dominant
            ? $"{labels.Name}: '{top[0].Value}' accounts for {Readable.Share(topShare)} of rows ({Readable.Count(top[0].Count)} of {Readable.Count(s.Count)}) among {Readable.Count(s.UniqueCount)} values."
            : $"{labels.Name}: the top 3 of {Readable.Count(s.UniqueCount)} values ({string.Join(", ", top.Take(3).Select(v => $"'{v.Value}'"))}) cover {Readable.Share(top3Share)} of rows.";
        return new Pattern(PatternTypes.Concentration, [labels.Name], description, Strength(dominant ? topShare : top3Share),
            Metrics(("top_share", topShare), ("top3_share", top3Share), ("unique_count", s.UniqueCount)));
    }

    private static Pattern? BooleanConcentration(BooleanProfile boolean)
    {
        var s = boolean.Statistics;
        if (s.TrueShare is not { } trueShare || s.Count < 10) return null;
        var share = Math.Max(trueShare, 1 - trueShare);
        if (share < 0.9) return null;
        var value = trueShare >= 0.5 ? "true" : "false";
        var count = trueShare >= 0.5 ? s.TrueCount : s.FalseCount;
        var description = $"{boolean.Name} is {value} in {Readable.Share(share)} of rows ({Readable.Count(count)} of {Readable.Count(s.Count)}).";
        return new Pattern(PatternTypes.Concentration, [boolean.Name], description, Strength(share), Metrics(("top_share", share)));
    }
}
