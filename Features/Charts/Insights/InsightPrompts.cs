using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>The model's answer for insights, as the strict JSON schema describes it.</summary>
public sealed record InsightAnswer(string Headline, IReadOnlyList<string> Insights, IReadOnlyList<string> Recommendations);

/// <summary>The model's answer for chart-type suggestions.</summary>
public sealed record SuggestionAnswer(IReadOnlyList<RankedCandidate> Suggestions);

/// <summary>One re-ranked candidate in <see cref="SuggestionAnswer"/>.</summary>
public sealed record RankedCandidate(string ChartType, string XColumn, string? YColumn, double Confidence, string Reason);

/// <summary>The model's answer for chart optimisation.</summary>
public sealed record OptimizationAnswer(IReadOnlyList<string> Tips);

/// <summary>
/// What is sent to the model: instructions, a compact summary of the chart (aggregated labels and
/// values, capped) and the computed facts — never rows of the uploaded file — plus the strict JSON
/// schemas the answers must follow, generated from the answer records so schema and parser agree.
/// </summary>
public static class InsightPrompts
{
    /// <summary>Snake_case, strict: unknown properties, missing properties and nulls where none are allowed all fail.</summary>
    public static readonly JsonSerializerOptions AnswerJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    static readonly JsonSerializerOptions PromptJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public const string InsightInstructions =
        """
        You write short, accurate insights about a chart for business readers.
        You receive the chart's aggregated data and facts computed from it.
        Rules:
        1. Every number you write must come from a fact (its text or figures) or from a label, written as shown
           or rounded (24.87 may be written 24.9 or 25). Do not calculate new numbers: no sums, differences,
           ratios, averages or forecasts that are not among the facts. Write no other digits.
        2. headline: one sentence of at most 12 words stating the most important finding.
        3. insights: 3 to 5 sentences (fewer only when there are fewer facts), most important first, each adding something new.
        4. recommendations: 1 to 3 concrete actions a reader could take.
        5. Plain English, no markdown.
        """;

    public const string SuggestionInstructions =
        """
        You help people choose a chart for their data. You receive a profile of the data set's columns and
        chart candidates found by rules. Re-rank the candidates, best first; give each a confidence between 0 and 1
        and a one-sentence reason a non-expert understands. Use only the given candidates: copy chart_type,
        x_column and y_column exactly, invent none, and return every candidate once.
        """;

    public const string OptimizationInstructions =
        """
        You review a chart and suggest how to make it clearer and more honest. You receive the chart's type and
        shape, facts computed from its data and tips found by rules. Return 2 to 5 short, concrete tips, one
        sentence each, most useful first. Use only numbers that appear in the input.
        """;

    public static BinaryData InsightSchema { get; } = Schema<InsightAnswer>();
    public static BinaryData SuggestionSchema { get; } = Schema<SuggestionAnswer>();
    public static BinaryData OptimizationSchema { get; } = Schema<OptimizationAnswer>();

    /// <summary>The user message for insights: the chart summary and its facts.</summary>
    public static string ForInsights(AggregatedChart chart, string title, IReadOnlyList<InsightFact> facts, int maxPoints) =>
        JsonSerializer.Serialize(new
        {
            Chart = Summarize(chart, title, maxPoints),
            Facts = facts.Select(FactView),
        }, PromptJson);

    /// <summary>The user message for chart optimisation: the chart's shape, its facts and the rule-based tips.</summary>
    public static string ForOptimization(AggregatedChart chart, string title, IReadOnlyList<InsightFact> facts,
        IReadOnlyList<string> ruleTips, int maxPoints) =>
        JsonSerializer.Serialize(new
        {
            Chart = Summarize(chart, title, maxPoints),
            Shape = Shape(chart),
            Facts = facts.Select(FactView),
            RuleBasedTips = ruleTips,
        }, PromptJson);

    /// <summary>The user message for chart-type suggestions: a column profile (no cell values) and the candidates.</summary>
    public static string ForSuggestions(DataSet data, IReadOnlyList<ChartTypeCandidate> candidates) =>
        JsonSerializer.Serialize(new
        {
            Rows = data.RowCount,
            Columns = data.Columns.Select(Profile),
            Candidates = candidates,
        }, PromptJson);

    /// <summary>The numbers the chart-shape message states, so tips may repeat them.</summary>
    public static IEnumerable<string> ShapeNumbers(AggregatedChart chart)
    {
        var shape = Shape(chart);
        yield return shape.Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return shape.Series.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return shape.MissingValues.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return shape.LongestLabel.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    static object FactView(InsightFact f) => new
    {
        f.Kind,
        f.Text,
        Figures = f.Figures.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
        f.Labels,
        f.Series,
    };

    static object Summarize(AggregatedChart chart, string title, int maxPoints)
    {
        if (chart.Points is { Count: > 0 } points)
        {
            var kept = Sample(points.Count, maxPoints);
            return new
            {
                Title = title,
                chart.ChartType,
                X = new { Column = chart.XColumn },
                Y = new { Column = chart.YColumn ?? chart.Measure, chart.Unit },
                TotalPoints = points.Count,
                Points = kept.Select(i => new { X = Math.Round(points[i].X, 4), Y = Math.Round(points[i].Y, 4), points[i].Label }),
            };
        }
        var indices = Sample(chart.Labels.Count, maxPoints);
        return new
        {
            Title = title,
            chart.ChartType,
            X = new { Column = chart.XColumn, Kind = chart.XKind, chart.TimeUnit },
            chart.Measure,
            chart.Aggregation,
            chart.Unit,
            TotalLabels = chart.Labels.Count,
            Labels = indices.Select(i => chart.Labels[i]),
            Series = chart.Series.Select(s => new
            {
                s.Name,
                Values = indices.Select(i => i < s.Values.Count && s.Values[i] is { } v && double.IsFinite(v) ? Math.Round(v, 4) : (double?)null),
            }),
        };
    }

    /// <summary>Evenly spaced indices, always keeping the first and last, at most <paramref name="max"/>.</summary>
    static IReadOnlyList<int> Sample(int count, int max)
    {
        if (count <= max) return Enumerable.Range(0, count).ToList();
        if (max <= 1) return [0];
        return Enumerable.Range(0, max).Select(k => (int)Math.Round(k * (count - 1) / (double)(max - 1))).Distinct().ToList();
    }

    static ChartShape Shape(AggregatedChart chart) => new(
        chart.Points?.Count ?? chart.Labels.Count,
        chart.Points is null ? chart.Series.Count : 1,
        chart.Series.Sum(s => s.Values.Count(v => v is null)),
        chart.Labels.Count == 0 ? 0 : chart.Labels.Max(l => l.Length),
        chart.Series.Any(s => s.Values.Any(v => v < 0)));

    sealed record ChartShape(int Points, int Series, int MissingValues, int LongestLabel, bool HasNegativeValues);

    static object Profile(DataColumn column)
    {
        var nonNull = column.Length - column.NullCount;
        return new
        {
            column.Name,
            column.Type,
            column.Unit,
            column.Format,
            NonEmpty = nonNull,
            Distinct = column.DistinctCount,
            Min = column.Numbers?.Where(v => v is not null).DefaultIfEmpty().Min(),
            Max = column.Numbers?.Where(v => v is not null).DefaultIfEmpty().Max(),
            From = column.Dates?.Where(v => v is not null).DefaultIfEmpty().Min() is { } from ? DataColumn.FormatDate(from) : null,
            To = column.Dates?.Where(v => v is not null).DefaultIfEmpty().Max() is { } to ? DataColumn.FormatDate(to) : null,
        };
    }

    static BinaryData Schema<T>()
    {
        var node = AnswerJson.GetJsonSchemaAsNode(typeof(T), new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            // Strict structured outputs require every object to forbid properties it does not list.
            TransformSchemaNode = (_, schema) =>
            {
                if (schema is JsonObject obj && obj.ContainsKey("properties")) obj["additionalProperties"] = false;
                return schema;
            },
        });
        return BinaryData.FromString(node.ToJsonString());
    }
}
