using System.Globalization;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Finds the facts a chart shows — change, growth rate, extremes, shares, trend, outliers, correlation,
/// seasonality, series comparisons — on the aggregated numbers, and ranks them by
/// impact × significance in the spirit of "Extracting Top-K Insights from Multi-dimensional Data"
/// (Tang et al., SIGMOD 2017): impact is the share of the chart a fact covers (1 for a single series,
/// the series' share of the whole otherwise), significance is 1 − p of the fact's test statistic, and a
/// per-kind weight says how headline-worthy a kind is when it holds.
/// </summary>
public static class StatisticalInsights
{
    // How much a fully significant fact of each kind is worth as a headline. Overall change and
    // correlation answer the question a reader of a line or scatter chart asks first; a summary
    // only fills the list when nothing else holds.
    static readonly Dictionary<string, double> Weights = new()
    {
        [InsightKinds.Change] = 1.0,
        [InsightKinds.Correlation] = 1.0,
        [InsightKinds.TopCategory] = 0.95,
        [InsightKinds.Trend] = 0.9,
        [InsightKinds.Seasonality] = 0.85,
        [InsightKinds.SeriesLeader] = 0.85,
        [InsightKinds.SeriesGrowth] = 0.8,
        [InsightKinds.Cagr] = 0.75,
        [InsightKinds.Concentration] = 0.7,
        [InsightKinds.BiggestMove] = 0.7,
        [InsightKinds.Outlier] = 0.65,
        [InsightKinds.Peak] = 0.6,
        [InsightKinds.Trough] = 0.5,
        [InsightKinds.Summary] = 0.2,
    };

    /// <summary>Tie-break order for equal scores, so the ranking is deterministic.</summary>
    static readonly string[] KindOrder = Weights.Keys.ToArray();

    // Seasonal lags by time unit: a year of months or quarters, a week of days, a year of weeks.
    static readonly Dictionary<string, (int Lag, string Cycle)> SeasonalLags = new()
    {
        ["month"] = (12, "yearly"),
        ["quarter"] = (4, "yearly"),
        ["day"] = (7, "weekly"),
        ["week"] = (52, "yearly"),
    };

    /// <summary>All facts the chart supports, best first.</summary>
    public static IReadOnlyList<InsightFact> FindFacts(AggregatedChart chart)
    {
        var facts = new List<InsightFact>();
        if (chart.Points is { Count: > 0 } points) ScatterFacts(chart, points, facts);
        else SeriesFacts(chart, facts);
        return facts
            .Where(f => double.IsFinite(f.Value) && double.IsFinite(f.Score) && f.Figures.Values.All(double.IsFinite))
            .OrderByDescending(f => f.Score)
            .ThenBy(f => Array.IndexOf(KindOrder, f.Kind))
            .ToList();
    }

    // ---------------------------------------------------------------- labelled series

    static void SeriesFacts(AggregatedChart chart, List<InsightFact> facts)
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
        if (all.Count(s => s.Points.Count > 0) > 1) Comparisons(view, all, facts);
    }

    /// <summary>
    /// The points a fact may name. "Other" (the categories beyond the top N, folded) is not one category: it is
    /// never called the largest, an outlier or an extreme, and only counts towards totals (<see cref="Rest"/>).
    /// </summary>
    static List<Obs> Observe(AggregatedChart chart, ChartSeries series)
    {
        var points = new List<Obs>();
        var named = chart.LastIsOther ? chart.Labels.Count - 1 : chart.Labels.Count;
        for (var i = 0; i < named && i < series.Values.Count; i++)
            if (series.Values[i] is { } v && double.IsFinite(v))
                points.Add(new Obs(i, chart.Labels[i], v));
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
        var spread = Statistics.StandardDeviation(values);

        if (view.IsTime)
        {
            AddIf(facts, Change(view, s));
            AddIf(facts, Cagr(view, s));
            AddIf(facts, BiggestMove(view, s));
            AddIf(facts, Seasonality(view, s));
        }
        if ((view.IsTime || view.IsNumeric) && !view.IsHistogram) AddIf(facts, Trend(view, s));

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
        var n = values.Count;
        var mean = values.Average();
        var total = values.Sum();
        var figures = new Dictionary<string, double>
        {
            ["count"] = n, ["mean"] = mean, ["min"] = values.Min(), ["max"] = values.Max(),
        };
        if (view.Additive) figures["total"] = total;
        var subject = InsightFormat.Lower(s.Subject);
        string text;
        if (n == 1)
            text = $"Only one value is shown: {s.Points[0].Label} at {view.Value(values[0])}.";
        else if (view.IsHistogram)
            text = $"The {InsightFormat.Count(total)} values of {view.XName} fall into {InsightFormat.Count(n)} ranges.";
        else if (view.IsTime)
            text = view.Additive
                ? $"Across {InsightFormat.Count(n)} {view.Periods}, {subject} totals {view.Value(total)}, an average of {view.Value(mean)} per {view.Period}."
                : $"Across {InsightFormat.Count(n)} {view.Periods}, {subject} averages {view.Value(mean)}.";
        else if (view.Additive && s.Rest != 0)
        {
            figures["total"] = s.Total;
            text = $"Across the top {InsightFormat.Count(n)} categories and Other, {subject} totals {view.Value(s.Total)}; the top {InsightFormat.Count(n)} average {view.Value(mean)} each.";
        }
        else
            text = view.Additive
                ? $"Across the {InsightFormat.Count(n)} {(view.IsCategorical ? "categories" : $"{view.XName} values")} shown, {subject} totals {view.Value(total)}, an average of {view.Value(mean)} each."
                : $"Across the {InsightFormat.Count(n)} {(view.IsCategorical ? "categories" : $"{view.XName} values")} shown, {subject} averages {view.Value(mean)}.";
        var labels = n == 1 ? new[] { s.Points[0].Label } : [];
        return Fact(InsightKinds.Summary, text, n == 1 ? values[0] : mean, figures, labels, s, 1);
    }

    static InsightFact? Change(ChartView view, SeriesData s)
    {
        var first = s.Points[0];
        var last = s.Points[^1];
        var difference = last.Value - first.Value;
        var subject = s.Subject;
        var figures = new Dictionary<string, double>
        {
            ["first"] = first.Value, ["last"] = last.Value, ["change"] = difference, ["periods"] = s.Points.Count,
        };
        var span = $"from {first.Label} to {last.Label}";
        var values = $"{view.Value(first.Value)} to {view.Value(last.Value)}";
        string headline;
        double main;
        if (view.Unit != "%" && first.Value > 0 && last.Value >= 0)
        {
            var percent = difference / first.Value * 100;
            figures["change_percent"] = percent;
            main = percent;
            headline = InsightFormat.Percent(Math.Abs(percent)) == "0%"
                ? $"{subject} was flat {span}"
                : $"{subject} {(percent > 0 ? "grew" : "fell")} {InsightFormat.Percent(Math.Abs(percent))} {span}";
        }
        else
        {
            main = difference;
            headline = difference == 0
                ? $"{subject} was unchanged {span}"
                : $"{subject} {(difference > 0 ? "rose" : "fell")} by {view.Delta(difference)} {span}";
        }
        // Significance against a random walk: the net change compared with the spread of the steps.
        var steps = Steps(s.Points).Select(d => d.Difference).ToList();
        var stepSpread = Statistics.StandardDeviation(steps);
        var significance = difference == 0 ? 0
            : stepSpread <= 0 ? 1
            : Statistics.Significance(Math.Abs(difference) / (stepSpread * Math.Sqrt(steps.Count)));
        return Fact(InsightKinds.Change, $"{headline} ({values}).", main, figures, [first.Label, last.Label], s, significance, headline);
    }

    static InsightFact? Cagr(ChartView view, SeriesData s)
    {
        var first = s.Points[0];
        var last = s.Points[^1];
        if (view.Unit == "%" || first.Value <= 0 || last.Value <= 0) return null;
        var years = view.YearsBetween(first.Index, last.Index);
        // A compound annual rate over less than a year would extrapolate a few months into a year.
        if (years is not { } y || y < 1) return null;
        var rate = (Math.Pow(last.Value / first.Value, 1 / y) - 1) * 100;
        // "grew at a compound annual rate of 0%" says nothing; the overall change fact covers a flat series.
        if (InsightFormat.Percent(Math.Abs(rate)) == InsightFormat.Percent(0)) return null;
        var figures = new Dictionary<string, double>
        {
            ["cagr_percent"] = rate, ["years"] = y, ["first"] = first.Value, ["last"] = last.Value,
        };
        var verb = rate >= 0 ? "grew" : "shrank";
        var headline = $"{s.Subject} {verb} at a compound annual rate of {InsightFormat.Percent(Math.Abs(rate))} from {first.Label} to {last.Label}";
        var text = $"{headline} ({InsightFormat.Number(y, 1)} years).";
        var steps = Steps(s.Points).Select(d => d.Difference).ToList();
        var spread = Statistics.StandardDeviation(steps);
        var significance = spread <= 0 ? 1 : Statistics.Significance(Math.Abs(last.Value - first.Value) / (spread * Math.Sqrt(steps.Count)));
        return Fact(InsightKinds.Cagr, text, rate, figures, [first.Label, last.Label], s, significance, headline);
    }

    static InsightFact? BiggestMove(ChartView view, SeriesData s)
    {
        // Period over period: only neighbouring periods, not a jump across missing ones.
        var steps = Steps(s.Points).Where(d => view.Adjacent(d.From.Index, d.To.Index)).ToList();
        if (steps.Count < 2) return null;
        var biggest = steps.MaxBy(d => Math.Abs(d.Difference));
        if (biggest.Difference == 0) return null;
        var sizes = steps.Select(d => Math.Abs(d.Difference)).ToList();
        double significance;
        if (sizes.Count >= 3)
        {
            var spread = Statistics.StandardDeviation(sizes);
            significance = spread <= 0 ? 0 : Statistics.Significance((Math.Abs(biggest.Difference) - sizes.Average()) / spread);
        }
        else significance = 1 - sizes.Min() / sizes.Max();

        var figures = new Dictionary<string, double>
        {
            ["change"] = biggest.Difference, ["from_value"] = biggest.From.Value, ["to_value"] = biggest.To.Value,
        };
        var direction = biggest.Difference > 0 ? "up" : "down";
        var move = $"{direction} {view.Delta(biggest.Difference)}";
        // A percentage across zero (from 5 to -16 is "-420%") says nothing a reader can use.
        if (view.Unit != "%" && biggest.From.Value > 0 && biggest.To.Value >= 0)
        {
            var percent = biggest.Difference / biggest.From.Value * 100;
            figures["change_percent"] = percent;
            move += $" ({(percent > 0 ? "+" : "-")}{InsightFormat.Percent(Math.Abs(percent))})";
        }
        var headline = $"The biggest {view.Period}-on-{view.Period} move for {InsightFormat.Lower(s.Subject)} was from {biggest.From.Label} to {biggest.To.Label}";
        var text = $"{headline}: {move}, from {view.Value(biggest.From.Value)} to {view.Value(biggest.To.Value)}.";
        return Fact(InsightKinds.BiggestMove, text, biggest.Difference, figures, [biggest.From.Label, biggest.To.Label], s, significance, headline);
    }

    static InsightFact? Trend(ChartView view, SeriesData s)
    {
        if (s.Points.Count < 4) return null;
        var xs = view.Positions(s.Points, out var numericX);
        var fit = Statistics.Fit(xs, s.Values);
        if (fit.Slope == 0) return null;
        var strength = fit.RSquared >= 0.7 ? "strong" : fit.RSquared >= 0.4 ? "moderate" : "weak";
        var direction = fit.Slope > 0 ? "upward" : "downward";
        var r2 = $"R² = {InsightFormat.Coefficient(fit.RSquared)}";
        var figures = new Dictionary<string, double>
        {
            ["slope"] = fit.Slope, ["r_squared"] = fit.RSquared, ["r"] = fit.R, ["points"] = s.Points.Count,
        };
        string headline, text;
        if (fit.RSquared < 0.1)
        {
            headline = $"{s.Subject} shows no clear trend";
            text = $"{headline} ({r2}).";
        }
        else if (view.IsTime)
        {
            headline = $"{s.Subject} shows a {strength} {direction} trend";
            text = $"{headline}, {(fit.Slope > 0 ? "rising" : "falling")} about {view.Delta(fit.Slope)} per {view.Period} on average ({r2}).";
        }
        else
        {
            headline = $"{s.Subject} tends to {(fit.Slope > 0 ? "rise" : "fall")} as {view.XName} increases";
            text = numericX
                ? $"{headline}, by about {view.Delta(fit.Slope)} per unit of {view.XName} ({strength}, {r2})."
                : $"{headline} ({strength}, {r2}).";
        }
        var significance = Statistics.CorrelationSignificance(fit.R, s.Points.Count);
        return Fact(InsightKinds.Trend, text, fit.Slope, figures, [], s, significance, headline, effect: fit.RSquared);
    }

    static InsightFact? Seasonality(ChartView view, SeriesData s)
    {
        // Lags count positions: only meaningful when every period is on the axis.
        if (view.TimeUnit is null || !view.EveryPeriodShown || !SeasonalLags.TryGetValue(view.TimeUnit, out var season)) return null;
        var lag = season.Lag;
        if (s.Points.Count < 2 * lag) return null;

        // Remove the linear trend first: a rising series is "autocorrelated" at every lag.
        var fit = Statistics.Fit(s.Points.Select(p => (double)p.Index).ToList(), s.Values);
        var residual = s.Points.ToDictionary(p => p.Index, p => p.Value - (fit.Intercept + fit.Slope * p.Index));
        (double R, int N) Autocorrelation(int k)
        {
            var now = new List<double>();
            var later = new List<double>();
            foreach (var (index, value) in residual)
                if (residual.TryGetValue(index + k, out var next)) { now.Add(value); later.Add(next); }
            return now.Count < 3 ? (0, now.Count) : (Statistics.Pearson(now, later), now.Count);
        }
        var (r, pairs) = Autocorrelation(lag);
        if (pairs < lag) return null;
        var significance = Statistics.CorrelationSignificance(r, pairs);
        if (r < 0.5 || significance < 0.95) return null;
        // A cycle peaks at its own lag. A slow curve (a year of daily temperatures) is as correlated at 6 or 8 days
        // as at 7: that is smoothness, not a weekly pattern.
        if (r - Math.Max(Autocorrelation(lag - 1).R, Autocorrelation(lag + 1).R) < 0.05) return null;

        var figures = new Dictionary<string, double>
        {
            ["lag"] = lag, ["autocorrelation"] = r, ["cycles"] = Math.Floor((double)(s.Points[^1].Index - s.Points[0].Index + 1) / lag),
        };
        var high = view.SeasonName(residual.GroupBy(kv => kv.Key % lag).MaxBy(g => g.Average(kv => kv.Value))!.First().Key);
        var headline = $"{s.Subject} follows a {season.Cycle} seasonal pattern";
        var text = $"{headline}: values {lag} {view.Periods} apart move together (autocorrelation {InsightFormat.Coefficient(r)})"
                   + (high is null ? "." : $", with highs in {high}.");
        return Fact(InsightKinds.Seasonality, text, r, figures, high is null ? [] : [high], s, significance, headline);
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
        var others = ranked.Skip(1).Select(p => p.Value).ToList();
        double significance;
        if (others.Count >= 2)
        {
            var spread = Statistics.StandardDeviation(others);
            significance = spread <= 0 ? (top.Value > others[0] ? 1 : 0) : Statistics.Significance((top.Value - others.Average()) / spread);
        }
        else significance = Math.Clamp((share - 50) / 50, 0, 1);

        string headline, text;
        if (view.IsHistogram)
        {
            headline = $"The most common {view.XName} range is {top.Label}";
            text = $"{headline}, with {InsightFormat.Count(top.Value)} values ({InsightFormat.Percent(share)} of all).";
        }
        else
        {
            headline = $"{top.Label} is the largest {view.XName} with {InsightFormat.Percent(share)} of total {InsightFormat.Lower(s.Subject)}";
            text = $"{top.Label} is the largest {view.XName} with {view.Value(top.Value)} ({InsightFormat.Percent(share)} of total {InsightFormat.Lower(s.Subject)})";
            if (ranked.Count > 1 && ranked[1].Value > 0 && top.Value > ranked[1].Value)
            {
                var times = top.Value / ranked[1].Value;
                figures["times_next"] = times;
                labels.Add(ranked[1].Label);
                text += $", {InsightFormat.Number(times, 1)} times {ranked[1].Label}";
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
        var headline = $"The top {topN}{ofN} categories make up {InsightFormat.Percent(share)} of total {InsightFormat.Lower(s.Subject)}";
        var text = $"{InsightFormat.List(labels)}, the top {topN}{ofN} categories, make up {InsightFormat.Percent(share)} of total {InsightFormat.Lower(s.Subject)}.";
        return Fact(InsightKinds.Concentration, text, share, figures, labels, s, significance, headline);
    }

    static InsightFact Extreme(ChartView view, SeriesData s, bool highest)
    {
        var point = highest ? s.Points.MaxBy(p => p.Value) : s.Points.MinBy(p => p.Value);
        var mean = s.Values.Average();
        var spread = Statistics.StandardDeviation(s.Values);
        var z = spread > 0 ? (point.Value - mean) / spread : 0;
        var subject = InsightFormat.Lower(s.Subject);
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
            Statistics.Significance(z));
    }

    static InsightFact? Outliers(ChartView view, SeriesData s)
    {
        if (s.Points.Count < 6) return null;
        var values = s.Values;
        var q1 = Statistics.Quantile(values, 0.25);
        var q3 = Statistics.Quantile(values, 0.75);
        var fence = 1.5 * (q3 - q1); // Tukey's fences
        var outside = s.Points.Where(p => p.Value < q1 - fence || p.Value > q3 + fence).ToList();
        if (outside.Count == 0) return null;
        var mean = values.Average();
        var spread = Statistics.StandardDeviation(values);
        if (spread <= 0) return null;
        var worst = outside.MaxBy(p => Math.Abs(p.Value - mean));
        var z = (worst.Value - mean) / spread;
        var figures = new Dictionary<string, double>
        {
            ["value"] = worst.Value, ["z_score"] = z, ["mean"] = mean, ["outliers"] = outside.Count, ["q1"] = q1, ["q3"] = q3,
        };
        var where = $"{worst.Label} stands out at {view.Value(worst.Value)}, {InsightFormat.Number(Math.Abs(z), 1)} standard deviations {(z > 0 ? "above" : "below")} the average of {view.Value(mean)}";
        var subject = s.Name is null ? "" : $" of {InsightFormat.Lower(s.Subject)}";
        var text = outside.Count == 1
            ? $"{where}{(s.Name is null ? "" : $" ({s.Name})")}."
            : $"{InsightFormat.Count(outside.Count)} values{subject} fall outside the usual range; the most extreme: {where}.";
        var headline = $"{worst.Label} is an outlier at {view.Value(worst.Value)}";
        return Fact(InsightKinds.Outlier, text, worst.Value, figures, outside.Select(p => p.Label).ToList(), s,
            Statistics.Significance(z), headline);
    }

    static void Comparisons(ChartView view, IReadOnlyList<SeriesData> series, List<InsightFact> facts)
    {
        var present = series.Where(s => s.Points.Count > 0).ToList();
        var measure = MeasureName(view.Chart);
        // One series per y column: ranking them means something only in a shared unit (three costs in $), not
        // temperature against wind.
        var perColumn = view.Chart.Measure.Split(", ").Length > 1;
        if (perColumn && view.Chart.Unit is null) return;
        var scores = present.Select(s => (Series: s, Amount: view.Additive ? s.Values.Sum() : s.Values.Average())).OrderByDescending(t => t.Amount).ToList();
        var (leader, amount) = scores[0];
        var (second, secondAmount) = scores[1];
        if (perColumn)
        {
            var name = InsightFormat.Upper(InsightFormat.Lower(leader.Subject));
            var perColumnHeadline = $"{name} is the largest of the {present.Count} measures";
            var perColumnText = $"{name} is the largest of the {present.Count} measures at {view.Value(amount)}" +
                                $"{(view.Additive ? " in total" : " on average")}, ahead of {InsightFormat.Lower(second.Subject)} at {view.Value(secondAmount)}.";
            var perColumnSignificance = amount == 0 ? 0 : Math.Clamp((amount - secondAmount) / Math.Abs(amount), 0, 1);
            facts.Add(new InsightFact(InsightKinds.SeriesLeader, perColumnText, amount,
                new Dictionary<string, double> { ["value"] = amount, ["next_value"] = secondAmount, ["series"] = present.Count },
                [leader.Name!, second.Name!], null, Score(InsightKinds.SeriesLeader, 1, perColumnSignificance, 1)) { Headline = perColumnHeadline });
            return;
        }
        var figures = new Dictionary<string, double> { ["value"] = amount, ["next_value"] = secondAmount, ["series"] = present.Count };
        string headline, text;
        double significance, main;
        var whole = scores.Sum(t => t.Amount);
        if (view.Additive && scores.All(t => t.Amount >= 0) && whole > 0)
        {
            var share = amount / whole * 100;
            figures["share_percent"] = share;
            main = share;
            var expected = 100.0 / present.Count;
            significance = Math.Clamp((share - expected) / (100 - expected), 0, 1);
            headline = $"{leader.Name} leads with {InsightFormat.Percent(share)} of total {InsightFormat.Lower(measure)}";
            text = $"{leader.Name} leads with {view.Value(amount)} ({InsightFormat.Percent(share)} of total {InsightFormat.Lower(measure)} across {present.Count} series), ahead of {second.Name} at {view.Value(secondAmount)}.";
        }
        else
        {
            main = amount;
            significance = amount == 0 ? 0 : Math.Clamp((amount - secondAmount) / Math.Abs(amount), 0, 1);
            headline = $"{leader.Name} has the highest {InsightFormat.Lower(measure)} on average";
            text = $"{headline}, {view.Value(amount)}, ahead of {second.Name} at {view.Value(secondAmount)}.";
        }
        facts.Add(new InsightFact(InsightKinds.SeriesLeader, text, main, figures, [leader.Name!, second.Name!], null,
            Score(InsightKinds.SeriesLeader, 1, significance, 1)) { Headline = headline });

        if (!view.IsTime || view.Unit == "%") return;
        var growth = present
            .Where(s => s.Points.Count >= 2 && s.Points[0].Value > 0)
            .Select(s => (Series: s, Percent: (s.Points[^1].Value - s.Points[0].Value) / s.Points[0].Value * 100))
            .OrderByDescending(g => g.Percent)
            .ToList();
        if (growth.Count < 2) return;
        var best = growth[0];
        var worst = growth[^1];
        var first = best.Series.Points[0].Label;
        var last = best.Series.Points[^1].Label;
        var gap = best.Percent - worst.Percent;
        var growthFigures = new Dictionary<string, double> { ["best_percent"] = best.Percent, ["worst_percent"] = worst.Percent, ["series"] = growth.Count };
        var growthHeadline = $"{best.Series.Name} {(best.Percent >= 0 ? "grew" : "fell")} the most, {Signed(best.Percent)} from {first} to {last}";
        var growthText = $"{growthHeadline}, against {Signed(worst.Percent)} for {worst.Series.Name}.";
        facts.Add(new InsightFact(InsightKinds.SeriesGrowth, growthText, best.Percent, growthFigures,
            [best.Series.Name!, worst.Series.Name!, first, last, worst.Series.Points[0].Label, worst.Series.Points[^1].Label], null,
            Score(InsightKinds.SeriesGrowth, 1, 1 - Math.Exp(-Math.Abs(gap) / 20), 1)) { Headline = growthHeadline });
    }

    static string Signed(double percent) => (percent >= 0 ? "up " : "down ") + InsightFormat.Percent(Math.Abs(percent));

    // ---------------------------------------------------------------- scatter

    static void ScatterFacts(AggregatedChart chart, IReadOnlyList<ScatterPoint> all, List<InsightFact> facts)
    {
        var points = all.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0) return;
        // Lowered as inside a sentence; a sentence that starts with one upper-cases just its first letter.
        var xName = InsightFormat.Upper(InsightFormat.Lower(InsightFormat.Humanize(chart.XColumn)));
        var yName = InsightFormat.Upper(InsightFormat.Lower(InsightFormat.Humanize(chart.YColumn ?? chart.Measure)));
        var xs = points.Select(p => p.X).ToList();
        var ys = points.Select(p => p.Y).ToList();
        var n = points.Count;
        var whole = new SeriesData(null, yName, [], 1);

        facts.Add(Fact(InsightKinds.Summary,
            $"The chart shows {InsightFormat.Count(n)} points: {InsightFormat.Lower(xName)} from {InsightFormat.Plain(xs.Min())} to {InsightFormat.Plain(xs.Max())}, {InsightFormat.Lower(yName)} from {InsightFormat.Value(ys.Min(), chart.Unit)} to {InsightFormat.Value(ys.Max(), chart.Unit)}.",
            n, new Dictionary<string, double> { ["points"] = n, ["x_min"] = xs.Min(), ["x_max"] = xs.Max(), ["y_min"] = ys.Min(), ["y_max"] = ys.Max() },
            [], whole, 1));
        if (n < 3) return;

        var fit = Statistics.Fit(xs, ys);
        var r = fit.R;
        var significance = Statistics.CorrelationSignificance(r, n);
        var strength = Math.Abs(r) >= 0.7 ? "strongly" : Math.Abs(r) >= 0.4 ? "moderately" : "weakly";
        var coefficients = $"r = {InsightFormat.Coefficient(r)}, R² = {InsightFormat.Coefficient(fit.RSquared)}, {InsightFormat.Count(n)} points";
        string headline = Math.Abs(r) < 0.2
            ? $"{yName} and {InsightFormat.Lower(xName)} show no clear linear relationship"
            : $"{yName} and {InsightFormat.Lower(xName)} are {strength} {(r > 0 ? "positively" : "negatively")} correlated";
        // A scatter is drawn to answer "do these move together?", so its correlation leads even when the answer is no.
        facts.Add(Fact(InsightKinds.Correlation, $"{headline} ({coefficients}).", r,
            new Dictionary<string, double> { ["r"] = r, ["r_squared"] = fit.RSquared, ["points"] = n },
            [], whole, 0.5 + 0.5 * significance, headline));

        if (fit.RSquared >= 0.1 && fit.Slope != 0)
        {
            var slopeHeadline = $"Each extra unit of {InsightFormat.Lower(xName)} goes with about {InsightFormat.Value(Math.Abs(fit.Slope), chart.Unit)} {(fit.Slope > 0 ? "more" : "less")} {InsightFormat.Lower(yName)}";
            facts.Add(Fact(InsightKinds.Trend, $"{slopeHeadline} on average (R² = {InsightFormat.Coefficient(fit.RSquared)}).", fit.Slope,
                new Dictionary<string, double> { ["slope"] = fit.Slope, ["intercept"] = fit.Intercept, ["r_squared"] = fit.RSquared },
                [], whole, significance, slopeHeadline, effect: fit.RSquared));
        }

        if (n >= 6)
        {
            var q1 = Statistics.Quantile(ys, 0.25);
            var q3 = Statistics.Quantile(ys, 0.75);
            var fence = 1.5 * (q3 - q1);
            var mean = ys.Average();
            var spread = Statistics.StandardDeviation(ys);
            var outside = points.Where(p => p.Y < q1 - fence || p.Y > q3 + fence).ToList();
            if (outside.Count > 0 && spread > 0)
            {
                var worst = outside.MaxBy(p => Math.Abs(p.Y - mean))!;
                var z = (worst.Y - mean) / spread;
                var name = worst.Label is { Length: > 0 } label ? label : $"the point at {InsightFormat.Lower(xName)} {InsightFormat.Plain(worst.X)}";
                var outlierHeadline = $"{InsightFormat.Upper(name)} is an outlier at {InsightFormat.Lower(yName)} {InsightFormat.Value(worst.Y, chart.Unit)}";
                var text = $"{outlierHeadline}, {InsightFormat.Number(Math.Abs(z), 1)} standard deviations {(z > 0 ? "above" : "below")} the average of {InsightFormat.Value(mean, chart.Unit)}"
                           + (outside.Count > 1 ? $"; {InsightFormat.Count(outside.Count)} points fall outside the usual range." : ".");
                facts.Add(Fact(InsightKinds.Outlier, text, worst.Y,
                    new Dictionary<string, double> { ["x"] = worst.X, ["y"] = worst.Y, ["z_score"] = z, ["mean"] = mean, ["outliers"] = outside.Count },
                    worst.Label is { Length: > 0 } l ? [l] : [], whole, Statistics.Significance(z), outlierHeadline));
            }
        }
    }

    // ---------------------------------------------------------------- shared pieces

    static InsightFact Fact(string kind, string text, double value, Dictionary<string, double> figures,
        IReadOnlyList<string> labels, SeriesData s, double significance, string? headline = null, double effect = 1) =>
        new(kind, text, value, figures, labels, s.Name, Score(kind, s.Impact, significance, effect))
        {
            Headline = headline ?? text.TrimEnd('.'),
        };

    static double Score(string kind, double impact, double significance, double effect) =>
        Math.Round(Weights[kind] * Math.Clamp(impact, 0, 1) * Math.Clamp(significance, 0, 1) * Math.Clamp(effect, 0, 1), 4);

    static void AddIf(List<InsightFact> facts, InsightFact? fact)
    {
        if (fact is not null) facts.Add(fact);
    }

    static List<Step> Steps(IReadOnlyList<Obs> points)
    {
        var steps = new List<Step>(Math.Max(points.Count - 1, 0));
        for (var i = 1; i < points.Count; i++) steps.Add(new Step(points[i - 1], points[i], points[i].Value - points[i - 1].Value));
        return steps;
    }

    /// <summary>What the measure is called in a sentence: "Revenue", "Average price", "Number of rows".</summary>
    internal static string MeasureName(AggregatedChart chart)
    {
        // A count of rows has the measure "count"; a column that happens to be named "count" (flights per route) is summed.
        var isCount = chart.Measure.Length == 0
                      || (chart.Aggregation == "count" && string.Equals(chart.Measure, "count", StringComparison.OrdinalIgnoreCase));
        var name = isCount ? "Number of rows" : InsightFormat.Humanize(chart.Measure);
        var lower = InsightFormat.Lower(name);
        return chart.Aggregation switch
        {
            "mean" or "avg" or "average" => $"Average {lower}",
            "median" => $"Median {lower}",
            "min" => $"Minimum {lower}",
            "max" => $"Maximum {lower}",
            "count" when !isCount => $"Count of {lower}",
            _ => name,
        };
    }

    static string Subject(AggregatedChart chart, ChartSeries series, bool several)
    {
        var measure = MeasureName(chart);
        if (!several || string.Equals(series.Name, chart.Measure, StringComparison.OrdinalIgnoreCase)) return measure;
        // One series per y column ("temperature, wind"): each series is its own measure, "Average wind".
        if (chart.Measure.Split(", ").Contains(series.Name, StringComparer.OrdinalIgnoreCase))
            return MeasureName(chart with { Measure = series.Name });
        return $"{measure} ({series.Name})";
    }

    readonly record struct Obs(int Index, string Label, double Value);

    readonly record struct Step(Obs From, Obs To, double Difference);

    /// <param name="Rest">The folded "Other" value: part of the whole, never a named point.</param>
    sealed record SeriesData(string? Name, string Subject, IReadOnlyList<Obs> Points, double Impact, double Rest = 0)
    {
        public IReadOnlyList<double> Values { get; } = Points.Select(p => p.Value).ToList();

        /// <summary>The whole the shares are of: every named point plus "Other".</summary>
        public double Total => Values.Sum() + Rest;
    }

    /// <summary>The chart's axis and measure, phrased and measured once.</summary>
    sealed class ChartView(AggregatedChart chart)
    {
        public AggregatedChart Chart { get; } = chart;
        public bool IsHistogram { get; } = chart.ChartType == "histogram";
        public bool IsTime { get; } = chart.XKind == AxisKinds.Time && chart.ChartType != "histogram";
        public bool IsNumeric { get; } = chart.XKind == AxisKinds.Numeric;
        public bool IsCategorical { get; } =
            chart.ChartType is "histogram" or "pie" or "doughnut" || chart.XKind == AxisKinds.Category;
        public bool Additive { get; } = chart.Aggregation is "sum" or "count" || chart.ChartType == "histogram";
        public string? Unit { get; } = chart.Unit;
        public string? TimeUnit { get; } = chart.TimeUnit?.ToLowerInvariant();
        public string XName { get; } = InsightFormat.Lower(InsightFormat.Humanize(chart.XColumn));
        public string Period => TimeUnit is "day" or "week" or "month" or "quarter" or "year" ? TimeUnit : "period";
        public string Periods => Period + "s";

        /// <summary>Whether positions <paramref name="from"/> and <paramref name="to"/> are one period apart on the calendar.</summary>
        public bool Adjacent(int from, int to) =>
            to - from == 1 && (Chart.PeriodStarts is not { } starts || TimeUnit is null || to >= starts.Count
                               || TimeBuckets.Next(starts[from], TimeUnit) == starts[to]);

        /// <summary>False when the axis skips periods (sparse data keeps only the periods that have values).</summary>
        public bool EveryPeriodShown { get; } = chart.PeriodStarts is not { Count: > 1 } starts || chart.TimeUnit is null
            || starts.Zip(starts.Skip(1)).All(p => TimeBuckets.Next(p.First, chart.TimeUnit.ToLowerInvariant()) == p.Second);

        public string Value(double value) => InsightFormat.Value(value, Unit);
        public string Delta(double difference) => InsightFormat.Delta(difference, Unit);

        /// <summary>Years between two label positions, from the period starts or else from the time unit.</summary>
        public double? YearsBetween(int from, int to)
        {
            if (Chart.PeriodStarts is { } starts && to < starts.Count && from < starts.Count)
            {
                var (a, b) = (starts[from], starts[to]);
                // Calendar months for month-or-longer buckets, so 2019 → 2024 is exactly 5 years.
                if (TimeUnit is "month" or "quarter" or "year")
                    return ((b.Year - a.Year) * 12 + b.Month - a.Month + (b.Day - a.Day) / 30.436875) / 12;
                return (b - a).TotalDays / 365.2425;
            }
            double? perPeriod = TimeUnit switch
            {
                "year" => 1, "quarter" => 0.25, "month" => 1 / 12.0, "week" => 7 / 365.2425, "day" => 1 / 365.2425, _ => null,
            };
            return perPeriod * (to - from);
        }

        /// <summary>X positions for a fit: numeric labels when they all parse, else the label index.</summary>
        public List<double> Positions(IReadOnlyList<Obs> points, out bool numeric)
        {
            if (IsNumeric)
            {
                var parsed = points.Select(p => double.TryParse(p.Label.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : (double?)null).ToList();
                if (parsed.All(x => x is not null && double.IsFinite(x.Value)))
                {
                    numeric = true;
                    return parsed.Select(x => x!.Value).ToList();
                }
            }
            numeric = false;
            return points.Select(p => (double)p.Index).ToList();
        }

        /// <summary>The name of a seasonal phase ("December", "Q4", "Saturday") from the period starts.</summary>
        public string? SeasonName(int phase)
        {
            if (Chart.PeriodStarts is not { } starts) return null;
            var index = Enumerable.Range(0, starts.Count).FirstOrDefault(i => i % SeasonalLags[TimeUnit!].Lag == phase, -1);
            if (index < 0) return null;
            var start = starts[index];
            return TimeUnit switch
            {
                "month" => start.ToString("MMMM", CultureInfo.InvariantCulture),
                "quarter" => $"Q{(start.Month - 1) / 3 + 1}",
                "day" => start.DayOfWeek.ToString(),
                _ => null,
            };
        }
    }
}
