using System.Globalization;

namespace ChartCraft.Features.Upload;

/// <summary>The column types of the API contract.</summary>
public static class ColumnTypes
{
    public const string Numeric = "numeric";
    public const string Datetime = "datetime";
    public const string Boolean = "boolean";
    public const string Categorical = "categorical";
    public const string Text = "text";
    public const string Id = "id";
}

/// <summary>
/// A parsed, typed data set: every column has <see cref="RowCount"/> cells; null is a missing cell.
/// This is what the read path caches and what analysis, charts and exports compute from.
/// </summary>
public sealed class DataSet
{
    public required IReadOnlyList<DataColumn> Columns { get; init; }
    public required int RowCount { get; init; }

    public DataColumn? Find(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Rough bytes held, for the size-bounded cache.</summary>
    public long EstimatedBytes => Columns.Sum(c => c.EstimatedBytes);
}

/// <summary>
/// One typed column, stored compactly (see <see cref="NumberValues"/>, <see cref="DateValues"/>, <see cref="TextValues"/>):
/// exactly one of the typed arrays is filled for numeric, datetime and boolean columns; the others hold their texts.
/// </summary>
public sealed class DataColumn
{
    TextValues? _raw;

    public required string Name { get; init; }
    /// <summary>One of <see cref="ColumnTypes"/>.</summary>
    public required string Type { get; init; }
    /// <summary>Date pattern found ("dd/MM/yyyy", "yyyy-MM", "yyyy"...) or number style, when it applies.</summary>
    public string? Format { get; init; }
    /// <summary>"%", "$", "€", "£"... when the values carried one.</summary>
    public string? Unit { get; init; }
    /// <summary>Non-missing cells that did not parse as <see cref="Type"/> (they are null in the typed array).</summary>
    public int InvalidCount { get; init; }

    /// <summary>The text of each invalid cell by row, so <see cref="Raw"/> still shows what the file said there.</summary>
    internal IReadOnlyDictionary<int, string>? InvalidTexts { get; init; }

    /// <summary>
    /// The cell texts. A typed column does not keep the texts it was read from (no reader needs them, and they cost
    /// as much memory as the values): they are its values written out, made the first time they are asked for.
    /// </summary>
    public TextValues Raw
    {
        get => _raw ?? Interlocked.CompareExchange(ref _raw, WrittenValues(), null) ?? _raw!;
        init => _raw = value;
    }

    public NumberValues? Numbers { get; init; }
    /// <summary>UTC instants; dates without a time are midnight UTC.</summary>
    public DateValues? Dates { get; init; }
    public bool?[]? Booleans { get; init; }

    /// <summary>Cells in the column (the data set's row count), without making <see cref="Raw"/>'s strings.</summary>
    public int Length => Numbers?.Length ?? Dates?.Length ?? Booleans?.Length ?? Raw.Length;

    /// <summary>Distinct non-missing values, counted on the typed array where there is one.</summary>
    public int DistinctCount => Summary.Distinct;

    public int NullCount => Summary.Missing;

    /// <summary>Missing and distinct values and the first distinct ones, counted once per column (see <see cref="ValueSummary"/>).</summary>
    public ValueSummary Summary => Type switch
    {
        ColumnTypes.Numeric => Numbers!.Summary,
        ColumnTypes.Datetime => Dates!.Summary,
        ColumnTypes.Boolean => _booleanSummary ??= BooleanSummary(Booleans!),
        _ => Raw.Summary,
    };

    ValueSummary? _booleanSummary;

    static ValueSummary BooleanSummary(bool?[] values)
    {
        var flags = new sbyte[values.Length];
        for (var i = 0; i < flags.Length; i++) flags[i] = values[i] is { } b ? (sbyte)(b ? 1 : 0) : (sbyte)-1;
        return ValueSummary.Of(flags, (sbyte)-1);
    }

    /// <summary>The cell as a JSON-ready value: number, ISO 8601 string, bool, string or null.</summary>
    public object? ValueAt(int row) => Type switch
    {
        ColumnTypes.Numeric => Numbers![row],
        ColumnTypes.Datetime => Dates![row] is { } d ? FormatDate(d) : null,
        ColumnTypes.Boolean => Booleans![row],
        _ => Raw[row],
    };

    public static string FormatDate(DateTime d) =>
        d.TimeOfDay == TimeSpan.Zero
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A typed column's values as text: numbers in invariant form, dates in ISO 8601, flags as true/false, and the
    /// invalid cells as the file wrote them.
    /// </summary>
    TextValues WrittenValues()
    {
        var texts = new string?[Length];
        for (var row = 0; row < texts.Length; row++)
            texts[row] = ValueAt(row) switch
            {
                double v => v.ToString("R", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                null => InvalidTexts?.GetValueOrDefault(row),
                var other => (string)other,
            };
        return texts;
    }

    internal long EstimatedBytes =>
        (Numbers?.EstimatedBytes ?? 0) + (Dates?.EstimatedBytes ?? 0) + (Booleans?.Length ?? 0) * 2L +
        (Numbers is null && Dates is null && Booleans is null ? Raw.EstimatedBytes : 0);
}

/// <summary>Typed column values without their nulls.</summary>
public static class NullableValues
{
    /// <summary>The non-null values in order; unlike OfType over a nullable array, nothing is boxed.</summary>
    public static IEnumerable<T> NonNull<T>(this IEnumerable<T?> values) where T : struct
    {
        foreach (var value in values)
            if (value.HasValue) yield return value.GetValueOrDefault();
    }
}
