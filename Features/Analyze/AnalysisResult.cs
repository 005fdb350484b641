using System.Text.Json.Serialization;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Analyze;

/// <summary>
/// What analysing a data set found: statistics per column and, for a full analysis, patterns and
/// recommendations. Every number is a finite double or null, so the result always serialises to JSON.
/// </summary>
/// <param name="AnalysisType">"basic" (statistics only) or "full".</param>
/// <param name="RowCount">Data rows (the header not counted).</param>
/// <param name="ColumnCount">Columns in the data set.</param>
/// <param name="Statistics">Column name → statistics, in column order.</param>
/// <param name="Patterns">Findings, strongest first; empty for a basic analysis.</param>
/// <param name="Recommendations">Actions, data fixes first, then scales, then charts; empty for a basic analysis.</param>
public sealed record AnalysisResult(
    string AnalysisType,
    int RowCount,
    int ColumnCount,
    IReadOnlyDictionary<string, ColumnStatistics> Statistics,
    IReadOnlyList<Pattern> Patterns,
    IReadOnlyList<Recommendation> Recommendations);

/// <summary>
/// Statistics of one column. The JSON carries a <c>type</c> discriminator (the column type) so the
/// result survives a cache round trip and reads naturally: <c>{"type": "numeric", "count": ...}</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FallBackToNearestAncestor)]
[JsonDerivedType(typeof(NumericStatistics), ColumnTypes.Numeric)]
[JsonDerivedType(typeof(DatetimeStatistics), ColumnTypes.Datetime)]
[JsonDerivedType(typeof(BooleanStatistics), ColumnTypes.Boolean)]
[JsonDerivedType(typeof(CategoricalStatistics), ColumnTypes.Categorical)]
[JsonDerivedType(typeof(TextStatistics), ColumnTypes.Text)]
[JsonDerivedType(typeof(IdStatistics), ColumnTypes.Id)]
// Never an instance (it is abstract); named only so OpenAPI schema generation can walk the hierarchy.
[JsonDerivedType(typeof(ValueCountStatistics), "labels")]
public abstract record ColumnStatistics
{
    // The counts every column has come first in the JSON (System.Text.Json otherwise writes derived properties first).
    /// <summary>Cells with a value.</summary>
    [JsonPropertyOrder(-2)]
    public required int Count { get; init; }
    /// <summary>Cells without a usable value (empty, a missing marker, or not parsable as the column type).</summary>
    [JsonPropertyOrder(-2)]
    public required int Missing { get; init; }
    /// <summary>Of <see cref="Missing"/>, the cells that held text that did not parse as the column type.</summary>
    [JsonPropertyOrder(-2)]
    public required int Invalid { get; init; }
    [JsonPropertyOrder(-2)]
    public required int UniqueCount { get; init; }
}

/// <summary>
/// Statistics of a numeric column. Quartiles and the median use linear interpolation between order
/// statistics (numpy's default, Excel's QUARTILE.INC); std is the sample standard deviation (n − 1);
/// skew is the adjusted Fisher–Pearson coefficient (as pandas and Excel's SKEW).
/// </summary>
public sealed record NumericStatistics : ColumnStatistics
{
    public string? Unit { get; init; }
    public required double? Sum { get; init; }
    public required double? Mean { get; init; }
    public required double? Median { get; init; }
    public required double? Std { get; init; }
    public required double? Min { get; init; }
    public required double? Max { get; init; }
    public required double? Q1 { get; init; }
    public required double? Q3 { get; init; }
    public required double? Iqr { get; init; }
    public string QuartileMethod { get; init; } = "linear";
    public required double? Skew { get; init; }
    public required int OutlierCount { get; init; }
    /// <summary>Values beyond the 1.5 × IQR fences; null when the column has no values.</summary>
    public required OutlierSummary? Outliers { get; init; }
}

/// <summary>
/// Values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (method "iqr_1.5"): how many, how many on each side, and
/// up to five of the most extreme as examples, most extreme first.
/// </summary>
public sealed record OutlierSummary(
    string Method,
    double LowerFence,
    double UpperFence,
    int Count,
    int Below,
    int Above,
    IReadOnlyList<RowValue> Examples);

/// <summary>A value and its row: the 0-based data row index, as the preview's offset counts rows.</summary>
public sealed record RowValue(int Row, double Value);

/// <summary>Statistics of a datetime column; dates are ISO 8601 strings as in the preview.</summary>
public sealed record DatetimeStatistics : ColumnStatistics
{
    public string? Format { get; init; }
    public required string? Min { get; init; }
    public required string? Max { get; init; }
    public required double? SpanDays { get; init; }
    /// <summary>hourly, daily, weekly, monthly, quarterly, yearly or irregular (from the median gap between distinct timestamps); null with fewer than two.</summary>
    public required string? Frequency { get; init; }
    public required double? MedianGapDays { get; init; }
    /// <summary>A daily series with no Saturdays or Sundays: weekends are not counted as missing periods.</summary>
    public required bool BusinessDaysOnly { get; init; }
    /// <summary>Periods of <see cref="Frequency"/> with no row between the first and last timestamp.</summary>
    public required int MissingPeriods { get; init; }
    /// <summary>The largest gaps (up to five): the timestamps either side and how many periods are missing.</summary>
    public required IReadOnlyList<DateGap> Gaps { get; init; }
}

/// <summary>A run of missing periods between two present timestamps.</summary>
public sealed record DateGap(string From, string To, int MissingPeriods);

/// <summary>Statistics of a boolean column.</summary>
public sealed record BooleanStatistics : ColumnStatistics
{
    public required int TrueCount { get; init; }
    public required int FalseCount { get; init; }
    /// <summary>True values among cells with a value; null when there are none.</summary>
    public required double? TrueShare { get; init; }
}

/// <summary>Statistics of a column read as labels: the most frequent values with counts and shares.</summary>
public abstract record ValueCountStatistics : ColumnStatistics
{
    /// <summary>Up to ten most frequent values, most frequent first (ties by value).</summary>
    [JsonPropertyOrder(-1)]
    public required IReadOnlyList<ValueCount> TopValues { get; init; }
}

/// <summary>A value, how many cells hold it and its share of the cells with a value.</summary>
public sealed record ValueCount(string Value, int Count, double Share);

/// <summary>Statistics of a categorical column.</summary>
public sealed record CategoricalStatistics : ValueCountStatistics;

/// <summary>Statistics of a free-text column, with text lengths in characters.</summary>
public sealed record TextStatistics : ValueCountStatistics
{
    public required double? MeanLength { get; init; }
    public required int MaxLength { get; init; }
}

/// <summary>Statistics of an identifier column; duplicates are cells repeating an earlier value.</summary>
public sealed record IdStatistics : ValueCountStatistics
{
    public required int DuplicateCount { get; init; }
}

/// <summary>The kinds of <see cref="Pattern"/>.</summary>
public static class PatternTypes
{
    public const string Trend = "trend";
    public const string Outlier = "outlier";
    public const string Correlation = "correlation";
    public const string Seasonality = "seasonality";
    public const string MissingData = "missing_data";
    public const string Skew = "skew";
    public const string Concentration = "concentration";
}

/// <summary>A finding about one or more columns.</summary>
/// <param name="Type">One of <see cref="PatternTypes"/>.</param>
/// <param name="Columns">The columns the finding concerns (for trends: the measure, then the time column).</param>
/// <param name="Description">A sentence with the numbers behind the finding, formatted for people.</param>
/// <param name="Strength">0..1: r² for trends, |r| for correlations, autocorrelation for seasonality, a share for the others.</param>
/// <param name="Metrics">The raw figures behind the description (snake_case names such as slope, r_squared, pearson).</param>
public sealed record Pattern(
    string Type,
    IReadOnlyList<string> Columns,
    string Description,
    double Strength,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>The kinds of <see cref="Recommendation"/>.</summary>
public static class RecommendationTypes
{
    /// <summary>Fix or check the data: missing values, unparsable cells, outliers, duplicates, gaps.</summary>
    public const string Cleaning = "cleaning";
    /// <summary>Change how a column is shown or summarised: log scale, median instead of mean.</summary>
    public const string Transform = "transform";
    /// <summary>A chart worth making; <see cref="Recommendation.Chart"/> says how.</summary>
    public const string Chart = "chart";
}

/// <summary>Something a person can do, with the columns it concerns.</summary>
/// <param name="Type">One of <see cref="RecommendationTypes"/>.</param>
/// <param name="Text">The action in a sentence, with the numbers and rows it rests on.</param>
/// <param name="Columns">The columns it concerns.</param>
/// <param name="Chart">For chart recommendations: a chart request config that can be posted as is.</param>
public sealed record Recommendation(
    string Type,
    string Text,
    IReadOnlyList<string> Columns,
    RecommendedChart? Chart = null);

/// <summary>The chart a recommendation suggests, in the terms of the chart request's config.</summary>
/// <param name="ChartType">bar, horizontal_bar, line, scatter, histogram, doughnut...</param>
/// <param name="XColumn">Column on the x axis (for histograms: the measured column).</param>
/// <param name="YColumn">Column on the y axis; null when counting rows or for a histogram.</param>
/// <param name="Aggregation">sum, mean, count, min, max or median; null for scatter and histogram.</param>
/// <param name="TimeUnit">day, week, month, quarter or year for a time axis.</param>
public sealed record RecommendedChart(
    string ChartType,
    string XColumn,
    string? YColumn,
    string? Aggregation,
    string? TimeUnit);
