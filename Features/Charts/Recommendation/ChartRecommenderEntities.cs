using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Recommendation;

/// <summary>
/// Rows that are entities (one country, state or car per row, named in a column): a bar per entity when all of them
/// fit on one chart, a scatter of two related measures when there are too many for bars (every entity is a point).
/// </summary>
public static partial class ChartRecommender
{
    /// <summary>
    /// The most entities a bar per entity still shows whole or nearly (50 states, DC and a few territories);
    /// beyond this the bars keep only the top N and a scatter shows every entity instead.
    /// </summary>
    public const int MaxEntityBars = 60;

    /// <summary>Names that repeat less than this (a few cars share a model name) still name one entity per row.</summary>
    const double EntityUniqueShare = 0.75;

    /// <summary>Two measures at least this correlated are worth relating in a scatter of many entities.</summary>
    const double RelatedMeasures = 0.4;

    /// <summary>
    /// Short names, one per row or nearly: the column that says what each row is. Only the length is checked here:
    /// 40 characters keep sentences out, and an odd long model name ("chrysler lebaron town @ country (sw)") is still a name.
    /// </summary>
    static Profile? EntityColumn(List<Profile> profiles, int rows) =>
        profiles.FirstOrDefault(p => p.Column.Type is ColumnTypes.Text or ColumnTypes.Categorical
                                     && rows >= 5 && p.Distinct >= EntityUniqueShare * rows && p.Column.Summary.Longest <= EntityNameLength);

    /// <summary>Each row is one entity and all of them fit as bars: a bar per entity compares them directly.</summary>
    static bool IsEntityPerRow(Profile category, int rows) =>
        category.Distinct == rows && category.Distinct <= MaxEntityBars && LooksLikeNames(category.Column);

    static bool LooksLikeNames(DataColumn column) =>
        column.Summary.Longest <= EntityNameLength
        && column.Raw.All(v => v is null || v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= EntityNameWords);
}
