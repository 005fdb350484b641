namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// Turns the records read from a file into a rectangular <see cref="RawTable"/>: finds the header, names the
/// columns, pads short rows and cuts long ones (counting them in a warning), and drops empty rows, title rows above
/// the table, unnamed empty columns at its edges (when there is a header) and a second table below the first.
/// </summary>
public static class TableShaper
{
    /// <summary>Rows the header detection looks at; it compares the first row with a sample of those below.</summary>
    const int HeaderSample = 201;

    /// <param name="records">The rows as read; cells are trimmed text or null.</param>
    /// <param name="ragged">Whether rows of another length than the header are a problem worth a warning (CSV) or normal (xlsx, where empty cells are absent).</param>
    /// <param name="maxColumns">More columns than this are refused (422).</param>
    /// <param name="warnings">Receives what the user should know about how the file was read.</param>
    public static RawTable Shape(List<string?[]> records, bool ragged, int maxColumns, ICollection<string> warnings)
    {
        var layout = Layout(new StringRecords(records), ragged, maxColumns, warnings);
        var columns = new CellTexts[layout.Width];
        for (var c = 0; c < columns.Length; c++)
        {
            var cells = new string?[layout.Rows.Length];
            var source = layout.FirstColumn + c;
            for (var r = 0; r < cells.Length; r++)
            {
                var record = records[layout.Rows[r]];
                if (source < record.Length) cells[r] = record[source];
            }
            columns[c] = CellTexts.FromStrings(cells);
        }
        return new RawTable(layout.Names, columns, layout.Rows.Length);
    }

    /// <summary>
    /// Decides the table's shape without copying a cell: which records are its data rows, whether the first is a header,
    /// and which cells of each record are its columns.
    /// </summary>
    public static TableLayout Layout<TRecords>(TRecords records, bool ragged, int maxColumns, ICollection<string> warnings)
        where TRecords : ITableRecords
    {
        // Records are referred to by their index; warnings name them by position in the file (1-based, header included).
        var rows = new List<int>(records.Count);
        for (var i = 0; i < records.Count; i++) rows.Add(i);

        TrimEmptyRows(records, rows);
        if (rows.Count == 0)
            throw UploadProblems.Unparsable("The file contains no data: no row has a value.");
        RemoveTitleRows(records, rows, warnings);
        if (ragged) SecondTable.Cut(records, rows, warnings);
        // Blank lines are layout; rows of empty cells (",,,") are rows the file holds without values.
        var skipped = rows.Count(r => !HasValue(records, r) && !records.IsBlankLine(r));
        rows.RemoveAll(r => !HasValue(records, r));

        var sample = rows.Take(HeaderSample).Select(r => Cells(records, r)).ToList();
        var hasHeader = HeaderDetector.FirstRowIsHeader(sample);
        var header = hasHeader ? HeaderNames(sample, warnings) : null;
        var dataStart = header is null ? 0 : header.Rows;
        var rowCount = rows.Count - dataStart;
        if (rowCount == 0)
            throw UploadProblems.Unparsable("The file has a header row but no data rows.");

        var width = Width(records, rows, dataStart, header?.Width ?? 0, ragged, warnings);
        if (width > maxColumns)
            throw UploadProblems.Unparsable($"The file has {width:N0} columns; at most {maxColumns:N0} are supported.");

        if (ragged) CountRaggedRows(records, rows, dataStart, width, warnings);
        if (skipped > 0) warnings.Add($"{skipped} empty row{(skipped == 1 ? " was" : "s were")} skipped.");
        if (!hasHeader) warnings.Add("The first row holds data, not column names: the columns were named column_1, column_2, …");

        var headerCells = new string?[width];
        if (header is not null) Array.Copy(header.Names, headerCells, Math.Min(header.Names.Length, width));
        var names = ColumnNames.Clean(headerCells);
        var dataRows = rows.GetRange(dataStart, rowCount).ToArray();
        // Without a header, every column the rows have cells for is kept, empty or not: nothing tells a column from a
        // stray separator, and column_N of a later upload of the same export must be the same column.
        var (start, end) = hasHeader || !ragged ? WithoutEmptyEdgeColumns(records, dataRows, headerCells) : (0, width);
        if (start >= end) throw UploadProblems.Unparsable("The file contains no data: every column is empty.");
        return new TableLayout(dataRows, names[start..end], start, end - start);
    }

    /// <summary>The header's cells, merged from two rows when the second is a header too (see <see cref="TwoRowHeader"/>).</summary>
    sealed record Header(string?[] Names, int Rows, int Width);

    static Header HeaderNames(List<string?[]> sample, ICollection<string> warnings)
    {
        var top = sample[0];
        if (TwoRowHeader.Merge(sample) is not { } merged) return new Header(top, 1, Math.Max(FilledLength(top), 1));
        warnings.Add($"The header spans two rows; names were merged, e.g. '{TwoRowHeader.Example(merged, sample[1])}'.");
        return new Header(merged, 2, Math.Max(FilledLength(merged), 1));
    }

    static int FilledLength(string?[] cells)
    {
        var length = cells.Length;
        while (length > 0 && string.IsNullOrWhiteSpace(cells[length - 1])) length--;
        return length;
    }

    static string?[] Cells<TRecords>(TRecords records, int record) where TRecords : ITableRecords
    {
        var cells = new string?[records.Length(record)];
        for (var c = 0; c < cells.Length; c++) cells[c] = records.Text(record, c);
        return cells;
    }

    /// <summary>
    /// Report titles above the table ("Sales by region, 2024" in A1, then maybe a blank row, then the header): a row
    /// with a single value followed by rows with several. At most three are skipped, with the blank rows after them.
    /// </summary>
    static void RemoveTitleRows<TRecords>(TRecords records, List<int> rows, ICollection<string> warnings) where TRecords : ITableRecords
    {
        for (var titles = 0; titles < 3; titles++)
        {
            if (rows.Count < 3) return;
            var next = rows.FindIndex(1, r => HasValue(records, r));
            var after = next < 0 || next + 1 >= rows.Count ? -1 : rows.FindIndex(next + 1, r => HasValue(records, r));
            if (after < 0 || FilledCount(records, rows[0]) != 1 || FilledCount(records, rows[next]) < 2 || FilledCount(records, rows[after]) < 2) return;
            var title = Cells(records, rows[0]).First(c => c is not null)!;
            warnings.Add($"The title row \"{(title.Length > 60 ? title[..60] + "…" : title)}\" above the table was skipped.");
            rows.RemoveRange(0, next);
        }
    }

    static int FilledCount<TRecords>(TRecords records, int record) where TRecords : ITableRecords
    {
        var count = 0;
        for (var c = 0; c < records.Length(record); c++)
            if (records.HasText(record, c)) count++;
        return count;
    }

    /// <summary>Removes the rows without any value before the first and after the last row with one.</summary>
    static void TrimEmptyRows<TRecords>(TRecords records, List<int> rows) where TRecords : ITableRecords
    {
        var last = rows.FindLastIndex(r => HasValue(records, r));
        rows.RemoveRange(last + 1, rows.Count - last - 1);
        rows.RemoveRange(0, rows.FindIndex(r => HasValue(records, r)) is var first and >= 0 ? first : 0);
    }

    static bool HasValue<TRecords>(TRecords records, int record) where TRecords : ITableRecords => records.FilledLength(record) > 0;

    static int FilledLength<TRecords>(TRecords records, int record) where TRecords : ITableRecords => records.FilledLength(record);

    /// <summary>
    /// The header's length, unless most data rows are longer (a header that lacks names for its last columns: they are
    /// kept and named column_N). Without a header, the most common number of cells, empty ones at the end included
    /// (an all-empty last column is a column). For xlsx, the longest row.
    /// </summary>
    /// <param name="dataStart">The header's rows: 0, 1 or 2.</param>
    static int Width<TRecords>(TRecords records, List<int> rows, int dataStart, int header, bool ragged, ICollection<string> warnings)
        where TRecords : ITableRecords
    {
        if (!ragged) return rows.Max(r => FilledLength(records, r));
        var lengths = new Dictionary<int, int>();
        for (var i = dataStart; i < rows.Count; i++)
        {
            var length = dataStart == 0 ? records.Length(rows[i]) : FilledLength(records, rows[i]);
            lengths[length] = lengths.GetValueOrDefault(length) + 1;
        }
        // The most common length; among equally common ones, the first seen (as GroupBy + MaxBy chose).
        var common = lengths.MaxBy(l => l.Value).Key;
        if (dataStart == 0) return common;

        var longer = 0;
        for (var i = dataStart; i < rows.Count; i++)
            if (FilledLength(records, rows[i]) > header) longer++;
        if (common <= header || longer * 2 <= rows.Count - dataStart) return header;
        warnings.Add($"The header names {header} columns but most rows have {common} cells: the extra columns were named column_{header + 1} onwards.");
        return common;
    }

    static void CountRaggedRows<TRecords>(TRecords records, List<int> rows, int dataStart, int width, ICollection<string> warnings)
        where TRecords : ITableRecords
    {
        int count = 0, first = 0;
        for (var r = dataStart; r < rows.Count; r++)
        {
            var row = rows[r];
            // Trailing empty cells (a separator at the end of the line) do not make a row longer.
            if (records.Length(row) >= width && FilledLength(records, row) <= width) continue;
            if (count++ == 0) first = row + 1;
        }
        if (count == 0) return;
        var what = dataStart > 0 ? "the header" : "most rows";
        warnings.Add(count == 1
            ? $"1 row had a different number of cells than {what} (row {first}): it was padded with empty cells or cut to {width} cells."
            : $"{count} rows had a different number of cells than {what} (first: row {first}): short rows were padded with empty cells and long rows cut to {width} cells.");
    }

    /// <summary>
    /// The columns to keep: leading and trailing columns without a name and without a value (trailing separators,
    /// a spreadsheet table that starts in column B) are dropped.
    /// </summary>
    static (int Start, int End) WithoutEmptyEdgeColumns<TRecords>(TRecords records, int[] dataRows, string?[] header)
        where TRecords : ITableRecords
    {
        int start = 0, end = header.Length;
        while (end > 0 && IsUnusedColumn(end - 1)) end--;
        while (start < end && IsUnusedColumn(start)) start++;
        return (start, end);

        bool IsUnusedColumn(int c)
        {
            if (!string.IsNullOrWhiteSpace(header[c])) return false;
            foreach (var r in dataRows)
                if (c < records.Length(r) && records.HasText(r, c)) return false;
            return true;
        }
    }

    /// <summary>Records held as string arrays (xlsx).</summary>
    readonly struct StringRecords(List<string?[]> records) : ITableRecords
    {
        public int Count => records.Count;
        public int Length(int record) => records[record].Length;
        public bool HasText(int record, int cell) => records[record][cell] is not null;
        public string? Text(int record, int cell) => records[record][cell];
        public bool IsBlankLine(int record) => false;
        public int LineOf(int record) => record + 1;

        public int FilledLength(int record)
        {
            var cells = records[record];
            var length = cells.Length;
            while (length > 0 && cells[length - 1] is null) length--;
            return length;
        }
    }
}

/// <summary>The records of a file as <see cref="TableShaper"/> reads them: cells are trimmed text, or nothing.</summary>
public interface ITableRecords
{
    int Count { get; }
    /// <summary>The number of cells of the record, empty ones included.</summary>
    int Length(int record);
    bool HasText(int record, int cell);
    /// <summary>The cell's text, null when empty.</summary>
    string? Text(int record, int cell);
    /// <summary>The number of cells up to the last that has a value; 0 for a record without any.</summary>
    int FilledLength(int record);
    /// <summary>Whether the record is an empty line of a text file (no separator either).</summary>
    bool IsBlankLine(int record);
    /// <summary>The 1-based line of the file where the record starts.</summary>
    int LineOf(int record);
}

/// <summary>The shape of a table: its data rows (record indexes, in order), column names, and where its columns start among the records' cells.</summary>
public sealed record TableLayout(int[] Rows, string[] Names, int FirstColumn, int Width);
