using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Charts.Insights.StatisticalInsights;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>How one series moves along its axis: overall change, growth rate, biggest move, trend and seasonality.</summary>
internal static class MovementFacts
{
    public static void Add(ChartView view, SeriesData s, List<InsightFact> facts)
    {
        if (view.IsTime)
        {
            AddIf(facts, Change(view, s));
            AddIf(facts, Cagr(view, s));
            AddIf(facts, BiggestMove(view, s));
            AddIf(facts, Seasonality(view, s));
        }
        if ((view.IsTime || view.IsNumeric) && !view.IsHistogram) AddIf(facts, Trend(view, s));
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
            headline = Readable.Percent(Math.Abs(percent)) == "0%"
                ? $"{subject} was flat {span}"
                : $"{subject} {(percent > 0 ? "grew" : "fell")} {Readable.Percent(Math.Abs(percent))} {span}";
        }
        else
        {
            main = difference;
            headline = difference == 0
                ? $"{subject} was unchanged {span}"
                : $"{subject} {(difference > 0 ? "rose" : "fell")} by {view.Delta(difference)} {span}";
        }
        return Fact(InsightKinds.Change, $"{headline} ({values}).", main, figures, [first.Label, last.Label], s,
            AgainstRandomWalk(s, difference), headline);
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
        if (Readable.Percent(Math.Abs(rate)) == Readable.Percent(0)) return null;
        var figures = new Dictionary<string, double>
        {
            ["cagr_percent"] = rate, ["years"] = y, ["first"] = first.Value, ["last"] = last.Value,
        };
        var verb = rate >= 0 ? "grew" : "shrank";
        var headline = $"{s.Subject} {verb} at a compound annual rate of {Readable.Percent(Math.Abs(rate))} from {first.Label} to {last.Label}";
        var text = $"{headline} ({Readable.Rounded(y, 1)} years).";
        return Fact(InsightKinds.Cagr, text, rate, figures, [first.Label, last.Label], s, AgainstRandomWalk(s, last.Value - first.Value), headline);
    }

    /// <summary>How sure a net change is not a random walk: the change against the spread of the steps.</summary>
    static double AgainstRandomWalk(SeriesData s, double netChange)
    {
        var steps = Step.Between(s.Points).Select(d => d.Difference).ToArray();
        var spread = Descriptive.StandardDeviation(steps);
        return netChange == 0 ? 0 : spread <= 0 ? 1 : Correlation.SignificanceOf(Math.Abs(netChange) / (spread * Math.Sqrt(steps.Length)));
    }

    static InsightFact? BiggestMove(ChartView view, SeriesData s)
    {
        // Period over period: only neighbouring periods, not a jump across missing ones.
        var steps = Step.Between(s.Points).Where(d => view.Adjacent(d.From.Index, d.To.Index)).ToList();
        if (steps.Count < 2) return null;
        var biggest = steps.MaxBy(d => Math.Abs(d.Difference));
        if (biggest.Difference == 0) return null;
        var sizes = steps.Select(d => Math.Abs(d.Difference)).ToArray();
        double significance;
        if (sizes.Length >= 3)
        {
            var spread = Descriptive.StandardDeviation(sizes);
            significance = spread <= 0 ? 0 : Correlation.SignificanceOf((Math.Abs(biggest.Difference) - sizes.Average()) / spread);
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
            move += $" ({(percent > 0 ? "+" : "-")}{Readable.Percent(Math.Abs(percent))})";
        }
        var headline = $"The biggest {view.Period}-on-{view.Period} move for {Readable.Lower(s.Subject)} was from {biggest.From.Label} to {biggest.To.Label}";
        var text = $"{headline}: {move}, from {view.Value(biggest.From.Value)} to {view.Value(biggest.To.Value)}.";
        return Fact(InsightKinds.BiggestMove, text, biggest.Difference, figures, [biggest.From.Label, biggest.To.Label], s, significance, headline);
    }

    static InsightFact? Trend(ChartView view, SeriesData s)
    {
        // Shorter series are not tested: the trend test cannot tell a trend from a few high or low values.
        if (s.Points.Count < TrendTest.MinPoints) return null;
        var trend = TrendTest.Of(view.Positions(s.Points, out var numericX), s.Values);
        var fit = trend.Fit;
        if (!double.IsFinite(fit.Slope) || fit.Slope == 0) return null;
        var strength = fit.RSquared >= 0.7 ? "strong" : fit.RSquared >= 0.4 ? "moderate" : "weak";
        var direction = fit.Slope > 0 ? "upward" : "downward";
        var r2 = $"R² = {Readable.Coefficient(fit.RSquared)}";
        var figures = new Dictionary<string, double>
        {
            ["slope"] = fit.Slope, ["r_squared"] = fit.RSquared, ["r"] = fit.R, ["points"] = s.Points.Count,
        };
        string headline, text;
        if (!trend.Found)
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
        var significance = Correlation.Significance(fit.R, s.Points.Count);
        return Fact(InsightKinds.Trend, text, fit.Slope, figures, [], s, significance, headline, effect: fit.RSquared);
    }

    static InsightFact? Seasonality(ChartView view, SeriesData s)
    {
        // Lags count positions: only meaningful when every period is on the axis.
        if (view.TimeUnit is null || !view.EveryPeriodShown) return null;
        var first = s.Points[0].Index;
        var series = new double[s.Points[^1].Index - first + 1];
        Array.Fill(series, double.NaN);
        foreach (var p in s.Points) series[p.Index - first] = p.Value;
        if (SeasonalityTest.Find(series, view.TimeUnit) is not { } season) return null;

        var figures = new Dictionary<string, double>
        {
            ["lag"] = season.Lag, ["autocorrelation"] = season.Autocorrelation, ["cycles"] = season.Cycles,
        };
        var high = view.Chart.PeriodStarts is { } starts
            ? SeasonPhases.Of(season, view.TimeUnit, i => starts[first + i]).Peak.Name
            : null;
        var headline = $"{s.Subject} follows a {season.Cycle} seasonal pattern";
        var text = $"{headline}: values {season.Lag} {view.Periods} apart move together (autocorrelation {Readable.Coefficient(season.Autocorrelation)})"
                   + (high is null ? "." : $", with highs in {high}.");
        return Fact(InsightKinds.Seasonality, text, season.Autocorrelation, figures, high is null ? [] : [high], s, season.Significance, headline);
    }
}
