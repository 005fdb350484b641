using System.IO.Compression;
using System.Xml;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>Finding a worksheet's part in an .xlsx and reading cell references, for the readers that stream sheet XML themselves.</summary>
public static class XlsxParts
{
    static readonly string[] RelationshipNamespaces =
    [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships", // strict OOXML
    ];

    /// <summary>"D4" → 3, "AA10" → 26 (0-based, A = 0); for "XFD4", 16 383.</summary>
    public static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c)) break;
            // A reference longer than Excel's three letters cannot overflow: past the grid it stays past the grid.
            index = Math.Min(index * 26 + (char.ToUpperInvariant(c) - 'A' + 1), 1 << 24);
        }
        return index - 1;
    }

    /// <summary>1 → "A", 28 → "AB", 16 384 → "XFD".</summary>
    public static string ColumnName(int column)
    {
        var name = "";
        for (; column > 0; column = (column - 1) / 26) name = (char)('A' + (column - 1) % 26) + name;
        return name;
    }

    /// <summary>The worksheet part of a sheet name, through workbook.xml and its relationships; null when they do not lead to one.</summary>
    public static ZipArchiveEntry? SheetPart(ZipArchive zip, string sheetName)
    {
        string? relationId = null;
        using (var reader = Open(zip, "xl/workbook.xml"))
            while (reader?.Read() == true)
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.GetAttribute("name") == sheetName)
                {
                    relationId = RelationshipNamespaces.Select(ns => reader.GetAttribute("id", ns)).FirstOrDefault(id => id is not null);
                    break;
                }
        if (relationId is null) return null;

        using var relations = Open(zip, "xl/_rels/workbook.xml.rels");
        while (relations?.Read() == true)
        {
            if (relations.NodeType != XmlNodeType.Element || relations.LocalName != "Relationship" || relations.GetAttribute("Id") != relationId) continue;
            var target = relations.GetAttribute("Target") ?? "";
            return zip.GetEntry(target.StartsWith('/') ? target[1..] : "xl/" + target);
        }
        return null;
    }

    /// <summary>A streaming reader over a part; DTDs (entity expansion) are refused.</summary>
    public static XmlReader OpenXml(ZipArchiveEntry entry) =>
        XmlReader.Create(entry.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });

    static XmlReader? Open(ZipArchive zip, string part) => zip.GetEntry(part) is { } entry ? OpenXml(entry) : null;
}
