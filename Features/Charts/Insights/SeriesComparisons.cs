using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Charts.Insights.StatisticalInsights;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>Facts that compare the series of a chart: which one leads, and which grew the most.</summary>
internal static class SeriesComparisons
{
    public static void Add(ChartView view, IReadOnlyList<SeriesData> series, List<InsightFact> facts)
    {
        var present = series.Where(s => s.Points.Count > 0).ToList();
        // One series per y column: ranking them means something only in a shared unit (three costs in $), not
        // temperature against wind.
        var perColumn = view.Chart.Measure.Split(", ").Length > 1;
        if (perColumn && view.Chart.Unit is null) return;
        var ranked = present.Select(s => (Series: s, Amount: view.Additive ? s.Values.Sum() : s.Values.Average()))
            .OrderByDescending(t => t.Amount).ToList();
        if (perColumn)
        {
            facts.Add(LargestMeasure(view, ranked));
            return;
        }
        facts.Add(Leader(view, ranked));
        if (view.IsTime && view.Unit != "%" && Growth(present) is { } growth) facts.Add(growth);
    }

    /// <summary>Of several measures in one unit, the largest, named as its own measure.</summary>
    static InsightFact LargestMeasure(ChartView view, List<(SeriesData Series, double Amount)> ranked)
    {
        var (leader, amount) = ranked[0];
        var (second, secondAmount) = ranked[1];
        var name = Readable.Upper(Readable.Lower(leader.Subject));
        var headline = $"{name} is the largest of the {ranked.Count} measures";
        var text = $"{headline} at {view.Value(amount)}" +
                   $"{(view.Additive ? " in total" : " on average")}, ahead of {Readable.Lower(second.Subject)} at {view.Value(secondAmount)}.";
        var significance = amount == 0 ? 0 : Math.Clamp((amount - secondAmount) / Math.Abs(amount), 0, 1);
        return new InsightFact(InsightKinds.SeriesLeader, text, amount,
            new Dictionary<string, double> { ["value"] = amount, ["next_value"] = secondAmount, ["series"] = ranked.Count },
            [leader.Name!, second.Name!], null, Score(InsightKinds.SeriesLeader, 1, significance, 1)) { Headline = headline };
    }

    /// <summary>The series with the largest total (and its share of all) or, for averages, the highest average.</summary>
    static InsightFact Leader(ChartView view, List<(SeriesData Series, double Amount)> ranked)
    {
        var (leader, amount) = ranked[0];
        var (second, secondAmount) = ranked[1];
        var measure = Readable.Lower(view.Chart.MeasureName());
        var figures = new Dictionary<string, double> { ["value"] = amount, ["next_value"] = secondAmount, ["series"] = ranked.Count };
        string headline, text;
        double significance, main;
        var whole = ranked.Sum(t => t.Amount);
        if (view.Additive && ranked.All(t => t.Amount >= 0) && whole > 0)
        {
            var share = amount / whole * 100;
            figures["share_percent"] = share;
            main = share;
            var expected = 100.0 / ranked.Count;
            significance = Math.Clamp((share - expected) / (100 - expected), 0, 1);
            headline = $"{leader.Name} leads with {Readable.Percent(share)} of total {measure}";
            text = $"{leader.Name} leads with {view.Value(amount)} ({Readable.Percent(share)} of total {measure} across {ranked.Count} series), ahead of {second.Name} at {view.Value(secondAmount)}.";
        }
        else
        {
            main = amount;
            significance = amount == 0 ? 0 : Math.Clamp((amount - secondAmount) / Math.Abs(amount), 0, 1);
            headline = $"{leader.Name} has the highest {measure} on average";
            text = $"{headline}, {view.Value(amount)}, ahead of {second.Name} at {view.Value(secondAmount)}.";
        }
        return new InsightFact(InsightKinds.SeriesLeader, text, main, figures, [leader.Name!, second.Name!], null,
            Score(InsightKinds.SeriesLeader, 1, significance, 1)) { Headline = headline };
    }

    /// <summary>The series that grew the most from first to last period, against the one that grew the least.</summary>
    static InsightFact? Growth(List<SeriesData> present)
    {
        var growth = present
            .Where(s => s.Points.Count >= 2 && s.Points[0].Value > 0)
            .Select(s => (Series: s, Percent: (s.Points[^1].Value - s.Points[0].Value) / s.Points[0].Value * 100))
            .OrderByDescending(g => g.Percent)
            .ToList();
        if (growth.Count < 2) return null;
        var best = growth[0];
        var worst = growth[^1];
        var first = best.Series.Points[0].Label;
        var last = best.Series.Points[^1].Label;
        var gap = best.Percent - worst.Percent;
        var figures = new Dictionary<string, double> { ["best_percent"] = best.Percent, ["worst_percent"] = worst.Percent, ["series"] = growth.Count };
        var headline = $"{best.Series.Name} {(best.Percent >= 0 ? "grew" : "fell")} the most, {Signed(best.Percent)} from {first} to {last}";
        var text = $"{headline}, against {Signed(worst.Percent)} for {worst.Series.Name}.";
        return new InsightFact(InsightKinds.SeriesGrowth, text, best.Percent, figures,
            [best.Series.Name!, worst.Series.Name!, first, last, worst.Series.Points[0].Label, worst.Series.Points[^1].Label], null,
            Score(InsightKinds.SeriesGrowth, 1, 1 - Math.Exp(-Math.Abs(gap) / 20), 1)) { Headline = headline };
    }

    static string Signed(double percent) => (percent >= 0 ? "up " : "down ") + Readable.Percent(Math.Abs(percent));
}
