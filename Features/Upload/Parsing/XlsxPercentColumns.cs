using System.IO.Compression;
using System.Xml;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// Finds the columns of a worksheet whose numbers are formatted as percentages. MiniExcel returns such a cell as
/// its stored fraction (0.125 for 12.5 %) and does not expose formats, so the styles and the first rows of the sheet
/// are read here, streaming, to tell which columns the user sees as percentages.
/// </summary>
public static class XlsxPercentColumns
{
    const int RowsToRead = 1000;

    /// <summary>The 0-based indexes of the columns (A = 0) where most numeric cells have a percent format.</summary>
    public static HashSet<int> Find(string path, string sheetName)
    {
        using var zip = ZipFile.OpenRead(path);
        var percentStyles = PercentStyles(zip);
        var result = new HashSet<int>();
        if (percentStyles.Count == 0 || XlsxParts.SheetPart(zip, sheetName) is not { } sheet) return result;

        var numeric = new Dictionary<int, (int Numbers, int Percents)>();
        using var reader = XlsxParts.OpenXml(sheet);
        var rows = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.LocalName == "row" && ++rows > RowsToRead) break;
            if (reader.LocalName != "c") continue;
            var type = reader.GetAttribute("t");
            if (type is not (null or "n") || reader.GetAttribute("r") is not { } reference) continue;
            var column = XlsxParts.ColumnIndex(reference);
            var style = int.TryParse(reader.GetAttribute("s"), out var s) ? s : 0;
            var (numbers, percents) = numeric.GetValueOrDefault(column);
            numeric[column] = (numbers + 1, percents + (percentStyles.Contains(style) ? 1 : 0));
        }

        foreach (var (column, counts) in numeric)
            if (counts.Percents * 2 > counts.Numbers)
                result.Add(column);
        return result;
    }

    /// <summary>The indexes of cellXfs whose number format shows a percent: built-in 9 (0%) and 10 (0.00%), or a custom code with %.</summary>
    static HashSet<int> PercentStyles(ZipArchive zip)
    {
        var styles = new HashSet<int>();
        if (zip.GetEntry("xl/styles.xml") is not { } entry) return styles;
        var percentFormats = new HashSet<int> { 9, 10 };
        using var reader = XlsxParts.OpenXml(entry);
        var inCellXfs = false;
        var xf = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs") inCellXfs = false;
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "numFmt" when IsPercentCode(reader.GetAttribute("formatCode")) && int.TryParse(reader.GetAttribute("numFmtId"), out var id):
                    percentFormats.Add(id);
                    break;
                case "cellXfs":
                    inCellXfs = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    if (int.TryParse(reader.GetAttribute("numFmtId"), out var format) && percentFormats.Contains(format)) styles.Add(xf);
                    xf++;
                    break;
            }
        }
        return styles;
    }

    /// <summary>A % outside quoted literals and [brackets] (colours, conditions) makes Excel multiply by 100.</summary>
    static bool IsPercentCode(string? code)
    {
        if (code is null) return false;
        bool quoted = false, bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '[') bracket = true;
            else if (!quoted && c == ']') bracket = false;
            else if (!quoted && !bracket && c == '%') return true;
        }
        return false;
    }
}
