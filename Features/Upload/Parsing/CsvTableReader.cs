using System.Buffers;
using System.Text;
using CsvHelper;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>A delimited text table and the separator it was found to use.</summary>
public sealed record CsvTable(RawTable Table, char Separator);

/// <summary>
/// Reads delimited text with CsvHelper: the separator is detected among , ; tab and | from how consistently
/// each splits the first lines (single spaces and ' quotes where those explain the file, see <see cref="CsvDialect"/>);
/// RFC 4180 quoting (escaped quotes, line breaks inside quotes); CRLF or LF.
/// Fields are read as UTF-8 spans and kept as bytes: no string is made per cell (see <see cref="Utf8Cells"/>).
/// </summary>
public static class CsvTableReader
{
    /// <summary>Reads UTF-8 text (see <see cref="TextDecoder"/>) into a table; 422 when it holds no data rows.</summary>
    /// <param name="separator">The separator the file is known to use; null to detect it.</param>
    public static CsvTable Read(byte[] utf8, int maxColumns, ICollection<string> warnings, char? separator = null)
    {
        var dialect = CsvDialect.Detect(utf8, separator, warnings);
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false, // the header is recognized afterwards, from the values (TableShaper)
            Separator = dialect.Separator,
            Quote = dialect.Quote,
            // Spaces around fields are trimmed later, cell by cell, where they cannot be the separator.
            TrimWhitespace = dialect.Separator != ' ',
            AllowLineBreaksInQuotes = true,
            // Empty lines are kept as empty records: they are where a second table starts (TableShaper skips them).
            SkipEmptyLines = false,
            DetectSeparatorHint = dialect.Separator is null,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };

        using var records = new Utf8Records(utf8);
        char used;
        using (var reader = CsvReader.Create(utf8, options))
        {
            while (reader.Read())
            {
                var count = reader.FieldCount;
                for (var i = 0; i < count; i++) records.AddField(reader.GetSpan(i));
                records.EndRecord();
            }
            used = reader.Separator;
        }

        var layout = TableShaper.Layout(records, ragged: true, maxColumns, warnings);
        return new CsvTable(new RawTable(layout.Names, records.Columns(layout), layout.Rows.Length), used);
    }

    /// <summary>
    /// The records as read: where each field lies and where each record ends. A field is a slice of the input when
    /// CsvHelper returns one (most fields); a field it had to unescape (doubled quotes) is copied to a side buffer.
    /// The index arrays are rented: a 10 MB file needs about 14 MB of them for the length of one read.
    /// </summary>
    sealed class Utf8Records(byte[] input) : ITableRecords, IDisposable
    {
        /// <summary>Cells from which copying them into columns is shared between two threads.</summary>
        const long ParallelCells = 100_000;

        byte[] _copied = new byte[256];
        int _copiedLength;
        // Per field: its offset in the input, or ~offset in the side buffer; and its length.
        int[] _fieldStarts = ParseBuffers<int>.Pool.Rent(Math.Max(input.Length / 8, 16));
        int[] _fieldLengths = ParseBuffers<int>.Pool.Rent(Math.Max(input.Length / 8, 16));
        int _fields;
        int[] _recordEnds = ParseBuffers<int>.Pool.Rent(Math.Max(input.Length / 32, 16)); // index past the record's last field
        int[] _filledLengths = ParseBuffers<int>.Pool.Rent(Math.Max(input.Length / 32, 16));
        int _records;
        int _recordFields;
        int _recordFilled;
        // Bytes per field position over all records: room enough for each column's cells.
        int[] _positionBytes = new int[16];

        public void AddField(ReadOnlySpan<byte> field)
        {
            if (_fields == _fieldStarts.Length)
            {
                Grow(ref _fieldStarts);
                Grow(ref _fieldLengths);
            }
            if (field.IsEmpty) _fieldStarts[_fields] = 0;
            else if (input.AsSpan().Overlaps(field, out var offset)) _fieldStarts[_fields] = offset;
            else
            {
                if (_copiedLength + field.Length > _copied.Length) Array.Resize(ref _copied, Math.Max(_copied.Length * 2, _copiedLength + field.Length));
                field.CopyTo(_copied.AsSpan(_copiedLength));
                _fieldStarts[_fields] = ~_copiedLength;
                _copiedLength += field.Length;
            }
            _fieldLengths[_fields++] = field.Length;
            if (_recordFields == _positionBytes.Length) Array.Resize(ref _positionBytes, _recordFields * 2);
            _positionBytes[_recordFields++] += field.Length;
            if (!field.IsEmpty) _recordFilled = _recordFields;
        }

        public void EndRecord()
        {
            if (_records == _recordEnds.Length)
            {
                Grow(ref _recordEnds);
                Grow(ref _filledLengths);
            }
            _filledLengths[_records] = _recordFilled;
            _recordEnds[_records++] = _fields;
            _recordFields = _recordFilled = 0;
        }

        static void Grow(ref int[] rented)
        {
            var larger = ParseBuffers<int>.Pool.Rent(rented.Length * 2);
            rented.CopyTo(larger, 0);
            ParseBuffers<int>.Pool.Return(rented);
            rented = larger;
        }

        public void Dispose()
        {
            foreach (var rented in new[] { _fieldStarts, _fieldLengths, _recordEnds, _filledLengths }) ParseBuffers<int>.Pool.Return(rented);
            _fieldStarts = _fieldLengths = _recordEnds = _filledLengths = [];
        }

        public int FilledLength(int record) => _filledLengths[record];

        public bool IsBlankLine(int record) => Length(record) == 1 && _filledLengths[record] == 0;

        /// <summary>Counted from the record's first field that lies in the input; only asked for a warning.</summary>
        public int LineOf(int record)
        {
            for (var field = FirstField(record); field < _recordEnds[record]; field++)
                if (_fieldStarts[field] >= 0 && _fieldLengths[field] > 0)
                    return input.AsSpan(0, _fieldStarts[field]).Count((byte)'\n') + 1;
            return record + 1;
        }

        public int Count => _records;

        int FirstField(int record) => record == 0 ? 0 : _recordEnds[record - 1];

        public int Length(int record) => _recordEnds[record] - FirstField(record);

        ReadOnlySpan<byte> Field(int record, int cell) => FieldAt(FirstField(record) + cell);

        public bool HasText(int record, int cell) => !Field(record, cell).IsEmpty;

        public string? Text(int record, int cell) => Field(record, cell) is { IsEmpty: false } bytes ? Encoding.UTF8.GetString(bytes) : null;

        /// <summary>
        /// The table's columns, their cells normalized. A pass in record order per half of the columns, the halves side by
        /// side on big tables: each pass reads the field arrays and the input front to back once (a pass per column read
        /// them all again for each column), and the two cores share the copying (parse + shape 58 → 45 ms on 200 000 rows).
        /// </summary>
        public CellTexts[] Columns(TableLayout layout)
        {
            var builders = new Utf8Cells.Builder[layout.Width];
            for (var c = 0; c < builders.Length; c++)
            {
                var source = layout.FirstColumn + c;
                builders[c] = new Utf8Cells.Builder(layout.Rows.Length, source < _positionBytes.Length ? _positionBytes[source] : 0);
            }
            var half = builders.Length / 2;
            if ((long)layout.Rows.Length * builders.Length >= ParallelCells && half > 0)
                Parallel.Invoke(() => Fill(layout, builders, 0, half), () => Fill(layout, builders, half, builders.Length));
            else Fill(layout, builders, 0, builders.Length);
            var columns = new CellTexts[builders.Length];
            for (var c = 0; c < columns.Length; c++) columns[c] = builders[c].Build();
            return columns;
        }

        /// <summary>Adds every record's cells of columns <paramref name="from"/> (inclusive) to <paramref name="to"/>.</summary>
        void Fill(TableLayout layout, Utf8Cells.Builder[] builders, int from, int to)
        {
            foreach (var record in layout.Rows)
            {
                var first = FirstField(record) + layout.FirstColumn;
                var present = Math.Min(Length(record) - layout.FirstColumn, to);
                var c = from;
                for (; c < present; c++) builders[c].Add(FieldAt(first + c));
                for (; c < to; c++) builders[c].Add(default);
            }
        }

        ReadOnlySpan<byte> FieldAt(int field)
        {
            var start = _fieldStarts[field];
            return start >= 0 ? input.AsSpan(start, _fieldLengths[field]) : _copied.AsSpan(~start, _fieldLengths[field]);
        }
    }
}
