using System.Globalization;

namespace ChartCraft.Features.Analyze;

/// <summary>Calendar periods, finest first, so they compare by coarseness.</summary>
public enum PeriodUnit { Hour, Day, Week, Month, Quarter, Year }

/// <summary>
/// Numbers every period of a unit (hour, day, ISO week, month, quarter, year) so that consecutive periods
/// have consecutive indexes: bucketing a timestamp and measuring a gap are then integer arithmetic.
/// </summary>
public static class Periods
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The absolute index of the period holding <paramref name="instant"/>.</summary>
    public static long Index(DateTime instant, PeriodUnit unit) => unit switch
    {
        PeriodUnit.Hour => instant.Ticks / TimeSpan.TicksPerHour,
        PeriodUnit.Day => instant.Ticks / TimeSpan.TicksPerDay,
        // Day 0 (0001-01-01) is a Monday, so weeks counted from it start on Mondays as ISO weeks do.
        PeriodUnit.Week => instant.Ticks / TimeSpan.TicksPerDay / 7,
        PeriodUnit.Month => instant.Year * 12L + instant.Month - 1,
        PeriodUnit.Quarter => instant.Year * 4L + (instant.Month - 1) / 3,
        _ => instant.Year,
    };

    /// <summary>The first instant of the period with this index.</summary>
    public static DateTime Start(long index, PeriodUnit unit) => unit switch
    {
        PeriodUnit.Hour => new DateTime(index * TimeSpan.TicksPerHour, DateTimeKind.Utc),
        PeriodUnit.Day => new DateTime(index * TimeSpan.TicksPerDay, DateTimeKind.Utc),
        PeriodUnit.Week => new DateTime(index * 7 * TimeSpan.TicksPerDay, DateTimeKind.Utc),
        PeriodUnit.Month => new DateTime((int)(index / 12), (int)(index % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc),
        PeriodUnit.Quarter => new DateTime((int)(index / 4), (int)(index % 4) * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => new DateTime((int)index, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>How a person names the period: "March 2024", "Q1 2024", "week of 2024-03-04".</summary>
    public static string Label(long index, PeriodUnit unit)
    {
        var start = Start(index, unit);
        return unit switch
        {
            PeriodUnit.Hour => start.ToString("yyyy-MM-dd HH:00", Invariant),
            PeriodUnit.Day => start.ToString("yyyy-MM-dd", Invariant),
            PeriodUnit.Week => "the week of " + start.ToString("yyyy-MM-dd", Invariant),
            PeriodUnit.Month => start.ToString("MMMM yyyy", Invariant),
            PeriodUnit.Quarter => $"Q{(start.Month - 1) / 3 + 1} {start.Year}",
            _ => start.Year.ToString(Invariant),
        };
    }

    /// <summary>"hour", "day", ... for sentences such as "per month".</summary>
    public static string Noun(PeriodUnit unit) => unit.ToString().ToLowerInvariant();

    /// <summary>The frequency name of a regular series in this unit: hourly, daily, ...</summary>
    public static string FrequencyName(PeriodUnit unit) => unit switch
    {
        PeriodUnit.Hour => "hourly",
        PeriodUnit.Day => "daily",
        PeriodUnit.Week => "weekly",
        PeriodUnit.Month => "monthly",
        PeriodUnit.Quarter => "quarterly",
        _ => "yearly",
    };

    /// <summary>The chart request's time_unit for this unit (charts have no hourly unit, so hours chart by day).</summary>
    public static string ChartTimeUnit(PeriodUnit unit) => unit == PeriodUnit.Hour ? "day" : Noun(unit);

    /// <summary>Average length in days.</summary>
    public static double Days(PeriodUnit unit) => unit switch
    {
        PeriodUnit.Hour => 1.0 / 24,
        PeriodUnit.Day => 1,
        PeriodUnit.Week => 7,
        PeriodUnit.Month => 365.2425 / 12,
        PeriodUnit.Quarter => 365.2425 / 4,
        _ => 365.2425,
    };

    /// <summary>
    /// A unit that splits a span into a readable number of periods (hours up to 3 days, days up to a
    /// quarter, weeks up to a year, months up to 30 years, then years): used for irregular series.
    /// </summary>
    public static PeriodUnit ForSpan(double spanDays) => spanDays switch
    {
        <= 3 => PeriodUnit.Hour,
        <= 92 => PeriodUnit.Day,
        <= 366 => PeriodUnit.Week,
        <= 366 * 30 => PeriodUnit.Month,
        _ => PeriodUnit.Year,
    };
}
