using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Analyze;

/// <summary>
/// The regular spacing a datetime column follows, if any, and the periods it skips. <see cref="Name"/> is
/// hourly, daily, weekly, monthly, quarterly, yearly or irregular (null with fewer than two distinct
/// timestamps); <see cref="Unit"/> is the period of a regular series (null when irregular).
/// </summary>
public sealed record DetectedFrequency(
    string? Name,
    PeriodUnit? Unit,
    double? MedianGapDays,
    bool BusinessDaysOnly,
    int MissingPeriods,
    IReadOnlyList<DateGap> Gaps)
{
    public const string Irregular = "irregular";
}

/// <summary>Detects a datetime column's frequency from the median gap between its distinct timestamps.</summary>
public static class FrequencyDetection
{
    // Median gaps (in days) that name a frequency; months and years vary in length, hence the ranges.
    private static readonly (PeriodUnit Unit, double Low, double High)[] Bands =
    [
        (PeriodUnit.Hour, 0.95 / 24, 1.05 / 24),
        (PeriodUnit.Day, 0.95, 1.05),
        (PeriodUnit.Week, 6.5, 7.5),
        (PeriodUnit.Month, 27.5, 31.5),
        (PeriodUnit.Quarter, 88, 93),
        (PeriodUnit.Year, 360, 367),
    ];

    /// <summary>
    /// A series is still regular when up to this share of consecutive timestamps fall in the same period
    /// (a stray duplicate time); beyond it the timestamps are events, not a series.
    /// </summary>
    private const double MaxSamePeriodShare = 0.2;

    private const int MaxGapsListed = 5;

    /// <param name="distinctTicks">Distinct UTC timestamps (ticks), ascending.</param>
    public static DetectedFrequency Detect(ReadOnlySpan<long> distinctTicks)
    {
        if (distinctTicks.Length < 2) return new DetectedFrequency(null, null, null, false, 0, []);

        var gaps = new long[distinctTicks.Length - 1];
        for (var i = 0; i < gaps.Length; i++) gaps[i] = distinctTicks[i + 1] - distinctTicks[i];
        var sortedGaps = (long[])gaps.Clone();
        Array.Sort(sortedGaps);
        var medianGapDays = MedianOfSorted(sortedGaps) / TimeSpan.TicksPerDay;

        PeriodUnit? unit = null;
        foreach (var band in Bands)
            if (medianGapDays >= band.Low && medianGapDays <= band.High) unit = band.Unit;
        if (unit is not { } u) return new DetectedFrequency(DetectedFrequency.Irregular, null, medianGapDays, false, 0, []);

        var samePeriod = 0;
        for (var i = 0; i < gaps.Length; i++)
            if (Periods.Index(At(distinctTicks[i]), u) == Periods.Index(At(distinctTicks[i + 1]), u)) samePeriod++;
        if (samePeriod > MaxSamePeriodShare * gaps.Length)
            return new DetectedFrequency(DetectedFrequency.Irregular, null, medianGapDays, false, 0, []);

        var businessDays = u == PeriodUnit.Day && distinctTicks.Length >= 10 && !HasWeekend(distinctTicks);
        var missing = new List<(int After, int Count)>();
        var missingTotal = 0;
        for (var i = 0; i < gaps.Length; i++)
        {
            var from = At(distinctTicks[i]);
            var to = At(distinctTicks[i + 1]);
            var count = businessDays
                ? WeekdaysBetween(from.Date.AddDays(1), to.Date)
                : (int)Math.Max(0, Periods.Index(to, u) - Periods.Index(from, u) - 1);
            if (count <= 0) continue;
            missing.Add((i, count));
            missingTotal += count;
        }
        var listed = new List<DateGap>();
        foreach (var g in missing.OrderByDescending(g => g.Count).ThenBy(g => g.After).Take(MaxGapsListed))
            listed.Add(new DateGap(
                DataColumn.FormatDate(At(distinctTicks[g.After])), DataColumn.FormatDate(At(distinctTicks[g.After + 1])), g.Count));
        return new DetectedFrequency(Periods.FrequencyName(u), u, medianGapDays, businessDays, missingTotal, listed);
    }

    private static DateTime At(long ticks) => new(ticks, DateTimeKind.Utc);

    private static double MedianOfSorted(long[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + (double)sorted[sorted.Length / 2]) / 2;

    private static bool HasWeekend(ReadOnlySpan<long> ticks)
    {
        foreach (var t in ticks)
            if (At(t).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return true;
        return false;
    }

    /// <summary>Monday–Friday days in [from, to).</summary>
    private static int WeekdaysBetween(DateTime from, DateTime to)
    {
        var days = (int)(to - from).TotalDays;
        if (days <= 0) return 0;
        var count = days / 7 * 5;
        for (var d = from.AddDays(days / 7 * 7); d < to; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) count++;
        return count;
    }
}
