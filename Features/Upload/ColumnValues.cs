using System.Collections;
using System.Runtime.CompilerServices;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Features.Upload;

/// <summary>
/// A numeric column's values: one <see cref="double"/> per cell, NaN for a missing or unparsable cell. Half the memory
/// of <c>double?[]</c>; readers index it as nullable values (the parser never produces NaN: non-finite numbers are refused).
/// </summary>
[CollectionBuilder(typeof(NumberValues), nameof(Create))]
public sealed class NumberValues(double[] values) : IReadOnlyList<double?>
{
    /// <summary>The values, NaN where missing: for loops that want no nullable at all.</summary>
    public ReadOnlySpan<double> Span => values;

    public double? this[int row] => double.IsNaN(values[row]) ? null : values[row];

    public int Length => values.Length;

    public int Count => values.Length;

    internal long EstimatedBytes => values.Length * 8L + 24;

    ValueSummary? _summary;

    /// <summary>Missing and distinct values, counted once: describing a column and suggesting charts both need them.</summary>
    public ValueSummary Summary => _summary ??= ValueSummary.Of(values, double.NaN);

    public IEnumerable<double> NonNull()
    {
        foreach (var value in values)
            if (!double.IsNaN(value)) yield return value;
    }

    public static NumberValues Create(ReadOnlySpan<double?> values)
    {
        var array = new double[values.Length];
        for (var i = 0; i < array.Length; i++) array[i] = values[i] ?? double.NaN;
        return new NumberValues(array);
    }

    public static implicit operator NumberValues(double?[] values) => Create(values);

    public IEnumerator<double?> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A date column's values as UTC ticks, <see cref="long.MinValue"/> for a missing cell: half the memory of
/// <c>DateTime?[]</c>. Readers index it as nullable UTC instants.
/// </summary>
[CollectionBuilder(typeof(DateValues), nameof(Create))]
public sealed class DateValues(long[] ticks) : IReadOnlyList<DateTime?>
{
    const long Missing = long.MinValue;

    public DateTime? this[int row] => ticks[row] == Missing ? null : new DateTime(ticks[row], DateTimeKind.Utc);

    public int Length => ticks.Length;

    public int Count => ticks.Length;

    internal long EstimatedBytes => ticks.Length * 8L + 24;

    ValueSummary? _summary;

    /// <summary>Missing and distinct instants, counted once.</summary>
    public ValueSummary Summary => _summary ??= ValueSummary.Of(ticks, Missing);

    public IEnumerable<DateTime> NonNull()
    {
        foreach (var t in ticks)
            if (t != Missing) yield return new DateTime(t, DateTimeKind.Utc);
    }

    public static DateValues Create(ReadOnlySpan<DateTime?> values)
    {
        var array = new long[values.Length];
        for (var i = 0; i < array.Length; i++) array[i] = values[i] is { } d ? ToUtc(d).Ticks : Missing;
        return new DateValues(array);
    }

    /// <summary>Instants are kept in UTC; an unspecified time is taken as UTC, as the parser produces it.</summary>
    static DateTime ToUtc(DateTime d) => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d;

    public static implicit operator DateValues(DateTime?[] values) => Create(values);

    public IEnumerator<DateTime?> GetEnumerator()
    {
        for (var i = 0; i < ticks.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The cell texts of a column, null for a missing cell. Held as fits the column: categories as a code per cell into
/// their few distinct values, identifiers and free text as UTF-8 (a string is made when a cell is read), others as strings.
/// </summary>
[CollectionBuilder(typeof(TextValues), nameof(Create))]
public abstract class TextValues : IReadOnlyList<string?>
{
    public abstract string? this[int row] { get; }

    public abstract int Length { get; }

    public int Count => Length;

    internal abstract long EstimatedBytes { get; }

    ValueSummary? _summary;

    /// <summary>Missing and distinct texts and the longest one: given by type inference, which counted them, or counted once.</summary>
    public ValueSummary Summary
    {
        get => _summary ??= Summarize();
        init => _summary = value;
    }

    /// <summary>Counts what <see cref="Summary"/> holds, with strings made at most once per distinct value.</summary>
    protected virtual ValueSummary Summarize()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstRows = new List<int>();
        var missing = 0;
        for (var row = 0; row < Length; row++)
        {
            if (this[row] is not { } text) missing++;
            else if (index.TryAdd(text, firstRows.Count)) firstRows.Add(row);
        }
        return ValueSummary.FromFirstRows(missing, firstRows, row => this[row]!.Length);
    }

    public static TextValues Create(ReadOnlySpan<string?> cells) => new StringTexts(cells.ToArray());

    public static implicit operator TextValues(string?[] cells) => new StringTexts(cells);

    /// <summary>Few distinct values over many cells: each cell is a code into <paramref name="values"/>, -1 when missing.</summary>
    public static TextValues Coded(int[] codes, string[] values, ValueSummary? summary = null) =>
        summary is null ? new CodedTexts(codes, values) : new CodedTexts(codes, values) { Summary = summary };

    /// <summary>Texts held as strings (workbooks, tests).</summary>
    public static TextValues Strings(string?[] cells, ValueSummary? summary = null) =>
        summary is null ? new StringTexts(cells) : new StringTexts(cells) { Summary = summary };

    /// <summary>Mostly distinct texts read from a text file: kept as the UTF-8 they were read as.</summary>
    public static TextValues Utf8(Utf8Cells cells, ValueSummary? summary = null) =>
        summary is null ? new Utf8Texts(cells) : new Utf8Texts(cells) { Summary = summary };

    public IEnumerator<string?> GetEnumerator()
    {
        for (var i = 0; i < Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    sealed class StringTexts(string?[] cells) : TextValues
    {
        public override string? this[int row] => cells[row];
        public override int Length => cells.Length;
        internal override long EstimatedBytes => DistinctStringBytes(cells);
    }

    sealed class CodedTexts(int[] codes, string[] values) : TextValues
    {
        public override string? this[int row] => codes[row] < 0 ? null : values[codes[row]];
        public override int Length => codes.Length;
        internal override long EstimatedBytes => codes.Length * 4L + DistinctStringBytes(values);

        protected override ValueSummary Summarize()
        {
            var firstRows = new int[values.Length];
            Array.Fill(firstRows, -1);
            var missing = 0;
            for (var row = 0; row < codes.Length; row++)
            {
                if (codes[row] < 0) missing++;
                else if (firstRows[codes[row]] < 0) firstRows[codes[row]] = row;
            }
            return ValueSummary.FromFirstRows(missing, firstRows.Where(r => r >= 0).Order().ToList(), row => this[row]!.Length);
        }
    }

    sealed class Utf8Texts(Utf8Cells cells) : TextValues
    {
        public override string? this[int row] => cells.IsMissing(row) ? null : System.Text.Encoding.UTF8.GetString(cells.Utf8(row));
        public override int Length => cells.Count;
        internal override long EstimatedBytes => cells.EstimatedBytes;

        protected override ValueSummary Summarize()
        {
            var distinct = cells.Distinct();
            return ValueSummary.FromFirstRows(distinct.Codes.Count(c => c < 0), distinct.FirstRows,
                row => System.Text.Encoding.UTF8.GetCharCount(cells.Utf8(row)));
        }
    }

    /// <summary>A reference per cell, and each string once however many cells share it.</summary>
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

/// <summary>
/// What describing a column needs without going over it again: missing cells, distinct values, the rows of the first
/// <see cref="Samples"/> distinct values in row order, and the longest text (0 for typed values).
/// </summary>
public sealed record ValueSummary(int Missing, int Distinct, int[] SampleRows, int Longest)
{
    public const int Samples = 5;

    internal static ValueSummary Of<T>(T[] values, T missingMarker) where T : struct, IEquatable<T>
    {
        var seen = new HashSet<T>();
        var samples = new List<int>(Samples);
        var missing = 0;
        for (var row = 0; row < values.Length; row++)
        {
            var value = values[row];
            // NaN is not equal to itself: the marker is recognized by its bits.
            if (value.Equals(missingMarker) || (value is double d && double.IsNaN(d))) missing++;
            else if (seen.Add(value) && samples.Count < Samples) samples.Add(row);
        }
        return new ValueSummary(missing, seen.Count, samples.ToArray(), 0);
    }

    /// <param name="firstRows">The first row of each distinct value, in row order.</param>
    /// <param name="length">A row's text length.</param>
    internal static ValueSummary FromFirstRows(int missing, IReadOnlyList<int> firstRows, Func<int, int> length)
    {
        var longest = 0;
        foreach (var row in firstRows) longest = Math.Max(longest, length(row));
        return new ValueSummary(missing, firstRows.Count, firstRows.Take(Samples).ToArray(), longest);
    }
}
