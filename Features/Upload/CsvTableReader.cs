using System.Text;
using CsvHelper;

namespace ChartCraft.Features.Upload;

/// <summary>A delimited text table and the separator it was found to use.</summary>
public sealed record CsvTable(RawTable Table, char Separator);

/// <summary>
/// Reads delimited text with CsvHelper: the separator is detected among , ; tab and | from how consistently
/// each splits the first lines; RFC 4180 quoting (escaped quotes, line breaks inside quotes); CRLF or LF.
/// Fields are read as UTF-8 spans and kept as bytes: no string is made per cell (see <see cref="Utf8Cells"/>).
/// </summary>
public static class CsvTableReader
{
    /// <summary>Cells above which columns are copied out in parallel; below it, starting tasks costs more than it saves.</summary>
    const long ParallelCells = 100_000;

    /// <summary>Reads UTF-8 text (see <see cref="TextDecoder"/>) into a table; 422 when it holds no data rows.</summary>
    public static CsvTable Read(byte[] utf8, int maxColumns, ICollection<string> warnings)
    {
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false, // the header is recognized afterwards, from the values (TableShaper)
            Separator = null,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };

        var records = new Utf8Records(utf8);
        char separator;
        using (var reader = CsvReader.Create(utf8, options))
        {
            while (reader.Read())
            {
                var count = reader.FieldCount;
                for (var i = 0; i < count; i++) records.AddField(reader.GetSpan(i));
                records.EndRecord();
            }
            separator = reader.Separator;
        }

        var layout = TableShaper.Layout(records, ragged: true, maxColumns, warnings);
        var columns = new CellTexts[layout.Width];
        void Copy(int c) => columns[c] = records.Column(layout, c);
        if ((long)layout.Rows.Length * columns.Length >= ParallelCells) Parallel.For(0, columns.Length, Copy);
        else for (var c = 0; c < columns.Length; c++) Copy(c);
        return new CsvTable(new RawTable(layout.Names, columns, layout.Rows.Length), separator);
    }

    /// <summary>
    /// The records as read: where each field lies and where each record ends. A field is a slice of the input when
    /// CsvHelper returns one (most fields); a field it had to unescape (doubled quotes) is copied to a side buffer.
    /// </summary>
    sealed class Utf8Records(byte[] input) : ITableRecords
    {
        byte[] _copied = new byte[256];
        int _copiedLength;
        // Per field: its offset in the input, or ~offset in the side buffer; and its length.
        int[] _fieldStarts = new int[Math.Max(input.Length / 8, 16)];
        int[] _fieldLengths = new int[Math.Max(input.Length / 8, 16)];
        int _fields;
        int[] _recordEnds = new int[Math.Max(input.Length / 32, 16)]; // index past the record's last field
        int[] _filledLengths = new int[Math.Max(input.Length / 32, 16)];
        int _records;
        int _recordFields;
        int _recordFilled;
        // Bytes per field position over all records: room enough for each column's cells.
        int[] _positionBytes = new int[16];

        public void AddField(ReadOnlySpan<byte> field)
        {
            if (_fields == _fieldStarts.Length)
            {
                Array.Resize(ref _fieldStarts, _fields * 2);
                Array.Resize(ref _fieldLengths, _fields * 2);
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
                Array.Resize(ref _recordEnds, _records * 2);
                Array.Resize(ref _filledLengths, _records * 2);
            }
            _filledLengths[_records] = _recordFilled;
            _recordEnds[_records++] = _fields;
            _recordFields = _recordFilled = 0;
        }

        public int FilledLength(int record) => _filledLengths[record];

        public int Count => _records;

        int FirstField(int record) => record == 0 ? 0 : _recordEnds[record - 1];

        public int Length(int record) => _recordEnds[record] - FirstField(record);

        ReadOnlySpan<byte> Field(int record, int cell)
        {
            var field = FirstField(record) + cell;
            var start = _fieldStarts[field];
            return start >= 0 ? input.AsSpan(start, _fieldLengths[field]) : _copied.AsSpan(~start, _fieldLengths[field]);
        }

        public bool HasText(int record, int cell) => !Field(record, cell).IsEmpty;

        public string? Text(int record, int cell) => Field(record, cell) is { IsEmpty: false } bytes ? Encoding.UTF8.GetString(bytes) : null;

        /// <summary>Column <paramref name="c"/> of the table, its cells normalized.</summary>
        public Utf8Cells Column(TableLayout layout, int c)
        {
            var source = layout.FirstColumn + c;
            var builder = new Utf8Cells.Builder(layout.Rows.Length, source < _positionBytes.Length ? _positionBytes[source] : 0);
            foreach (var record in layout.Rows)
                builder.Add(source < Length(record) ? Field(record, source) : default);
            return builder.Build();
        }
    }
}
