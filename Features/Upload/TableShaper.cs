namespace ChartCraft.Features.Upload;

/// <summary>
/// Turns the records read from a file into a rectangular <see cref="RawTable"/>: finds the header, names the
/// columns, pads short rows and cuts long ones (counting them in a warning), and drops empty rows, title rows above
/// the table and unnamed empty columns at its edges.
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
        // Rows keep their position in the file (1-based, header included) so that warnings can point at them.
        var rows = new List<Row>(records.Count);
        for (var i = 0; i < records.Count; i++) rows.Add(new Row(i + 1, records[i]));
        return Shape(rows, ragged, maxColumns, warnings);
    }

    /// <summary>A record and its 1-based position among the records of the file.</summary>
    readonly record struct Row(int Number, string?[] Cells);

    static RawTable Shape(List<Row> records, bool ragged, int maxColumns, ICollection<string> warnings)
    {
        TrimEmptyRows(records);
        if (records.Count == 0)
            throw UploadProblems.Unparsable("The file contains no data: no row has a value.");
        RemoveTitleRows(records, warnings);
        var skipped = records.RemoveAll(r => !HasValue(r));

        var hasHeader = HeaderDetector.FirstRowIsHeader(records.Take(HeaderSample).Select(r => r.Cells).ToList());
        var dataStart = hasHeader ? 1 : 0;
        var rowCount = records.Count - dataStart;
        if (rowCount == 0)
            throw UploadProblems.Unparsable("The file has a header row but no data rows.");

        var width = Width(records, hasHeader, ragged, warnings);
        if (width > maxColumns)
            throw UploadProblems.Unparsable($"The file has {width:N0} columns; at most {maxColumns:N0} are supported.");

        if (ragged) CountRaggedRows(records, dataStart, width, warnings);
        if (skipped > 0) warnings.Add($"{skipped} empty row{(skipped == 1 ? " was" : "s were")} skipped.");
        if (!hasHeader) warnings.Add("The first row holds data, not column names: the columns were named column_1, column_2, …");

        var columns = new string?[width][];
        for (var c = 0; c < width; c++) columns[c] = new string?[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            var record = records[r + dataStart].Cells;
            var cells = Math.Min(record.Length, width);
            for (var c = 0; c < cells; c++) columns[c][r] = record[c];
        }

        var header = new string?[width];
        if (hasHeader) Array.Copy(records[0].Cells, header, Math.Min(records[0].Cells.Length, width));
        var names = ColumnNames.Clean(header);
        var (start, end) = WithoutEmptyEdgeColumns(header, columns);
        if (start >= end) throw UploadProblems.Unparsable("The file contains no data: every column is empty.");
        return new RawTable(names[start..end], columns[start..end], rowCount);
    }

    /// <summary>
    /// Report titles above the table ("Sales by region, 2024" in A1, then maybe a blank row, then the header): a row
    /// with a single value followed by rows with several. At most three are skipped, with the blank rows after them.
    /// </summary>
    static void RemoveTitleRows(List<Row> records, ICollection<string> warnings)
    {
        for (var titles = 0; titles < 3; titles++)
        {
            if (records.Count < 3) return;
            var next = records.FindIndex(1, HasValue);
            var after = next < 0 || next + 1 >= records.Count ? -1 : records.FindIndex(next + 1, HasValue);
            if (after < 0 || FilledCount(records[0]) != 1 || FilledCount(records[next]) < 2 || FilledCount(records[after]) < 2) return;
            var title = records[0].Cells.First(c => c is not null)!;
            warnings.Add($"The title row \"{(title.Length > 60 ? title[..60] + "…" : title)}\" above the table was skipped.");
            records.RemoveRange(0, next);
        }
    }

    static int FilledCount(Row row) => row.Cells.Count(c => c is not null);

    /// <summary>Removes the rows without any value before the first and after the last row with one.</summary>
    static void TrimEmptyRows(List<Row> records)
    {
        var last = records.FindLastIndex(HasValue);
        records.RemoveRange(last + 1, records.Count - last - 1);
        records.RemoveRange(0, records.FindIndex(HasValue) is var first and >= 0 ? first : 0);
    }

    static bool HasValue(Row row) => row.Cells.Any(c => c is not null);

    /// <summary>The number of cells up to the last that has a value.</summary>
    static int FilledLength(Row row)
    {
        var cells = row.Cells;
        var length = cells.Length;
        while (length > 0 && cells[length - 1] is null) length--;
        return length;
    }

    /// <summary>
    /// The header's length, unless most data rows are longer (a header that lacks names for its last columns: they are
    /// kept and named column_N). Without a header, the most common row length. For xlsx, the longest row.
    /// </summary>
    static int Width(List<Row> records, bool hasHeader, bool ragged, ICollection<string> warnings)
    {
        if (!ragged) return records.Max(FilledLength);
        var dataStart = hasHeader ? 1 : 0;
        var common = records.Skip(dataStart).Select(FilledLength).GroupBy(l => l).MaxBy(g => g.Count())!.Key;
        if (!hasHeader) return common;

        var header = FilledLength(records[0]);
        var longer = records.Skip(1).Count(r => FilledLength(r) > header);
        if (common <= header || longer * 2 <= records.Count - 1) return Math.Max(header, 1);
        warnings.Add($"The header names {header} columns but most rows have {common} cells: the extra columns were named column_{header + 1} onwards.");
        return common;
    }

    static void CountRaggedRows(List<Row> records, int dataStart, int width, ICollection<string> warnings)
    {
        int count = 0, first = 0;
        for (var r = dataStart; r < records.Count; r++)
        {
            var row = records[r];
            // Trailing empty cells (a separator at the end of the line) do not make a row longer.
            if (row.Cells.Length >= width && FilledLength(row) <= width) continue;
            if (count++ == 0) first = row.Number;
        }
        if (count == 0) return;
        var what = dataStart == 1 ? "the header" : "most rows";
        warnings.Add(count == 1
            ? $"1 row had a different number of cells than {what} (row {first}): it was padded with empty cells or cut to {width} cells."
            : $"{count} rows had a different number of cells than {what} (first: row {first}): short rows were padded with empty cells and long rows cut to {width} cells.");
    }

    /// <summary>
    /// The columns to keep: leading and trailing columns without a name and without a value (trailing separators,
    /// a spreadsheet table that starts in column B) are dropped.
    /// </summary>
    static (int Start, int End) WithoutEmptyEdgeColumns(string?[] header, string?[][] columns)
    {
        int start = 0, end = columns.Length;
        while (end > 0 && IsUnusedColumn(end - 1)) end--;
        while (start < end && IsUnusedColumn(start)) start++;
        return (start, end);

        bool IsUnusedColumn(int c) => string.IsNullOrWhiteSpace(header[c]) && columns[c].All(v => v is null);
    }
}
