namespace ChartCraft.Features.Analyze;

/// <summary>Finds trends, seasonality, correlations, outliers, skew, missing-data clusters and concentration.</summary>
internal static class PatternFinder
{
    public static Findings Find(ColumnProfiles profiles)
    {
        var findings = new Findings { Axis = TimeAxis.ForFirstDatetime(profiles, TimePatterns.MinPeriods) };
        if (findings.Axis is { } axis) TimePatterns.Find(profiles, axis, findings);
        CorrelationPatterns.Find(profiles, findings);
        DistributionPatterns.Find(profiles, findings);
        MissingPatterns.Find(profiles, findings);
        return findings;
    }
}
