using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Charts.Insights.StatisticalInsights;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>The facts of a scatter chart: its range, the correlation of x and y, the slope and the most extreme point.</summary>
internal static class ScatterFacts
{
    public static void Find(AggregatedChart chart, IReadOnlyList<ScatterPoint> all, List<InsightFact> facts)
    {
        var points = all.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0) return;
        var scatter = new Scatter(chart, points);
        facts.Add(Summary(scatter));
        if (points.Count < 3) return;

        var fit = LinearFit.Of(scatter.Xs, scatter.Ys);
        // A constant x (one vertical line of points) has no line to fit: no relationship, as for a constant y.
        if (!double.IsFinite(fit.Slope)) fit = fit with { Slope = 0, R = 0 };
        var significance = Correlation.Significance(fit.R, points.Count);
        facts.Add(CorrelationFact(scatter, fit, significance));
        if (fit.RSquared >= 0.1 && fit.Slope != 0) facts.Add(SlopeFact(scatter, fit, significance));
        if (points.Count >= 6 && Outlier(scatter) is { } outlier) facts.Add(outlier);
    }

    /// <summary>The points of a scatter and the axis names as they read in a sentence.</summary>
    sealed class Scatter(AggregatedChart chart, List<ScatterPoint> points)
    {
        public List<ScatterPoint> Points { get; } = points;
        public double[] Xs { get; } = points.Select(p => p.X).ToArray();
        public double[] Ys { get; } = points.Select(p => p.Y).ToArray();
        public string? Unit { get; } = chart.Unit;
        // Lowered as inside a sentence; a sentence that starts with one upper-cases just its first letter.
        public string XName { get; } = Readable.Upper(Readable.Lower(Readable.Humanize(chart.XColumn)));
        public string YName { get; } = Readable.Upper(Readable.Lower(Readable.Humanize(chart.YColumn ?? chart.Measure)));
        /// <summary>The one "series" a scatter fact is about: y, with the whole chart as its impact.</summary>
        public SeriesData Whole => new(null, YName, [], 1);
    }

    static InsightFact Summary(Scatter s)
    {
        var (xs, ys, n) = (s.Xs, s.Ys, s.Points.Count);
        return Fact(InsightKinds.Summary,
            $"The chart shows {Readable.Count(n)} points: {Readable.Lower(s.XName)} from {Readable.Compact(xs.Min())} to {Readable.Compact(xs.Max())}, {Readable.Lower(s.YName)} from {Readable.Compact(ys.Min(), s.Unit)} to {Readable.Compact(ys.Max(), s.Unit)}.",
            n, new Dictionary<string, double> { ["points"] = n, ["x_min"] = xs.Min(), ["x_max"] = xs.Max(), ["y_min"] = ys.Min(), ["y_max"] = ys.Max() },
            [], s.Whole, 1);
    }

    static InsightFact CorrelationFact(Scatter s, LinearFit fit, double significance)
    {
        var r = fit.R;
        var n = s.Points.Count;
        var strength = Math.Abs(r) >= 0.7 ? "strongly" : Math.Abs(r) >= 0.4 ? "moderately" : "weakly";
        var coefficients = $"r = {Readable.Coefficient(r)}, R² = {Readable.Coefficient(fit.RSquared)}, {Readable.Count(n)} points";
        var headline = Math.Abs(r) < 0.2
            ? $"{s.YName} and {Readable.Lower(s.XName)} show no clear linear relationship"
            : $"{s.YName} and {Readable.Lower(s.XName)} are {strength} {(r > 0 ? "positively" : "negatively")} correlated";
        // A scatter is drawn to answer "do these move together?", so its correlation leads even when the answer is no.
        return Fact(InsightKinds.Correlation, $"{headline} ({coefficients}).", r,
            new Dictionary<string, double> { ["r"] = r, ["r_squared"] = fit.RSquared, ["points"] = n },
            [], s.Whole, 0.5 + 0.5 * significance, headline);
    }

    static InsightFact SlopeFact(Scatter s, LinearFit fit, double significance)
    {
        var headline = $"Each extra unit of {Readable.Lower(s.XName)} goes with about {Readable.Compact(Math.Abs(fit.Slope), s.Unit)} {(fit.Slope > 0 ? "more" : "less")} {Readable.Lower(s.YName)}";
        return Fact(InsightKinds.Trend, $"{headline} on average (R² = {Readable.Coefficient(fit.RSquared)}).", fit.Slope,
            new Dictionary<string, double> { ["slope"] = fit.Slope, ["intercept"] = fit.Intercept, ["r_squared"] = fit.RSquared },
            [], s.Whole, significance, headline, effect: fit.RSquared);
    }

    /// <summary>The point farthest from the mean of y among those beyond Tukey's fences.</summary>
    static InsightFact? Outlier(Scatter s)
    {
        var sorted = s.Ys.Order().ToArray();
        var q1 = Descriptive.Quantile(sorted, 0.25);
        var q3 = Descriptive.Quantile(sorted, 0.75);
        var fence = 1.5 * (q3 - q1);
        var mean = s.Ys.Average();
        var spread = Descriptive.StandardDeviation(s.Ys);
        var outside = s.Points.Where(p => p.Y < q1 - fence || p.Y > q3 + fence).ToList();
        if (outside.Count == 0 || spread <= 0) return null;
        var worst = outside.MaxBy(p => Math.Abs(p.Y - mean))!;
        var z = (worst.Y - mean) / spread;
        var name = worst.Label is { Length: > 0 } label ? label : $"the point at {Readable.Lower(s.XName)} {Readable.Compact(worst.X)}";
        var headline = $"{Readable.Upper(name)} is an outlier at {Readable.Lower(s.YName)} {Readable.Compact(worst.Y, s.Unit)}";
        var text = $"{headline}, {Readable.Rounded(Math.Abs(z), 1)} standard deviations {(z > 0 ? "above" : "below")} the average of {Readable.Compact(mean, s.Unit)}"
                   + (outside.Count > 1 ? $"; {Readable.Count(outside.Count)} points fall outside the usual range." : ".");
        return Fact(InsightKinds.Outlier, text, worst.Y,
            new Dictionary<string, double> { ["x"] = worst.X, ["y"] = worst.Y, ["z_score"] = z, ["mean"] = mean, ["outliers"] = outside.Count },
            worst.Label is { Length: > 0 } l ? [l] : [], s.Whole, Correlation.SignificanceOf(z), headline);
    }
}
