using System.Globalization;

namespace ChartCraft.Features.Statistics;

/// <summary>A phase of a cycle: its name ("April", "Saturday", "Q2", "15:00") and where it is in a sentence ("in April", "on Saturdays").</summary>
public readonly record struct SeasonPhase(string Name, string Where);

/// <summary>Where in its cycle a seasonal series is highest and lowest on average, named on the calendar.</summary>
public static class SeasonPhases
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The phases of <paramref name="season"/> with the highest and the lowest mean residual, for periods of
    /// <paramref name="unit"/> that start at <paramref name="start"/>(position).
    /// </summary>
    public static (SeasonPhase Peak, SeasonPhase Trough) Of(Season season, string unit, Func<int, DateTime> start)
    {
        (Func<DateTime, int> Key, Func<int, SeasonPhase> Name) phases = (unit, season.Lag) switch
        {
            ("hour", _) => (d => d.Hour, h => new SeasonPhase($"{h:00}:00", $"around {h:00}:00")),
            ("day", 7) => (d => (int)d.DayOfWeek, d => new SeasonPhase($"{(DayOfWeek)d}", $"on {(DayOfWeek)d}s")),
            ("quarter", _) => (d => (d.Month - 1) / 3 + 1, q => new SeasonPhase($"Q{q}", $"in Q{q}")),
            _ => (d => d.Month, m => new SeasonPhase(Invariant.DateTimeFormat.GetMonthName(m), $"in {Invariant.DateTimeFormat.GetMonthName(m)}")),
        };
        var sums = new Dictionary<int, (double Sum, int Count)>();
        var residual = season.Residual;
        for (var i = 0; i < residual.Length; i++)
        {
            if (double.IsNaN(residual[i])) continue;
            var key = phases.Key(start(i));
            var (s, c) = sums.GetValueOrDefault(key);
            sums[key] = (s + residual[i], c + 1);
        }
        var means = sums.Select(kv => (kv.Key, Mean: kv.Value.Sum / kv.Value.Count)).ToList();
        return (phases.Name(means.MaxBy(m => m.Mean).Key), phases.Name(means.MinBy(m => m.Mean).Key));
    }
}
