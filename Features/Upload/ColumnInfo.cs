namespace ChartCraft.Features.Upload;

/// <summary>
/// The API's description of a column (<c>column_info</c> in uploads and previews): its type, up to five distinct
/// sample values typed as JSON (numbers as numbers, dates as ISO strings), and counts of missing, distinct and
/// unparsable values.
/// </summary>
public sealed record ColumnInfo(
    string Name,
    string Type,
    IReadOnlyList<object?> SampleValues,
    int NullCount,
    int UniqueCount,
    string? Format,
    string? Unit,
    int InvalidCount)
{
    /// <summary>Samples describe a column; a long text (a 2 MB cell) is cut here so every source listing stays small.</summary>
    public const int MaxSampleLength = 200;

    /// <summary>Describes a typed column. Invalid values (text in a numeric column) count as null, as they read in previews.</summary>
    public static ColumnInfo From(DataColumn column)
    {
        var summary = column.Summary;
        var samples = summary.SampleRows
            .Select(row => column.ValueAt(row) is string { Length: > MaxSampleLength } text ? text[..MaxSampleLength] + "…" : column.ValueAt(row))
            .ToList();
        return new ColumnInfo(column.Name, column.Type, samples, summary.Missing, summary.Distinct, column.Format, column.Unit, column.InvalidCount);
    }
}
