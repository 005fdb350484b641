namespace ChartCraft.Features.Upload.Inference;

/// <summary>The cell texts that mean "no value" in real exports (pandas, R, Excel, databases).</summary>
public static class MissingValues
{
    /// <summary>
    /// Whether the trimmed cell text is a missing-value marker, ignoring case: "", NA, N/A, null, NaN, #N/A, &lt;NA&gt;
    /// (pandas), nil, and the dashes and the lone "." that reports and statistics packages (Stata, SAS) print for "no value".
    /// Not "None": in real files it is mostly a category ("damage: None / Minor / Substantial"); in a numeric column a
    /// stray "None" is counted as a value that did not parse.
    /// </summary>
    public static bool IsMissing(ReadOnlySpan<char> s) => s.Length switch
    {
        0 => true,
        1 => s[0] is '-' or '—' or '–' or '.',
        2 => s.Equals("NA", StringComparison.OrdinalIgnoreCase) || s is "--",
        3 => s.Equals("N/A", StringComparison.OrdinalIgnoreCase) || s.Equals("NaN", StringComparison.OrdinalIgnoreCase) ||
             s.Equals("nil", StringComparison.OrdinalIgnoreCase),
        4 => s.Equals("null", StringComparison.OrdinalIgnoreCase) ||
             s.Equals("#N/A", StringComparison.OrdinalIgnoreCase) || s.Equals("<NA>", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Spaces that surround cell values, including the non-breaking ones spreadsheets produce.</summary>
    public static bool IsBlank(char c) => c is ' ' or '\t' or '\u00A0' or '\u202F' or '\u2007' or '\r' or '\n' || (c > 127 && char.IsWhiteSpace(c));

    /// <summary>The cell as <see cref="DataColumn.Raw"/> holds it: trimmed, or null when missing. Reuses the string when nothing is trimmed.</summary>
    public static string? Normalize(string? cell)
    {
        if (cell is null) return null;
        var span = cell.AsSpan();
        int start = 0, end = span.Length;
        while (start < end && IsBlank(span[start])) start++;
        while (end > start && IsBlank(span[end - 1])) end--;
        var trimmed = span[start..end];
        if (IsMissing(trimmed)) return null;
        return trimmed.Length == cell.Length ? cell : trimmed.ToString();
    }
}
