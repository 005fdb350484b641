using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Tests.Evaluation;

/// <summary>One labelled data set of the evaluation set: the types a person accepts per column and the charts a person accepts.</summary>
public sealed record LabelledDataSet(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("shape")] string Shape,
    [property: JsonPropertyName("charts")] IReadOnlyList<string> Charts,
    [property: JsonPropertyName("columns")] IReadOnlyDictionary<string, IReadOnlyList<string>> Columns,
    [property: JsonPropertyName("note")] string? Note = null);

/// <summary>How one data set fared: the inferred types that were not accepted and the first three suggestions.</summary>
public sealed record DataSetOutcome(LabelledDataSet Labels, IReadOnlyList<string> TypeMisses, int Columns,
    IReadOnlyList<string> TopThree, bool Top1, bool Top3, bool Diverse);

/// <summary>
/// Scores the real parser, type inference and recommender against the held-out labels in Evaluation/labels.json:
/// type accuracy over all columns, top-1 and top-3 over data sets, and the share of data sets whose top three
/// never repeat a chart type on the same columns.
/// </summary>
public sealed record SuggestionScore(double TypeAccuracy, double Top1, double Top3, double Diversity, IReadOnlyList<DataSetOutcome> DataSets)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Evaluation");

    public static IReadOnlyList<LabelledDataSet> Labels()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "labels.json")));
        return json.RootElement.GetProperty("data_sets").Deserialize<List<LabelledDataSet>>()!;
    }

    public static SuggestionScore Measure()
    {
        var outcomes = Labels().Select(Score).ToList();
        var columns = outcomes.Sum(o => o.Columns);
        return new SuggestionScore(
            1 - (double)outcomes.Sum(o => o.TypeMisses.Count) / columns,
            Share(outcomes, o => o.Top1), Share(outcomes, o => o.Top3), Share(outcomes, o => o.Diverse), outcomes);
    }

    static double Share(List<DataSetOutcome> outcomes, Func<DataSetOutcome, bool> hit) => (double)outcomes.Count(hit) / outcomes.Count;

    /// <summary>The file typed by the real parser, as an upload of it would be.</summary>
    public static DataSet Read(LabelledDataSet labels) =>
        DataFileReader.Read(Path.Combine(Folder, "Data", labels.File), labels.File, null, DataFileLimits.Default).Data;

    static DataSetOutcome Score(LabelledDataSet labels)
    {
        var data = Read(labels);
        var typeMisses = data.Columns
            .Where(c => !labels.Columns.TryGetValue(c.Name, out var accepted) || !accepted.Contains(c.Type))
            .Select(c => $"{c.Name}={c.Type} (accepts {string.Join("|", labels.Columns.GetValueOrDefault(c.Name) ?? ["?"])})")
            .ToList();
        var top = ChartRecommender.Suggest(data).Take(3).ToList();
        // "Same columns" ignores order: a scatter of a against b and of b against a show the same thing.
        var keys = top.Select(s => s.ChartType + ":" + string.Join(",",
            new[] { s.Config.XColumn, s.Config.GroupColumn }.Concat(s.Config.YColumn ?? []).OfType<string>().Order())).ToList();
        return new DataSetOutcome(labels, typeMisses, Math.Max(data.Columns.Count, labels.Columns.Count),
            top.Select(s => $"{s.ChartType}({s.Config.XColumn}→{string.Join("+", s.Config.YColumn ?? [])}{(s.Config.GroupColumn is { } g ? " by " + g : "")})").ToList(),
            top.Count > 0 && labels.Charts.Contains(top[0].ChartType),
            top.Any(s => labels.Charts.Contains(s.ChartType)),
            keys.Distinct().Count() == keys.Count);
    }

    public string Figures() =>
        $"data sets {DataSets.Count}, columns {DataSets.Sum(d => d.Columns)}\n" +
        $"type accuracy {TypeAccuracy:P1}\ntop-1 {Top1:P1}\ntop-3 {Top3:P1}\ndiversity {Diversity:P1}";

    /// <summary>One line per data set that missed anything: type misses, then the top three against the accepted charts.</summary>
    public string Misses()
    {
        var text = new StringBuilder();
        foreach (var d in DataSets.Where(d => d.TypeMisses.Count > 0 || !d.Top1 || !d.Diverse))
        {
            text.AppendLine($"{d.Labels.File} [{d.Labels.Shape}]");
            if (d.TypeMisses.Count > 0) text.AppendLine("  types: " + string.Join("; ", d.TypeMisses));
            if (!d.Top1 || !d.Diverse)
                text.AppendLine($"  charts: {(d.Top1 ? "" : d.Top3 ? "top-1 miss " : "top-3 miss ")}{(d.Diverse ? "" : "repeated ")}" +
                                $"accepts {string.Join("|", d.Labels.Charts)}; got {string.Join(", ", d.TopThree)}");
        }
        return text.ToString();
    }
}
