using System.Text;
using System.Text.Unicode;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>Text of a data file as UTF-8 without a byte order mark, and the encoding it was written in.</summary>
/// <param name="Utf8">The text, UTF-8 encoded, for CsvHelper to read in place.</param>
/// <param name="Encoding">"utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252".</param>
/// <param name="Warning">Set when invalid bytes had to be replaced.</param>
public sealed record DecodedText(byte[] Utf8, string Encoding, string? Warning);

/// <summary>
/// Detects the encoding of a text data file — byte order marks, then UTF-8, then Windows-1252 so that
/// accented names from older Excel exports survive — and refuses binary content.
/// </summary>
public static class TextDecoder
{
    const int ControlSampleBytes = 64 * 1024;

    static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];
    static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];
    static ReadOnlySpan<byte> Utf32LeBom => [0xFF, 0xFE, 0x00, 0x00];

    static TextDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    static Encoding Windows1252 => Encoding.GetEncoding(1252);

    /// <summary>
    /// Decodes <paramref name="bytes"/> with the encoding they were read with before (<paramref name="knownEncoding"/>),
    /// or, when that is null, the one detected. Byte order marks and the binary checks apply either way.
    /// </summary>
    public static DecodedText Decode(byte[] bytes, string fileName, string? knownEncoding)
    {
        var detected = Decode(bytes, fileName);
        if (knownEncoding is null || knownEncoding == detected.Encoding) return detected;
        var body = bytes.AsSpan().StartsWith(Utf8Bom) ? bytes.AsSpan(3) : bytes;
        return knownEncoding switch
        {
            "windows-1252" => new DecodedText(Encoding.UTF8.GetBytes(Windows1252.GetString(body)), knownEncoding, null),
            "utf-8" or "utf-8-bom" => new DecodedText(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body)), knownEncoding, null),
            // UTF-16 and UTF-32 are recognised by their byte order marks, which detection always finds again.
            _ => detected,
        };
    }

    /// <summary>Decodes <paramref name="bytes"/>; a 415 <see cref="Infrastructure.Errors.ProblemException"/> when they are not text.</summary>
    public static DecodedText Decode(byte[] bytes, string fileName)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith(Utf32LeBom)) return FromUtf16(new UTF32Encoding(false, false), span[4..], "utf-32le", fileName);
        if (span.StartsWith(Utf16LeBom)) return FromUtf16(new UnicodeEncoding(false, false), span[2..], "utf-16le", fileName);
        if (span.StartsWith(Utf16BeBom)) return FromUtf16(new UnicodeEncoding(true, false), span[2..], "utf-16be", fileName);

        var hasBom = span.StartsWith(Utf8Bom);
        var body = hasBom ? span[3..] : span;
        if (body.Contains((byte)0)) throw Binary(fileName, "NUL bytes");
        if (CountControls(body[..Math.Min(body.Length, ControlSampleBytes)]) is var controls && controls * 100 > Math.Min(body.Length, ControlSampleBytes))
            throw Binary(fileName, "control characters");

        var name = hasBom ? "utf-8-bom" : "utf-8";
        if (Utf8.IsValid(body)) return new DecodedText(hasBom ? body.ToArray() : bytes, name, null);

        var (valid, invalid) = CountUtf8Sequences(body);
        // A file with many well-formed multi-byte sequences and a few bad bytes is damaged UTF-8, not Windows-1252:
        // decoding it as 1252 would garble every accented letter to fix a handful.
        if (hasBom || valid >= 20 * invalid)
        {
            var text = Encoding.UTF8.GetString(body);
            return new DecodedText(Encoding.UTF8.GetBytes(text), name,
                $"{invalid} invalid UTF-8 byte sequence{(invalid == 1 ? " was" : "s were")} replaced with '\uFFFD'.");
        }

        return new DecodedText(Encoding.UTF8.GetBytes(Windows1252.GetString(body)), "windows-1252", null);
    }

    static DecodedText FromUtf16(Encoding encoding, ReadOnlySpan<byte> body, string name, string fileName)
    {
        var text = encoding.GetString(body);
        var sample = text.AsSpan(0, Math.Min(text.Length, ControlSampleBytes));
        if (text.Contains('\0')) throw Binary(fileName, "NUL characters");
        var controls = 0;
        foreach (var c in sample)
            if (IsStrayControl(c)) controls++;
        if (controls * 100 > sample.Length) throw Binary(fileName, "control characters");
        return new DecodedText(Encoding.UTF8.GetBytes(text), name, null);
    }

    static int CountControls(ReadOnlySpan<byte> sample)
    {
        var count = 0;
        foreach (var b in sample)
            if (IsStrayControl((char)b)) count++;
        return count;
    }

    /// <summary>Control characters that text files do not contain (tab, line breaks, form feed and Ctrl-Z are allowed).</summary>
    static bool IsStrayControl(char c) => c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f' or '\u001A');

    static (int Valid, int Invalid) CountUtf8Sequences(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var ascii = bytes[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0) break;
            i += ascii;
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) == System.Buffers.OperationStatus.Done) valid++;
            else invalid++;
            i += Math.Max(consumed, 1);
        }
        return (valid, invalid);
    }

    static Infrastructure.Errors.ProblemException Binary(string fileName, string what) =>
        UploadProblems.Unsupported(
            $"The {Path.GetExtension(fileName).ToLowerInvariant()} file contains {what}: it is binary data, not delimited text. " +
            "Upload a .csv, .tsv or .txt text file, or an .xlsx workbook.");
}
