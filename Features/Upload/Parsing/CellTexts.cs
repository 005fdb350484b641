using System.Text;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// The cells of one column as type inference reads them: trimmed (see <see cref="MissingValues.Normalize"/>), with
/// missing markers as missing. Text files keep them as UTF-8 (<see cref="Utf8Cells"/>), so numbers and dates are parsed
/// without a string per cell; workbooks and tests as strings.
/// </summary>
public abstract class CellTexts
{
    /// <summary>Cells up to this length are decoded into the caller's scratch buffer; every parser refuses longer ones.</summary>
    public const int ScratchLength = 128;

    public abstract int Count { get; }

    public abstract bool IsMissing(int row);

    /// <summary>The text of a present cell, decoded into <paramref name="scratch"/> (<see cref="ScratchLength"/> chars) when it fits.</summary>
    public abstract ReadOnlySpan<char> Text(int row, Span<char> scratch);

    /// <summary>The cells as a column's texts (identifiers, free text), with the counts type inference made of them.</summary>
    internal abstract TextValues AsTextValues(ValueSummary? summary);

    /// <summary>Each cell's code among the column's distinct values (-1 when missing), and the first row holding each value.</summary>
    public abstract DistinctCells Distinct();

    /// <summary>Rough bytes held, for the size-bounded cache.</summary>
    internal abstract long EstimatedBytes { get; }

    /// <summary>Cells as read (untrimmed, missing markers included), normalized into a new array.</summary>
    public static CellTexts FromStrings(string?[] raw)
    {
        var cells = new string?[raw.Length];
        for (var i = 0; i < raw.Length; i++) cells[i] = MissingValues.Normalize(raw[i]);
        return new StringCells(cells);
    }
}

/// <summary>Normalized cells held as strings.</summary>
sealed class StringCells(string?[] cells) : CellTexts
{
    public override int Count => cells.Length;
    public override bool IsMissing(int row) => cells[row] is null;
    public override ReadOnlySpan<char> Text(int row, Span<char> scratch) => cells[row];
    internal override TextValues AsTextValues(ValueSummary? summary) => TextValues.Strings(cells, summary);

    public override DistinctCells Distinct() => DistinctCells.Of(this, new Dictionary<string, int>(StringComparer.Ordinal), (_, row) => cells[row]!);
    internal override long EstimatedBytes => cells.Sum(s => s is null ? 8L : 32L + s.Length * 2L);
}

/// <summary>
/// Normalized cells as UTF-8, back to back in one array: a column of 200 000 prices is two arrays instead of 200 000
/// strings. An empty cell is a missing one (trimming leaves no present cell empty).
/// </summary>
public sealed class Utf8Cells : CellTexts
{
    readonly byte[] _bytes;
    readonly int[] _ends;

    Utf8Cells(byte[] bytes, int[] ends) => (_bytes, _ends) = (bytes, ends);

    public override int Count => _ends.Length;

    public override bool IsMissing(int row) => Start(row) == _ends[row];

    int Start(int row) => row == 0 ? 0 : _ends[row - 1];

    public ReadOnlySpan<byte> Utf8(int row) => _bytes.AsSpan(Start(row), _ends[row] - Start(row));

    public override ReadOnlySpan<char> Text(int row, Span<char> scratch)
    {
        var utf8 = Utf8(row);
        if (utf8.Length > scratch.Length) return Encoding.UTF8.GetString(utf8);
        // Most cells are ASCII: widened without the general decoder's set-up.
        if (System.Text.Ascii.ToUtf16(utf8, scratch, out var written) == System.Buffers.OperationStatus.Done) return scratch[..written];
        return Encoding.UTF8.TryGetChars(utf8, scratch, out written) ? scratch[..written] : Encoding.UTF8.GetString(utf8);
    }

    public override DistinctCells Distinct() => DistinctCells.Of(this, new Dictionary<int, int>(new SameBytes(this)), (_, row) => row);

    /// <summary>Rows are equal when their UTF-8 is: distinct values are counted without making a string.</summary>
    sealed class SameBytes(Utf8Cells cells) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => cells.Utf8(a).SequenceEqual(cells.Utf8(b));

        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            hash.AddBytes(cells.Utf8(row));
            return hash.ToHashCode();
        }
    }

    internal override TextValues AsTextValues(ValueSummary? summary) => TextValues.Utf8(this, summary);

    internal override long EstimatedBytes => _bytes.Length + _ends.Length * 4L + 48;

    /// <summary>Accumulates a column's cells, normalizing each one.</summary>
    public sealed class Builder(int rows, int bytesHint)
    {
        byte[] _bytes = new byte[Math.Max(bytesHint, 16)];
        readonly int[] _ends = new int[rows];
        int _count;
        int _length;

        /// <summary>Adds a cell as read (untrimmed); blank-trimmed, and empty when it is a missing marker.</summary>
        public void Add(ReadOnlySpan<byte> utf8)
        {
            utf8 = Trim(utf8);
            if (IsMissing(utf8)) utf8 = default;
            if (_length + utf8.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + utf8.Length));
            utf8.CopyTo(_bytes.AsSpan(_length));
            _length += utf8.Length;
            _ends[_count++] = _length;
        }

        public Utf8Cells Build()
        {
            while (_count < _ends.Length) _ends[_count++] = _length;
            // Room left over (cells trimmed, rows left out) is kept unless it is worth a copy.
            return new Utf8Cells(_bytes.Length - _length > 4096 + _length / 8 ? _bytes[.._length] : _bytes, _ends);
        }

        /// <summary>Trims what <see cref="MissingValues.IsBlank"/> calls blank; ASCII edges are trimmed in place, others decoded.</summary>
        static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
        {
            // Nearly every cell starts and ends with a printable ASCII character.
            if (s.IsEmpty || (s[0] is > (byte)' ' and < 0x80 && s[^1] is > (byte)' ' and < 0x80)) return s;
            int start = 0, end = s.Length;
            while (start < end)
            {
                var b = s[start];
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
                else if (b < 0x80) break;
                else if (System.Text.Rune.DecodeFromUtf8(s[start..end], out var rune, out var used) == System.Buffers.OperationStatus.Done &&
                         rune.IsBmp && MissingValues.IsBlank((char)rune.Value)) start += used;
                else break;
            }
            while (end > start)
            {
                var b = s[end - 1];
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') end--;
                else if (b < 0x80) break;
                else if (System.Text.Rune.DecodeLastFromUtf8(s[start..end], out var rune, out var used) == System.Buffers.OperationStatus.Done &&
                         rune.IsBmp && MissingValues.IsBlank((char)rune.Value)) end -= used;
                else break;
            }
            return s[start..end];
        }

        static bool IsMissing(ReadOnlySpan<byte> utf8)
        {
            // Every marker is at most 4 chars and starts with one of these bytes ("—" and "–" are 3 bytes from 0xE2):
            // the other cells are told apart without decoding.
            if (utf8.Length == 0) return true;
            if (utf8.Length > 4 || utf8[0] is not ((byte)'-' or (byte)'.' or (byte)'N' or (byte)'n' or (byte)'#' or (byte)'<' or 0xE2)) return false;
            Span<char> chars = stackalloc char[4];
            return Encoding.UTF8.TryGetChars(utf8, chars, out var written) && MissingValues.IsMissing(chars[..written]);
        }
    }
}

/// <summary>A column dictionary-encoded: a code per cell (-1 when missing) and the first row of each distinct value.</summary>
public sealed record DistinctCells(int[] Codes, int[] FirstRows)
{
    public int Count => FirstRows.Length;

    /// <summary>Encodes <paramref name="cells"/> with <paramref name="codes"/>, keyed by what <paramref name="key"/> makes of a present row.</summary>
    internal static DistinctCells Of<TKey>(CellTexts cells, Dictionary<TKey, int> codes, Func<CellTexts, int, TKey> key) where TKey : notnull
    {
        var rowCodes = new int[cells.Count];
        var firstRows = new List<int>();
        for (var row = 0; row < rowCodes.Length; row++)
        {
            if (cells.IsMissing(row))
            {
                rowCodes[row] = -1;
                continue;
            }
            ref var code = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(codes, key(cells, row), out var seen);
            if (!seen)
            {
                code = firstRows.Count;
                firstRows.Add(row);
            }
            rowCodes[row] = code;
        }
        return new DistinctCells(rowCodes, firstRows.ToArray());
    }
}
