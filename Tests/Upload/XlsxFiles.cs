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

    /// <summary>A worksheet: its name and the sheetData XML (rows and cells).</summary>
    public sealed record Sheet(string Name, string Rows);

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
        for (var i = 0; i < sheets.Count; i++)
            Put(zip, $"xl/worksheets/sheet{i + 1}.xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>{sheets[i].Rows}</sheetData></worksheet>""");
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
