using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Charts.Insights.StatisticalInsights;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>The facts of each labelled series on its own: summary, movement, top category, concentration, extremes, outliers.</summary>
internal static class SeriesFacts
{
    public static void Find(AggregatedChart chart, List<InsightFact> facts)
    {
        var view = new ChartView(chart);
        var observed = chart.Series.Select(s => Observe(chart, s)).ToList();
        var magnitudes = observed.Select(o => o.Sum(p => Math.Abs(p.Value))).ToList();
        var whole = magnitudes.Sum();
        var all = new List<SeriesData>();
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var several = chart.Series.Count > 1;
            var impact = !several || whole <= 0 ? 1 : magnitudes[i] / whole;
            var data = new SeriesData(several ? chart.Series[i].Name : null, Subject(chart, chart.Series[i], several), observed[i], impact,
                Rest(chart, chart.Series[i]));
            all.Add(data);
            OneSeries(view, data, facts);
        }
        if (all.Count(s => s.Points.Count > 0) > 1) SeriesComparisons.Add(view, all, facts);
    }

    /// <summary>
    /// The points a fact may name. "Other" (the categories beyond the top N, folded) is not one category: it is
    /// never called the largest, an outlier or an extreme, and only counts towards totals (<see cref="Rest"/>).
    /// </summary>
    static List<SeriesPoint> Observe(AggregatedChart chart, ChartSeries series)
    {
        var points = new List<SeriesPoint>();
        var named = chart.LastIsOther ? chart.Labels.Count - 1 : chart.Labels.Count;
        for (var i = 0; i < named && i < series.Values.Count; i++)
            if (series.Values[i] is { } v && double.IsFinite(v))
                points.Add(new SeriesPoint(i, chart.Labels[i], v));
        return points;
    }

    /// <summary>The series' value in the folded "Other" position, 0 when the chart has none.</summary>
    static double Rest(AggregatedChart chart, ChartSeries series) =>
        chart.LastIsOther && series.Values.Count == chart.Labels.Count && series.Values[^1] is { } v && double.IsFinite(v) ? v : 0;

    static void OneSeries(ChartView view, SeriesData s, List<InsightFact> facts)
    {
        if (s.Points.Count == 0) return;
        facts.Add(Summary(view, s));
        if (s.Points.Count < 2) return;
        var values = s.Values;
        var spread = Descriptive.StandardDeviation(values);

        MovementFacts.Add(view, s, facts);

        InsightFact? top = null;
        if (view.IsCategorical)
        {
            top = TopCategory(view, s);
            AddIf(facts, top);
            if (!view.IsHistogram) AddIf(facts, Concentration(view, s));
        }
        if (spread > 0 && !view.IsHistogram)
        {
            if (top is null) facts.Add(Extreme(view, s, highest: true));
            facts.Add(Extreme(view, s, highest: false));
            var outlier = Outliers(view, s);
            // The top category standing out is already said by the top-category fact.
            if (outlier is not null && !(top is not null && outlier.Labels.Count == 1 && outlier.Labels[0] == top.Labels[0]))
                facts.Add(outlier);
        }
    }

    static InsightFact Summary(ChartView view, SeriesData s)
    {
        var values = s.Values;
        var n = values.Length;
        var mean = values.Average();
        var total = values.Sum();
        var figures = new Dictionary<string, double>
        {
            ["count"] = n, ["mean"] = mean, ["min"] = values.Min(), ["max"] = values.Max(),
        };
        if (view.Additive) figures["total"] = total;
        var subject = Readable.Lower(s.Subject);
        string text;
        if (n == 1)
            text = $"Only one value is shown: {s.Points[0].Label} at {view.Value(values[0])}.";
        else if (view.IsHistogram)
            text = $"The {Readable.Count(total)} values of {view.XName} fall into {Readable.Count(n)} ranges.";
        else if (view.IsTime)
            text = view.Additive
                ? $"Across {Readable.Count(n)} {view.Periods}, {subject} totals {view.Value(total)}, an average of {view.Value(mean)} per {view.Period}."
                : $"Across {Readable.Count(n)} {view.Periods}, {subject} averages {view.Value(mean)}.";
        else if (view.Additive && s.Rest != 0)
        {
            figures["total"] = s.Total;
            text = $"Across the top {Readable.Count(n)} categories and Other, {subject} totals {view.Value(s.Total)}; the top {Readable.Count(n)} average {view.Value(mean)} each.";
        }
        else
            text = view.Additive
                ? $"Across the {Readable.Count(n)} {(view.IsCategorical ? "categories" : $"{view.XName} values")} shown, {subject} totals {view.Value(total)}, an average of {view.Value(mean)} each."
                : $"Across the {Readable.Count(n)} {(view.IsCategorical ? "categories" : $"{view.XName} values")} shown, {subject} averages {view.Value(mean)}.";
        var labels = n == 1 ? new[] { s.Points[0].Label } : [];
        return Fact(InsightKinds.Summary, text, n == 1 ? values[0] : mean, figures, labels, s, 1);
    }

    static InsightFact? TopCategory(ChartView view, SeriesData s)
    {
        if (!view.Additive || s.Values.Any(v => v < 0) || s.Rest < 0) return null;
        var total = s.Total;
        if (total <= 0) return null;
        var ranked = s.Points.OrderByDescending(p => p.Value).ToList();
        var top = ranked[0];
        var share = top.Value / total * 100;
        var figures = new Dictionary<string, double> { ["value"] = top.Value, ["share_percent"] = share, ["total"] = total };
        var labels = new List<string> { top.Label };
        var others = ranked.Skip(1).Select(p => p.Value).ToArray();
        double significance;
        if (others.Length >= 2)
        {
            var spread = Descriptive.StandardDeviation(others);
            significance = spread <= 0 ? (top.Value > others[0] ? 1 : 0) : Correlation.SignificanceOf((top.Value - others.Average()) / spread);
        }
        else significance = Math.Clamp((share - 50) / 50, 0, 1);

        string headline, text;
        if (view.IsHistogram)
        {
            headline = $"The most common {view.XName} range is {top.Label}";
            text = $"{headline}, with {Readable.Count(top.Value)} values ({Readable.Percent(share)} of all).";
        }
        else
        {
            headline = $"{top.Label} is the largest {view.XName} with {Readable.Percent(share)} of total {Readable.Lower(s.Subject)}";
            text = $"{top.Label} is the largest {view.XName} with {view.Value(top.Value)} ({Readable.Percent(share)} of total {Readable.Lower(s.Subject)})";
            if (ranked.Count > 1 && ranked[1].Value > 0 && top.Value > ranked[1].Value)
            {
                var times = top.Value / ranked[1].Value;
                figures["times_next"] = times;
                labels.Add(ranked[1].Label);
                text += $", {Readable.Rounded(times, 1)} times {ranked[1].Label}";
            }
            text += ".";
        }
        return Fact(InsightKinds.TopCategory, text, share, figures, labels, s, significance, headline);
    }

    static InsightFact? Concentration(ChartView view, SeriesData s)
    {
        const int topN = 3;
        if (!view.Additive || s.Points.Count < 5 || s.Values.Any(v => v < 0) || s.Rest < 0) return null;
        var total = s.Total;
        if (total <= 0) return null;
        var top = s.Points.OrderByDescending(p => p.Value).Take(topN).ToList();
        var share = top.Sum(p => p.Value) / total * 100;
        var expected = 100.0 * topN / s.Points.Count;
        var significance = Math.Clamp((share - expected) / (100 - expected), 0, 1);
        var figures = new Dictionary<string, double>
        {
            ["top_n"] = topN, ["share_percent"] = share, ["categories"] = s.Points.Count,
        };
        var labels = top.Select(p => p.Label).ToList();
        // With "Other" the number of categories is more than those shown, so it is not given.
        var ofN = s.Rest > 0 ? "" : $" of {s.Points.Count}";
        var headline = $"The top {topN}{ofN} categories make up {Readable.Percent(share)} of total {Readable.Lower(s.Subject)}";
        var text = $"{Readable.List(labels)}, the top {topN}{ofN} categories, make up {Readable.Percent(share)} of total {Readable.Lower(s.Subject)}.";
        return Fact(InsightKinds.Concentration, text, share, figures, labels, s, significance, headline);
    }

    static InsightFact Extreme(ChartView view, SeriesData s, bool highest)
    {
        var point = highest ? s.Points.MaxBy(p => p.Value) : s.Points.MinBy(p => p.Value);
        var mean = s.Values.Average();
        var spread = Descriptive.StandardDeviation(s.Values);
        var z = spread > 0 ? (point.Value - mean) / spread : 0;
        var subject = Readable.Lower(s.Subject);
        var value = view.Value(point.Value);
        string text;
        if (view.IsTime)
            text = highest ? $"{s.Subject} peaked at {value} in {point.Label}." : $"{s.Subject} was lowest in {point.Label}, at {value}.";
        else if (view.IsCategorical)
            text = $"{point.Label} has the {(highest ? "highest" : "lowest")} {subject}, at {value}.";
        else
            text = $"{s.Subject} is {(highest ? "highest" : "lowest")} at {view.XName} {point.Label}, with {value}.";
        var figures = new Dictionary<string, double> { ["value"] = point.Value, ["mean"] = mean };
        return Fact(highest ? InsightKinds.Peak : InsightKinds.Trough, text, point.Value, figures, [point.Label], s,
            Correlation.SignificanceOf(z));
    }

    static InsightFact? Outliers(ChartView view, SeriesData s)
    {
        if (s.Points.Count < 6) return null;
        var values = s.Values;
        var sorted = values.Order().ToArray();
        var q1 = Descriptive.Quantile(sorted, 0.25);
        var q3 = Descriptive.Quantile(sorted, 0.75);
        var fence = 1.5 * (q3 - q1); // Tukey's fences
        var outside = s.Points.Where(p => p.Value < q1 - fence || p.Value > q3 + fence).ToList();
        if (outside.Count == 0) return null;
        var mean = values.Average();
        var spread = Descriptive.StandardDeviation(values);
        if (spread <= 0) return null;
        var worst = outside.MaxBy(p => Math.Abs(p.Value - mean));
        var z = (worst.Value - mean) / spread;
        var figures = new Dictionary<string, double>
        {
            ["value"] = worst.Value, ["z_score"] = z, ["mean"] = mean, ["outliers"] = outside.Count, ["q1"] = q1, ["q3"] = q3,
        };
        var where = $"{worst.Label} stands out at {view.Value(worst.Value)}, {Readable.Rounded(Math.Abs(z), 1)} standard deviations {(z > 0 ? "above" : "below")} the average of {view.Value(mean)}";
        var subject = s.Name is null ? "" : $" of {Readable.Lower(s.Subject)}";
        var text = outside.Count == 1
            ? $"{where}{(s.Name is null ? "" : $" ({s.Name})")}."
            : $"{Readable.Count(outside.Count)} values{subject} fall outside the usual range; the most extreme: {where}.";
        var headline = $"{worst.Label} is an outlier at {view.Value(worst.Value)}";
        return Fact(InsightKinds.Outlier, text, worst.Value, figures, outside.Select(p => p.Label).ToList(), s,
            Correlation.SignificanceOf(z), headline);
    }

    static string Subject(AggregatedChart chart, ChartSeries series, bool several)
    {
        var measure = chart.MeasureName();
        if (!several || string.Equals(series.Name, chart.Measure, StringComparison.OrdinalIgnoreCase)) return measure;
        // One series per y column ("temperature, wind"): each series is its own measure, "Average wind".
        if (chart.Measure.Split(", ").Contains(series.Name, StringComparer.OrdinalIgnoreCase))
            return (chart with { Measure = series.Name }).MeasureName();
        return $"{measure} ({series.Name})";
    }
}
