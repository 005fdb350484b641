using System.Text.Json.Serialization;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>What a statistical finding is about; the values of <see cref="InsightFact.Kind"/>.</summary>
public static class InsightKinds
{
    public const string Change = "change";
    public const string Cagr = "cagr";
    public const string Peak = "peak";
    public const string Trough = "trough";
    public const string BiggestMove = "biggest_move";
    public const string TopCategory = "top_category";
    public const string Concentration = "concentration";
    public const string Trend = "trend";
    public const string Outlier = "outlier";
    public const string Correlation = "correlation";
    public const string Seasonality = "seasonality";
    public const string SeriesLeader = "series_leader";
    public const string SeriesGrowth = "series_growth";
    public const string Summary = "summary";
}

/// <summary>Which engine wrote an answer; the values of <c>source</c> in the API.</summary>
public static class InsightSources
{
    public const string Statistical = "statistical";
    public const string OpenAi = "openai";
}

/// <summary>
/// One computed finding about a chart: a sentence for people plus the exact figures behind it, so
/// any text built on it (ours or a language model's) can be checked number by number.
/// </summary>
/// <param name="Kind">One of <see cref="InsightKinds"/>.</param>
/// <param name="Text">The finding as a sentence, numbers formatted for people.</param>
/// <param name="Value">The main figure (e.g. the percentage change, the share, r).</param>
/// <param name="Figures">Every figure the text rests on, by name (snake_case), unrounded.</param>
/// <param name="Labels">The x labels (or series names) the finding is about.</param>
/// <param name="Series">The series the finding is about, when the chart has several.</param>
/// <param name="Score">Impact × significance × weight of the kind, 0..1; higher leads.</param>
public sealed record InsightFact(
    string Kind,
    string Text,
    double Value,
    IReadOnlyDictionary<string, double> Figures,
    IReadOnlyList<string> Labels,
    string? Series,
    double Score)
{
    /// <summary>A short form of <see cref="Text"/> fit for a headline (not serialized: the text says it all).</summary>
    [JsonIgnore]
    public string Headline { get; init; } = Text.TrimEnd('.');
}

/// <summary>
/// The insights attached to a chart (<c>ai_insights</c> in the API): a headline, 3–5 insights and
/// recommendations, which engine wrote them, and the facts every number in them comes from.
/// </summary>
public sealed record ChartInsights(
    string Headline,
    IReadOnlyList<string> Insights,
    IReadOnlyList<string> Recommendations,
    string Source,
    IReadOnlyList<InsightFact> Facts);

/// <summary>A rule-based chart-type candidate, as passed to and returned from re-ranking.</summary>
/// <param name="ChartType">bar, line, pie, scatter... as in the chart request.</param>
/// <param name="Confidence">0..1.</param>
/// <param name="Reason">Why this chart fits the data, for people.</param>
/// <param name="XColumn">Column on the x axis.</param>
/// <param name="YColumn">Null for charts of one column (histogram, count by category).</param>
public sealed record ChartTypeCandidate(
    string ChartType,
    double Confidence,
    string Reason,
    string XColumn,
    string? YColumn);

/// <summary>Chart-type suggestions best first, and which engine ordered and explained them.</summary>
public sealed record ChartTypeSuggestions(IReadOnlyList<ChartTypeCandidate> Suggestions, string Source);

/// <summary>Tips to make a chart read better, and which engine wrote them.</summary>
public sealed record ChartOptimization(IReadOnlyList<string> Tips, string Source);
