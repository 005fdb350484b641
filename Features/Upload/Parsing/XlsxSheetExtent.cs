using System.IO.Compression;
using System.Xml;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>A rectangle of a worksheet, 1-based and inclusive: "B2:D5" is rows 2–5 of columns 2–4.</summary>
public readonly record struct CellRange(int FirstRow, int FirstColumn, int LastRow, int LastColumn)
{
    public long Cells => (long)(LastRow - FirstRow + 1) * (LastColumn - FirstColumn + 1);

    /// <summary>"A1:C3", or a single cell "B2"; null for anything else.</summary>
    public static CellRange? Parse(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        var corners = reference.Split(':');
        if (corners.Length > 2 || Cell(corners[0]) is not ({ } row1, { } column1) || Cell(corners[^1]) is not ({ } row2, { } column2)) return null;
        return new CellRange(Math.Min(row1, row2), Math.Min(column1, column2), Math.Max(row1, row2), Math.Max(column1, column2));
    }

    /// <summary>"AB12" → (12, 28); rows past int's range or references without letters or digits are not cells.</summary>
    static (int Row, int Column)? Cell(string reference)
    {
        var letters = 0;
        while (letters < reference.Length && char.IsAsciiLetter(reference[letters])) letters++;
        if (letters == 0 || !int.TryParse(reference.AsSpan(letters), System.Globalization.NumberStyles.None, null, out var row) || row < 1)
            return null;
        return (row, XlsxParts.ColumnIndex(reference) + 1);
    }

    /// <summary>The part of this range inside <paramref name="area"/>; null when they do not meet.</summary>
    public CellRange? ClipTo(CellRange area)
    {
        var clipped = new CellRange(Math.Max(FirstRow, area.FirstRow), Math.Max(FirstColumn, area.FirstColumn),
            Math.Min(LastRow, area.LastRow), Math.Min(LastColumn, area.LastColumn));
        return clipped.FirstRow <= clipped.LastRow && clipped.FirstColumn <= clipped.LastColumn ? clipped : null;
    }

    public override string ToString() => $"{XlsxParts.ColumnName(FirstColumn)}{FirstRow}:{XlsxParts.ColumnName(LastColumn)}{LastRow}";
}

/// <summary>
/// What a worksheet holds and declares, measured in one streaming pass over its XML before anything is expanded:
/// the last row and column that hold a value, and the merged ranges. A workbook a few kilobytes long can declare a
/// merged range or a dimension of billions of cells, or a row a million rows down, and MiniExcel materialises every
/// cell of them; everything the sheet references is checked against <see cref="DataFileLimits"/> here, and only the
/// area that holds values is read afterwards.
/// </summary>
/// <param name="LastRow">The last row with a cell that holds something (0 when none does).</param>
/// <param name="LastColumn">The last column (1-based) with a cell that holds something.</param>
/// <param name="Merges">The merged ranges, as declared (within the limits, but not yet clipped to the values).</param>
public sealed record XlsxSheetExtent(int LastRow, int LastColumn, IReadOnlyList<CellRange> Merges)
{
    static readonly string[] SheetNamespaces =
    [
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main", // strict OOXML
    ];

    public bool IsEmpty => LastRow == 0;

    /// <summary>The area that holds values: what is read, and what merged cells are filled within.</summary>
    public CellRange Values => new(1, 1, LastRow, LastColumn);

    /// <summary>
    /// Measures the worksheet <paramref name="sheetName"/> of the workbook at <paramref name="path"/>; a 422
    /// <see cref="Infrastructure.Errors.ProblemException"/> naming the limit when a row, a cell, the dimension or a
    /// merged range lies beyond <see cref="DataFileLimits.MaxRows"/> or <see cref="DataFileLimits.MaxColumns"/>, when
    /// the dimension, a merged range or the area holding values exceeds <see cref="DataFileLimits.MaxCells"/>, or when
    /// there are more than <see cref="DataFileLimits.MaxMergedRanges"/> merged ranges.
    /// </summary>
    public static XlsxSheetExtent Measure(string path, string sheetName, DataFileLimits limits)
    {
        using var zip = ZipFile.OpenRead(path);
        // Without its part the sheet cannot be bounded, so it is not read at all (MiniExcel would find it its own way).
        var part = XlsxParts.SheetPart(zip, sheetName) ?? throw Damaged();
        using var reader = XlsxParts.OpenXml(part);
        var extent = Scan(reader, sheetName, limits);
        if (!extent.IsEmpty) CheckValues(extent, sheetName, limits);
        return extent;
    }

    /// <summary>The streaming pass: every row, cell, dimension and merged range checked as it is met.</summary>
    static XlsxSheetExtent Scan(XmlReader reader, string sheetName, DataFileLimits limits)
    {
        var merges = new List<CellRange>();
        int row = 0, column = 0, lastRow = 0, lastColumn = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || !SheetNamespaces.Contains(reader.NamespaceURI)) continue;
            switch (reader.LocalName)
            {
                case "dimension":
                    var dimension = CellRange.Parse(reader.GetAttribute("ref")) ?? throw Damaged();
                    CheckDeclared(dimension, "declares its dimension as", sheetName, limits);
                    break;
                case "row":
                    row = RowNumber(reader, row, sheetName, limits);
                    column = 0;
                    break;
                case "c":
                    column = CellColumn(reader, column, sheetName, limits);
                    // <c r="Z9" s="3"/> is formatting without content: it is not read, so it does not widen what is.
                    if (reader.IsEmptyElement) break;
                    lastRow = Math.Max(lastRow, row);
                    lastColumn = Math.Max(lastColumn, column);
                    break;
                case "mergeCell":
                    merges.Add(MergedRange(reader, merges.Count, sheetName, limits));
                    break;
            }
        }
        return new XlsxSheetExtent(lastRow, lastColumn, merges);
    }

    /// <summary>The number of the row the reader is on, after <paramref name="previous"/>.</summary>
    static int RowNumber(XmlReader reader, int previous, string sheetName, DataFileLimits limits)
    {
        // Like MiniExcel: a row without a number (or with one that is not a number) follows the previous one.
        var number = reader.GetAttribute("r");
        var row = number is null || !int.TryParse(number, out var r) ? previous + 1 : r;
        if (row < 1) throw Damaged();
        if (row > limits.MaxRows)
            throw BeyondLimits(sheetName, $"has a row numbered {row:N0}; at most {limits.MaxRows:N0} rows are supported");
        return row;
    }

    /// <summary>The column (1-based) of the cell the reader is on, after <paramref name="previous"/> in its row.</summary>
    static int CellColumn(XmlReader reader, int previous, string sheetName, DataFileLimits limits)
    {
        // Like MiniExcel: a cell without a reference follows the previous one in its row.
        var reference = reader.GetAttribute("r");
        var column = reference is null ? previous + 1 : XlsxParts.ColumnIndex(reference) + 1;
        if (column < 1) throw Damaged();
        if (column > limits.MaxColumns)
            throw BeyondLimits(sheetName, $"has a cell in column {XlsxParts.ColumnName(column)} ({column:N0}); at most {limits.MaxColumns:N0} columns are supported");
        return column;
    }

    /// <summary>The merged range the reader is on, with <paramref name="declaredBefore"/> ranges declared before it.</summary>
    static CellRange MergedRange(XmlReader reader, int declaredBefore, string sheetName, DataFileLimits limits)
    {
        var merge = CellRange.Parse(reader.GetAttribute("ref")) ?? throw Damaged();
        CheckDeclared(merge, "merges the cells", sheetName, limits);
        if (merge.Cells > limits.MaxCellsPerMerge)
            throw BeyondLimits(sheetName, $"merges the cells {merge}, {merge.Cells:N0} cells; at most {limits.MaxCellsPerMerge:N0} cells are supported in one merged range");
        if (declaredBefore == limits.MaxMergedRanges)
            throw BeyondLimits(sheetName, $"has more than {limits.MaxMergedRanges:N0} merged ranges, the most supported");
        return merge;
    }

    /// <summary>The area holding values, and what the merged ranges cover of it, within <see cref="DataFileLimits.MaxCells"/>.</summary>
    static void CheckValues(XlsxSheetExtent extent, string sheetName, DataFileLimits limits)
    {
        if (extent.Values.Cells > limits.MaxCells)
            throw BeyondLimits(sheetName, $"holds values as far as {XlsxParts.ColumnName(extent.LastColumn)}{extent.LastRow}, an area of " +
                                          $"{extent.Values.Cells:N0} cells; at most {limits.MaxCells:N0} cells are supported");
        // Merged ranges do not overlap in a sheet Excel wrote, so together they cover at most the area read; ranges that
        // overlap could make filling them cost the area many times over.
        var merged = extent.Merges.Sum(m => m.ClipTo(extent.Values) is { } clipped ? clipped.Cells : 0);
        if (merged > limits.MaxCells)
            throw BeyondLimits(sheetName, $"has overlapping merged ranges covering {merged:N0} cells; at most {limits.MaxCells:N0} cells are supported");
    }

    static void CheckDeclared(CellRange range, string what, string sheetName, DataFileLimits limits)
    {
        if (range.LastRow > limits.MaxRows)
            throw BeyondLimits(sheetName, $"{what} {range}, reaching row {range.LastRow:N0}; at most {limits.MaxRows:N0} rows are supported");
        if (range.LastColumn > limits.MaxColumns)
            throw BeyondLimits(sheetName, $"{what} {range}, reaching column {range.LastColumn:N0}; at most {limits.MaxColumns:N0} columns are supported");
        if (range.Cells > limits.MaxCells)
            throw BeyondLimits(sheetName, $"{what} {range}, {range.Cells:N0} cells; at most {limits.MaxCells:N0} cells are supported");
    }

    static Infrastructure.Errors.ProblemException BeyondLimits(string sheetName, string reason) =>
        UploadProblems.WorkbookBeyondLimits($"The sheet '{sheetName}' {reason}. Delete the unused rows and columns (or unmerge the cells) and save it again, or export the sheet as CSV.");

    static Infrastructure.Errors.ProblemException Damaged() => UploadProblems.Unparsable(UploadProblems.DamagedWorkbook);
}
