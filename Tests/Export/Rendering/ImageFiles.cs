using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>Reads what the tests check in PNG and PDF bytes, straight from the file formats.</summary>
public static class ImageFiles
{
    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>IHDR is the first chunk: length(4) "IHDR"(4) width(4) height(4) bit depth(1) colour type(1)…</summary>
    public static (int Width, int Height, int BitDepth, int ColorType) PngHeader(byte[] png)
    {
        png.AsSpan(0, 8).ToArray().ShouldBe(PngSignature);
        Encoding.ASCII.GetString(png, 12, 4).ShouldBe("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)),
            png[24], png[25]);
    }

    /// <summary>
    /// RGBA of the top-left pixel of an 8-bit RGBA PNG. Every PNG filter predicts the first pixel of the first row
    /// from zeros, so its bytes follow the row's filter-type byte unchanged: no unfiltering needed.
    /// </summary>
    public static byte[] TopLeftPixel(byte[] png)
    {
        var header = PngHeader(png);
        header.BitDepth.ShouldBe(8);
        header.ColorType.ShouldBe(6);
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IDAT") idat.Write(png, offset + 8, length);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var firstBytes = new byte[5];
        zlib.ReadExactly(firstBytes);
        return firstBytes[1..];
    }

    /// <summary>Page objects of a PDF (Chromium writes page dictionaries uncompressed).</summary>
    public static int PdfPageCount(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?![a-zA-Z])").Count;

    /// <summary>The document Title of the PDF's info dictionary: a literal string, or UTF-16BE hex for non-Latin text.</summary>
    public static string? PdfTitle(byte[] pdf)
    {
        var match = System.Text.RegularExpressions.Regex.Match(Encoding.Latin1.GetString(pdf), @"/Title\s*(?:\(((?:\\.|[^\\)])*)\)|<FEFF([0-9A-Fa-f]*)>)");
        if (!match.Success) return null;
        return match.Groups[1].Success ? match.Groups[1].Value : Encoding.BigEndianUnicode.GetString(Convert.FromHexString(match.Groups[2].Value));
    }
}
