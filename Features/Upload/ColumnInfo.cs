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
    const int Samples = 5;

    /// <summary>Samples describe a column; a long text (a 2 MB cell) is cut here so every source listing stays small.</summary>
    public const int MaxSampleLength = 200;

    /// <summary>Describes a typed column. Invalid values (text in a numeric column) count as null, as they read in previews.</summary>
    public static ColumnInfo From(DataColumn column)
    {
        var (nulls, unique, samples) = column.Type switch
        {
            ColumnTypes.Numeric => Describe(column, column.Numbers!),
            ColumnTypes.Datetime => Describe(column, column.Dates!),
            ColumnTypes.Boolean => Describe(column, column.Booleans!),
            _ => Describe(column, column.Raw),
        };
        return new ColumnInfo(column.Name, column.Type, samples, nulls, unique, column.Format, column.Unit, column.InvalidCount);
    }

    // Typed sets avoid boxing every value and formatting every date just to count them.
    static (int Nulls, int Unique, List<object?> Samples) Describe<T>(DataColumn column, IReadOnlyList<T?> values) where T : struct =>
        Describe(column, values, v => v.HasValue, v => v!.Value);

    static (int Nulls, int Unique, List<object?> Samples) Describe(DataColumn column, TextValues values) =>
        Describe(column, values, v => v is not null, v => v!);

    static (int Nulls, int Unique, List<object?> Samples) Describe<TCell, TKey>(DataColumn column, IReadOnlyList<TCell> values,
        Func<TCell, bool> hasValue, Func<TCell, TKey> key) where TKey : notnull
    {
        var samples = new List<object?>(Samples);
        var distinct = new HashSet<TKey>();
        var nulls = 0;
        for (var row = 0; row < values.Count; row++)
        {
            var value = values[row];
            if (!hasValue(value))
            {
                nulls++;
                continue;
            }
            if (distinct.Add(key(value)) && samples.Count < Samples)
                samples.Add(column.ValueAt(row) is string { Length: > MaxSampleLength } text ? text[..MaxSampleLength] + "…" : column.ValueAt(row));
        }
        return (nulls, distinct.Count, samples);
    }
}
