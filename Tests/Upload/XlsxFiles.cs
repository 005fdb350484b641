using System.IO.Compression;
using System.Text;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// Writes .xlsx files part by part, to control what MiniExcel's writer does not: built-in number formats, title rows,
/// gaps, a table that starts in column B, several sheets, and broken or hostile zips.
/// </summary>
public static class XlsxFiles
{
    const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// A worksheet: its name, the sheetData XML (rows and cells) and, optionally, the range its dimension declares
    /// and its merged ranges ("A1:C1").
    /// </summary>
    public sealed record Sheet(string Name, string Rows, string? Dimension = null, IReadOnlyList<string>? Merges = null);

    /// <summary>Style indexes of <see cref="Write"/>: 1 = date (built-in 14), 2 = 0.00% (built-in 10), 3 = 0.0% (custom 164).</summary>
    public const int DateStyle = 1, PercentStyle = 2, CustomPercentStyle = 3;

    public static void Write(string path, IReadOnlyList<Sheet> sheets, IReadOnlyList<string> sharedStrings)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        var overrides = string.Concat(sheets.Select((_, i) =>
            $"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""));
        Put(zip, "[Content_Types].xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""");
        Put(zip, "_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var sheetList = string.Concat(sheets.Select((s, i) => $"""<sheet name="{Escape(s.Name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>"""));
        Put(zip, "xl/workbook.xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Main}" xmlns:r="{Relationships}"><sheets>{sheetList}</sheets></workbook>""");
        var sheetRelations = string.Concat(sheets.Select((_, i) =>
            $"""<Relationship Id="rId{i + 1}" Type="{Relationships}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>"""));
        Put(zip, "xl/_rels/workbook.xml.rels",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheetRelations}<Relationship Id="rIdStyles" Type="{Relationships}/styles" Target="styles.xml"/><Relationship Id="rIdStrings" Type="{Relationships}/sharedStrings" Target="sharedStrings.xml"/></Relationships>""");
        Put(zip, "xl/styles.xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{Main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        var strings = string.Concat(sharedStrings.Select(s => $"<si><t>{Escape(s)}</t></si>"));
        Put(zip, "xl/sharedStrings.xml",
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}" count="{sharedStrings.Count}" uniqueCount="{sharedStrings.Count}">{strings}</sst>""");
        foreach (var (sheet, i) in sheets.Select((s, i) => (s, i)))
        {
            var dimension = sheet.Dimension is null ? "" : $"""<dimension ref="{sheet.Dimension}"/>""";
            var merges = sheet.Merges is not { Count: > 0 } ranges ? ""
                : $"""<mergeCells count="{ranges.Count}">{string.Concat(ranges.Select(r => $"<mergeCell ref=\"{r}\"/>"))}</mergeCells>""";
            Put(zip, $"xl/worksheets/sheet{i + 1}.xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}">{dimension}<sheetData>{sheet.Rows}</sheetData>{merges}</worksheet>""");
        }
    }

    /// <summary>
    /// A three-column table (a header and two rows) whose sheet may declare a <paramref name="dimension"/>, merged
    /// ranges, and rows further down (<paramref name="extraRows"/>, sheetData XML): the shapes a hostile workbook
    /// uses to make a reader expand a few bytes into millions of cells.
    /// </summary>
    public static void WriteSmallTable(string path, string? dimension = null, IReadOnlyList<string>? merges = null, string extraRows = "")
    {
        const string rows = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
            <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>10</v></c><c r="C2"><v>1.5</v></c></row>
            <row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3"><v>20</v></c><c r="C3"><v>2.5</v></c></row>
            """;
        Write(path, [new Sheet("Data", rows + extraRows, dimension, merges)], ["region", "units", "price", "North", "South"]);
    }

    /// <summary>
    /// A report of <paramref name="rows"/> rows (date, region, units, price, note) whose region cells are merged in pairs
    /// of rows, as people group a category: the second cell of each pair is written empty, as Excel writes it.
    /// </summary>
    public static void WriteGroupedReport(string path, int rows)
    {
        var xml = new StringBuilder("""<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>""");
        var merges = new List<string>();
        for (var r = 2; r < rows + 2; r++)
        {
            var region = r % 2 == 0 ? $"""<c r="B{r}" t="s"><v>{5 + r / 2 % 3}</v></c>""" : $"""<c r="B{r}"/>""";
            if (r % 2 == 0 && r + 1 < rows + 2) merges.Add($"B{r}:B{r + 1}");
            xml.Append($"""<row r="{r}"><c r="A{r}" s="{DateStyle}"><v>{45292 + r}</v></c>{region}<c r="C{r}"><v>{r % 17}</v></c><c r="D{r}"><v>{r * 1.25}</v></c><c r="E{r}" t="s"><v>8</v></c></row>""");
        }
        Write(path, [new Sheet("Report", xml.ToString(), $"A1:E{rows + 1}", merges)],
            ["date", "region", "units", "price", "note", "North", "South", "West", "checked"]);
    }

    /// <summary>A workbook-shaped zip whose sheet part expands to <paramref name="expandedBytes"/> of spaces: a zip bomb.</summary>
    public static void WriteZipBomb(string path, long expandedBytes)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        Put(zip, "[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>""");
        Put(zip, "xl/workbook.xml", $"""<?xml version="1.0"?><workbook xmlns="{Main}"/>""");
        using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
        var block = new byte[1 << 20];
        Array.Fill(block, (byte)' ');
        for (long written = 0; written < expandedBytes; written += block.Length) sheet.Write(block);
    }

    /// <summary>A workbook-shaped zip with <paramref name="parts"/> tiny parts.</summary>
    public static void WriteManyParts(string path, int parts)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        Put(zip, "[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>""");
        Put(zip, "xl/workbook.xml", $"""<?xml version="1.0"?><workbook xmlns="{Main}"/>""");
        for (var i = 0; i < parts; i++) zip.CreateEntry($"xl/media/image{i}.png", CompressionLevel.NoCompression);
    }

    /// <summary>
    /// Rewrites the sizes that the local header and the central directory declare for <paramref name="entryName"/>,
    /// as a hostile zip would, and optionally sets the "encrypted" flag of every entry.
    /// </summary>
    public static void Tamper(string path, string entryName, uint? declaredSize = null, bool markEncrypted = false)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var local = bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 3 && bytes[i + 3] == 4;
            var central = bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2;
            if (!local && !central) continue;
            var (flags, size, nameLength, nameStart) = local ? (6, 22, 26, 30) : (8, 24, 28, 46);
            var length = BitConverter.ToUInt16(bytes, i + nameLength);
            if (markEncrypted) bytes[i + flags] |= 1;
            if (declaredSize is { } declared && bytes.AsSpan(i + nameStart, length).SequenceEqual(name))
                BitConverter.GetBytes(declared).CopyTo(bytes, i + size);
        }
        File.WriteAllBytes(path, bytes);
    }

    static void Put(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
