namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// Files that hold two tables, one below the other after an empty line (a report exported sheet by sheet, a summary
/// under the data): only the first is read, and a warning names the line where the next one starts.
/// </summary>
public static class SecondTable
{
    /// <summary>
    /// Removes from <paramref name="rows"/> the empty rows and everything after them when the row that follows starts
    /// another table: the first table's header again; a row of labels where the row above the gap held numbers or
    /// dates; or a row of another width than the header, after a blank line or followed by a row of its own width.
    /// An empty line between the header and the data, or between data rows of the same shape, is no second table.
    /// </summary>
    /// <param name="rows">The records of the table from its header on, in file order, empty rows included.</param>
    public static void Cut<TRecords>(TRecords records, List<int> rows, ICollection<string> warnings) where TRecords : ITableRecords
    {
        var header = Cells(records, rows[0]);
        var headerWidth = records.FilledLength(rows[0]);
        int valueRows = 0, gapStart = -1, lastValueRow = -1;
        var blankLine = false;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (records.FilledLength(row) == 0)
            {
                if (gapStart < 0) gapStart = i;
                blankLine |= records.IsBlankLine(row);
                continue;
            }
            // A header and at least one data row above the gap.
            if (gapStart >= 0 && valueRows >= 2 && StartsTable(records, rows, i, header, headerWidth, lastValueRow, blankLine))
            {
                warnings.Add($"The file holds a second table from line {records.LineOf(row)}; only the first table was read.");
                rows.RemoveRange(gapStart, rows.Count - gapStart);
                return;
            }
            (gapStart, blankLine, lastValueRow) = (-1, false, row);
            valueRows++;
        }
    }

    static bool StartsTable<TRecords>(TRecords records, List<int> rows, int index, string?[] header, int headerWidth, int lastValueRow,
        bool blankLine) where TRecords : ITableRecords
    {
        var cells = Cells(records, rows[index]);
        if (cells.AsSpan().SequenceEqual(header)) return true;
        if (IsLabelsOverValues(cells, Cells(records, lastValueRow))) return true;
        var width = records.FilledLength(rows[index]);
        if (width == headerWidth) return false;
        if (blankLine) return true;
        // After a row of empty cells only (",,,"), a single row of another width is more likely a ragged data row.
        var next = rows.FindIndex(index + 1, r => records.FilledLength(r) > 0);
        return next >= 0 && records.FilledLength(rows[next]) == width;
    }

    /// <summary>Only labels, at least one where the last row above held a number, date or flag.</summary>
    static bool IsLabelsOverValues(string?[] cells, string?[] above)
    {
        var overValue = false;
        for (var c = 0; c < cells.Length; c++)
        {
            var kind = HeaderDetector.Classify(cells[c]);
            if (kind == CellKind.Empty) continue;
            if (kind != CellKind.Text) return false;
            overValue |= c < above.Length && HeaderDetector.Classify(above[c]) is CellKind.Number or CellKind.Date or CellKind.Boolean;
        }
        return overValue;
    }

    static string?[] Cells<TRecords>(TRecords records, int record) where TRecords : ITableRecords
    {
        var cells = new string?[records.FilledLength(record)];
        for (var c = 0; c < cells.Length; c++) cells[c] = records.Text(record, c);
        return cells;
    }
}
