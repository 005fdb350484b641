using System.Globalization;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>Calendar buckets (day, ISO week, month, quarter, year): their starts, labels and a default unit.</summary>
public static class TimeBuckets
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";
    public const string Quarter = "quarter";
    public const string Year = "year";

    /// <summary>Finest first.</summary>
    public static readonly IReadOnlyList<string> Units = [Day, Week, Month, Quarter, Year];

    /// <summary>Share of buckets that must hold data before a default unit is accepted.</summary>
    public const double MinFilled = 0.75;

    public static bool IsKnown(string? unit) => unit is not null && Units.Contains(unit);

    /// <summary>The start (UTC midnight) of the bucket holding <paramref name="t"/>; weeks start on Monday as in ISO 8601.</summary>
    public static DateTime Floor(DateTime t, string unit)
    {
        var day = new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc);
        return unit switch
        {
            Day => day,
            Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            Month => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            Quarter => new DateTime(t.Year, (t.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Year => new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown time unit"),
        };
    }

    /// <summary>The start of the bucket after the one starting at <paramref name="start"/>.</summary>
    public static DateTime Next(DateTime start, string unit) => unit switch
    {
        Day => start.AddDays(1),
        Week => start.AddDays(7),
        Month => start.AddMonths(1),
        Quarter => start.AddMonths(3),
        Year => start.AddYears(1),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown time unit"),
    };

    /// <summary>"2024-03-05", "2024-W10", "Mar 2024", "Q1 2024" or "2024".</summary>
    public static string Label(DateTime start, string unit) => unit switch
    {
        Day => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Week => $"{ISOWeek.GetYear(start)}-W{ISOWeek.GetWeekOfYear(start):00}",
        Month => start.ToString("MMM yyyy", CultureInfo.InvariantCulture),
        Quarter => $"Q{(start.Month - 1) / 3 + 1} {start.Year}",
        Year => start.Year.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown time unit"),
    };

    /// <summary>Number of buckets from the one holding <paramref name="min"/> to the one holding <paramref name="max"/>.</summary>
    public static long Count(DateTime min, DateTime max, string unit)
    {
        var a = Floor(min, unit);
        var b = Floor(max, unit);
        return unit switch
        {
            Day => (long)(b - a).TotalDays + 1,
            Week => (long)(b - a).TotalDays / 7 + 1,
            Month => (b.Year - a.Year) * 12L + b.Month - a.Month + 1,
            Quarter => ((b.Year - a.Year) * 12L + b.Month - a.Month) / 3 + 1,
            Year => b.Year - a.Year + 1L,
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown time unit"),
        };
    }

    /// <summary>
    /// Every bucket start from the one holding <paramref name="min"/> to the one holding <paramref name="max"/>;
    /// with <paramref name="weekdaysOnly"/>, days on Saturday and Sunday are left out.
    /// </summary>
    public static List<DateTime> Range(DateTime min, DateTime max, string unit, bool weekdaysOnly = false)
    {
        var starts = new List<DateTime>();
        var last = Floor(max, unit);
        // Stop at the last bucket before stepping past it: after a 9999-12-31 there is no next bucket to compute.
        for (var s = Floor(min, unit); s <= last; s = Next(s, unit))
        {
            if (!(weekdaysOnly && unit == Day && IsWeekend(s))) starts.Add(s);
            if (s == last) break;
        }
        return starts;
    }

    /// <summary>
    /// Daily data recorded on weekdays only (trading days, office days): its weekends are not missing data,
    /// so a daily axis leaves them out rather than showing a gap every week.
    /// </summary>
    public static bool IsWeekdayData(IEnumerable<DateTime> dates)
    {
        var days = dates.Select(d => d.Date).Distinct().ToList();
        return days.Count >= 10 && !days.Any(IsWeekend);
    }

    static bool IsWeekend(DateTime d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// The unit a chart uses when the request names none: no finer than the data's own spacing (monthly data
    /// in weekly buckets would be mostly gaps), then coarser until there are at most <paramref name="maxBuckets"/>
    /// and at least <see cref="MinFilled"/> of them hold data.
    /// </summary>
    public static string DefaultUnit(IEnumerable<DateTime> dates, int maxBuckets)
    {
        var distinct = dates.Select(d => d.Date).Distinct().Order().ToList();
        if (distinct.Count == 0) return Day;
        var start = UnitIndex(NaturalUnit(distinct));
        var weekdays = IsWeekdayData(distinct);
        for (var i = start; i < Units.Count; i++)
        {
            var unit = Units[i];
            var buckets = unit == Day && weekdays ? Range(distinct[0], distinct[^1], Day, weekdaysOnly: true).Count : Count(distinct[0], distinct[^1], unit);
            if (buckets > maxBuckets) continue;
            // Irregular data (events on some days only) would leave most buckets empty: a line of gaps.
            var filled = distinct.Select(d => Floor(d, unit)).Distinct().Count();
            if (filled >= MinFilled * buckets) return unit;
        }
        return Year;
    }

    /// <summary>The unit matching the median gap between distinct dates (daily, weekly, monthly... data).</summary>
    public static string NaturalUnit(IReadOnlyList<DateTime> sortedDistinctDays)
    {
        if (sortedDistinctDays.Count < 2) return Day;
        var gaps = new double[sortedDistinctDays.Count - 1];
        for (var i = 1; i < sortedDistinctDays.Count; i++) gaps[i - 1] = (sortedDistinctDays[i] - sortedDistinctDays[i - 1]).TotalDays;
        Array.Sort(gaps);
        var median = gaps[gaps.Length / 2];
        // Calendar months are 28–31 days and quarters 89–92, so the thresholds sit just below them.
        return median switch
        {
            >= 360 => Year,
            >= 85 => Quarter,
            >= 27 => Month,
            >= 6.5 => Week,
            _ => Day,
        };
    }

    static int UnitIndex(string unit) => Units.ToList().IndexOf(unit);
}
