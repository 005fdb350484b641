namespace ChartCraft.Features.Upload.Parsing;

/// <summary>Recognizes well-known binary formats from their first bytes (magic numbers).</summary>
public static class FileSignatures
{
    /// <summary>The OLE compound file header: legacy .xls/.doc, and Office files encrypted with a password.</summary>
    public static ReadOnlySpan<byte> OleCompoundFile => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>A local file header, the start of every non-empty zip (and so of every .xlsx).</summary>
    public static ReadOnlySpan<byte> Zip => "PK\u0003\u0004"u8;

    static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];
    static ReadOnlySpan<byte> Elf => [0x7F, 0x45, 0x4C, 0x46];
    static ReadOnlySpan<byte> Gzip => [0x1F, 0x8B];
    static ReadOnlySpan<byte> MachOFat => [0xCA, 0xFE, 0xBA, 0xBE];
    static ReadOnlySpan<byte> MachO64 => [0xCF, 0xFA, 0xED, 0xFE];

    /// <summary>What the bytes are, in words a user understands ("a PNG image"), or null when no known binary format matches.</summary>
    public static string? Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Zip) || head.StartsWith("PK\u0005\u0006"u8)) return "a ZIP archive";
        if (head.StartsWith(OleCompoundFile)) return "an OLE compound file (a legacy Office document)";
        if (head.StartsWith(Png)) return "a PNG image";
        if (head.StartsWith(Jpeg)) return "a JPEG image";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "a GIF image";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "a WebP image";
        if (head.StartsWith("%PDF-"u8)) return "a PDF document";
        if (head.StartsWith(Elf)) return "an ELF executable";
        if (IsPortableExecutable(head)) return "a Windows executable";
        if (head.StartsWith(Gzip)) return "a gzip archive";
        if (head.StartsWith("7z"u8) && head.Length >= 6 && head[2] == 0xBC && head[3] == 0xAF) return "a 7-Zip archive";
        if (head.StartsWith("Rar!"u8)) return "a RAR archive";
        if (head.StartsWith(MachOFat) || head.StartsWith(MachO64)) return "a macOS executable";
        return null;
    }

    /// <summary>"MZ" alone could start a line of text; a PE file also points at a "PE\0\0" header.</summary>
    static bool IsPortableExecutable(ReadOnlySpan<byte> head)
    {
        if (head.Length < 64 || head[0] != 'M' || head[1] != 'Z') return false;
        var peOffset = BitConverter.ToInt32(head[0x3C..0x40]);
        if (peOffset >= 64 && peOffset + 4 <= head.Length && head.Slice(peOffset, 4).SequenceEqual("PE\0\0"u8)) return true;
        // A DOS header holds zero bytes in its fields; text that happens to start with "MZ" does not.
        return head[..64].Contains((byte)0);
    }
}
