using System.Globalization;
using System.Xml;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace ChartCraft.Features.Upload;

/// <summary>A worksheet table and the name of the sheet it came from.</summary>
public sealed record XlsxTable(RawTable Table, string Sheet);

/// <summary>
/// Reads one worksheet of an .xlsx with MiniExcel: the first sheet unless one is named. Cells with date formats
/// arrive as dates (MiniExcel converts the Excel serials), percent-formatted cells as "12.5%" so that they keep
/// their unit, other numbers in invariant notation; merged cells take the merged value.
/// </summary>
public static class XlsxTableReader
{
    /// <summary>Reads the sheet into a table; 422 for an unknown sheet name, an empty sheet or a workbook MiniExcel cannot read.</summary>
    public static XlsxTable Read(string path, string? sheet, int maxColumns, ICollection<string> warnings)
    {
        try
        {
            // Streams with the type given: uploads sit in temp files without an extension, and MiniExcel
            // otherwise picks the format from the file name.
            using var workbook = File.OpenRead(path);
            var sheets = MiniExcel.GetSheetNames(workbook);
            if (sheets.Count == 0) throw UploadProblems.Unparsable("The workbook has no worksheets.");
            var name = ChooseSheet(sheets, sheet);
            var percentColumns = XlsxPercentColumns.Find(path, name);

            var records = new List<string?[]>();
            var columnOfKey = new Dictionary<string, int>();
            var configuration = new OpenXmlConfiguration { FillMergedCells = true };
            workbook.Position = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(workbook, useHeaderRow: false, sheetName: name,
                         excelType: ExcelType.XLSX, configuration: configuration))
            {
                var record = new string?[row.Count];
                foreach (var (key, value) in row)
                {
                    if (!columnOfKey.TryGetValue(key, out var column)) columnOfKey[key] = column = XlsxPercentColumns.ColumnIndex(key);
                    if (column >= record.Length) Array.Resize(ref record, column + 1);
                    record[column] = CellText(value, percentColumns.Contains(column));
                }
                records.Add(record);
            }

            if (records.Count == 0) throw UploadProblems.Unparsable($"The sheet '{name}' is empty.");
            return new XlsxTable(TableShaper.Shape(records, ragged: false, maxColumns, warnings), name);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or InvalidOperationException or FormatException or
                                      IndexOutOfRangeException or NotSupportedException or OverflowException)
        {
            throw UploadProblems.Unparsable("The workbook is damaged or uses features that cannot be read; open it in Excel and save it again, or export the sheet as CSV.");
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
