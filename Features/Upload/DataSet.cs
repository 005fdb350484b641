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
/// One typed column. <see cref="Raw"/> always holds the trimmed cell text (null for missing markers);
/// exactly one of the typed arrays is filled for numeric, datetime and boolean columns.
/// </summary>
public sealed class DataColumn
{
    string?[]? _raw;

    public required string Name { get; init; }
    /// <summary>One of <see cref="ColumnTypes"/>.</summary>
    public required string Type { get; init; }
    /// <summary>Date pattern found ("dd/MM/yyyy", "yyyy-MM", "yyyy"...) or number style, when it applies.</summary>
    public string? Format { get; init; }
    /// <summary>"%", "$", "€", "£"... when the values carried one.</summary>
    public string? Unit { get; init; }
    /// <summary>Non-missing cells that did not parse as <see cref="Type"/> (they are null in the typed array).</summary>
    public int InvalidCount { get; init; }
    /// <summary>
    /// The cell texts. Numeric, datetime and boolean columns read from text keep them as UTF-8 (<see cref="RawCells"/>)
    /// and make these strings the first time they are asked for: most readers use the typed arrays only.
    /// </summary>
    public string?[] Raw
    {
        get => _raw ?? Interlocked.CompareExchange(ref _raw, RawCells!.ToStrings(), null) ?? _raw!;
        init => _raw = value;
    }

    /// <summary>The cell texts <see cref="Raw"/> is made from when it was not given.</summary>
    internal CellTexts? RawCells { get; init; }

    public double?[]? Numbers { get; init; }
    /// <summary>UTC instants; dates without a time are midnight UTC.</summary>
    public DateTime?[]? Dates { get; init; }
    public bool?[]? Booleans { get; init; }

    /// <summary>Cells in the column (the data set's row count), without making <see cref="Raw"/>'s strings.</summary>
    public int Length => Numbers?.Length ?? Dates?.Length ?? Booleans?.Length ?? Raw.Length;

    /// <summary>Distinct non-missing values, counted on the typed array where there is one.</summary>
    public int DistinctCount => Type switch
    {
        ColumnTypes.Numeric => Numbers!.NonNull().Distinct().Count(),
        ColumnTypes.Datetime => Dates!.NonNull().Distinct().Count(),
        ColumnTypes.Boolean => Booleans!.NonNull().Distinct().Count(),
        _ => Raw.Where(v => v is not null).Distinct().Count(),
    };

    public int NullCount => Type switch
    {
        ColumnTypes.Numeric => Numbers!.Count(v => v is null),
        ColumnTypes.Datetime => Dates!.Count(v => v is null),
        ColumnTypes.Boolean => Booleans!.Count(v => v is null),
        _ => Raw.Count(v => v is null),
    };

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

    internal long EstimatedBytes =>
        (_raw is null ? RawCells!.EstimatedBytes : DistinctStringBytes(_raw)) + (Numbers?.Length ?? 0) * 16L +
        (Dates?.Length ?? 0) * 16L + (Booleans?.Length ?? 0) * 2L;

    /// <summary>A reference per cell, and each string once however many cells share it (categories).</summary>
    static long DistinctStringBytes(string?[] cells)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        long bytes = cells.Length * 8L;
        foreach (var s in cells)
            if (s is not null && seen.Add(s))
                bytes += 22L + s.Length * 2L;
        return bytes;
    }
}

/// <summary>Typed column values without their nulls.</summary>
public static class NullableValues
{
    /// <summary>The non-null values in order; unlike OfType over a nullable array, nothing is boxed.</summary>
    public static IEnumerable<T> NonNull<T>(this T?[] values) where T : struct
    {
        foreach (var value in values)
            if (value.HasValue) yield return value.GetValueOrDefault();
    }
}
