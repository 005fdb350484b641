using System.Text;

namespace ChartCraft.Features.Upload;

/// <summary>File names as users gave them, made safe to store and show as metadata (never used as a path).</summary>
public static class FileNames
{
    public const int MaxLength = 255;
    public const string Fallback = "upload";

    /// <summary>
    /// The last segment after / or \ (browsers on Windows may send a full path), without control or bidirectional
    /// override characters (which can disguise "evil‮txt.exe" as "evilexe.txt"), trimmed, NFC-normalized and at most
    /// 255 characters with the extension kept.
    /// </summary>
    public static string Sanitize(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) return Fallback;
        var name = fileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];

        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsControl(c) || IsBidiControl(c) || c is '\uFEFF' or '\u200B') continue;
            clean.Append(c);
        }
        var result = clean.ToString().Trim().Trim('.').Trim();
        if (result.Length == 0) return Fallback;
        if (result.Length <= MaxLength) return result;

        var extension = Path.GetExtension(result);
        if (extension.Length > 16) extension = "";
        var stem = result[..(MaxLength - extension.Length)];
        // Do not cut a surrogate pair in half.
        if (char.IsHighSurrogate(stem[^1])) stem = stem[..^1];
        return stem.TrimEnd() + extension;
    }

    static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
