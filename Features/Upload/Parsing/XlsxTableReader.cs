using System.Globalization;
using System.Xml;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>A worksheet table and the name of the sheet it came from.</summary>
public sealed record XlsxTable(RawTable Table, string Sheet);

/// <summary>
/// Reads one worksheet of an .xlsx with MiniExcel: the first sheet unless one is named. Cells with date formats
/// arrive as dates (MiniExcel converts the Excel serials), percent-formatted cells as "12.5%" so that they keep
/// their unit, other numbers in invariant notation; merged cells take the merged value; NUL characters are removed.
/// </summary>
public static class XlsxTableReader
{
    /// <summary>
    /// Reads the sheet into a table; 422 for an unknown sheet name, an empty sheet, a sheet beyond the
    /// <paramref name="limits"/> (see <see cref="XlsxSheetExtent"/>) or a workbook MiniExcel cannot read.
    /// </summary>
    public static XlsxTable Read(string path, string? sheet, DataFileLimits limits, ICollection<string> warnings)
    {
        try
        {
            // Streams with the type given: uploads sit in temp files without an extension, and MiniExcel
            // otherwise picks the format from the file name.
            using var workbook = File.OpenRead(path);
            var sheets = MiniExcel.GetSheetNames(workbook);
            if (sheets.Count == 0) throw UploadProblems.Unparsable("The workbook has no worksheets.");
            var name = ChooseSheet(sheets, sheet);
            // Bounded before anything is expanded: MiniExcel sizes every row by the declared dimension, emits every
            // empty row up to the last row element and, filling merged cells, maps every cell of every merged range.
            var extent = XlsxSheetExtent.Measure(path, name, limits);
            if (extent.IsEmpty) throw UploadProblems.Unparsable($"The sheet '{name}' is empty.");
            var percentColumns = XlsxPercentColumns.Find(path, name);

            var records = new List<string?[]>();
            var columnOfKey = new Dictionary<string, int>();
            // Only the area holding values is read, whatever the dimension says; merged cells are filled below, within it.
            var configuration = new OpenXmlConfiguration { FillMergedCells = false };
            workbook.Position = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.QueryRange(workbook, useHeaderRow: false, sheetName: name,
                         excelType: ExcelType.XLSX, startRowIndex: 1, startColumnIndex: 1, endRowIndex: extent.LastRow,
                         endColumnIndex: extent.LastColumn, configuration: configuration))
            {
                var record = new string?[extent.LastColumn];
                foreach (var (key, value) in row)
                {
                    if (!columnOfKey.TryGetValue(key, out var column)) columnOfKey[key] = column = XlsxParts.ColumnIndex(key);
                    if (column < record.Length) record[column] = CellText(value, percentColumns.Contains(column));
                }
                records.Add(record);
            }

            FillMergedCells(records, extent);
            return new XlsxTable(TableShaper.Shape(records, ragged: false, limits.MaxColumns, warnings), name);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or InvalidOperationException or FormatException or
                                      IndexOutOfRangeException or NotSupportedException or OverflowException)
        {
            throw UploadProblems.Unparsable(UploadProblems.DamagedWorkbook);
        }
    }

    /// <summary>
    /// Gives every cell of a merged range the value of its top-left cell, as the user sees it, within the area read
    /// (records[0] is row 1). A range reaching past the values is filled only as far as they go.
    /// </summary>
    static void FillMergedCells(List<string?[]> records, XlsxSheetExtent extent)
    {
        var read = new CellRange(1, 1, records.Count, extent.LastColumn);
        foreach (var merge in extent.Merges)
        {
            if (merge.ClipTo(read) is not { } area || area.FirstRow != merge.FirstRow || area.FirstColumn != merge.FirstColumn) continue;
            var value = records[merge.FirstRow - 1][merge.FirstColumn - 1];
            for (var r = area.FirstRow; r <= area.LastRow; r++)
                Array.Fill(records[r - 1], value, area.FirstColumn - 1, area.LastColumn - area.FirstColumn + 1);
        }
    }

    static string ChooseSheet(List<string> sheets, string? wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted)) return sheets[0];
        var trimmed = wanted.Trim();
        return sheets.FirstOrDefault(s => s == trimmed)
               ?? sheets.FirstOrDefault(s => string.Equals(s.Trim(), trimmed, StringComparison.OrdinalIgnoreCase))
               ?? throw UploadProblems.Unprocessable("Unknown sheet",
                   $"The workbook has no sheet named '{trimmed}'. Its sheets are: {string.Join(", ", sheets.Select(s => $"'{s}'"))}.");
    }

    /// <summary>The text the type inference reads for a cell value.</summary>
    static string? CellText(object? value, bool percent) => value switch
    {
        null => null,
        // OOXML escapes a NUL as _x0000_ and MiniExcel decodes it; PostgreSQL stores no NUL in text or jsonb.
        string s when s.Contains('\0') => s.Replace("\0", "") is { Length: > 0 } clean ? clean : null,
        string s => s.Length == 0 ? null : s,
        // 15 significant digits is what Excel shows; it hides binary noise such as 0.07 * 100 = 7.000000000000001.
        double d when percent => (d * 100).ToString("G15", CultureInfo.InvariantCulture) + "%",
        double d => d.ToString("G15", CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
