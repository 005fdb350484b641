using System.Text;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>Column names a user and a chart request can refer to: tidied, never blank, unique ignoring case.</summary>
public static class ColumnNames
{
    public const int MaxLength = 200;

    /// <summary>The name generated for the column at <paramref name="index"/> (0-based) when the file gives none.</summary>
    public static string Generated(int index) => $"column_{index + 1}";

    /// <summary>
    /// Trims names and collapses inner whitespace and line breaks; blank names become column_N (N = position);
    /// repeated names become name_2, name_3 ("Sales", "sales" → "Sales", "sales_2"), never clashing with a name the file has.
    /// </summary>
    public static string[] Clean(IReadOnlyList<string?> header)
    {
        var names = new string[header.Count];
        for (var i = 0; i < header.Count; i++)
            names[i] = Tidy(header[i]) is { Length: > 0 } tidy ? tidy : Generated(i);

        var taken = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            if (used.Add(names[i])) continue;
            var suffix = 2;
            while (taken.Contains($"{names[i]}_{suffix}")) suffix++;
            names[i] = $"{names[i]}_{suffix}";
            taken.Add(names[i]);
            used.Add(names[i]);
        }
        return names;
    }

    static string Tidy(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var text = new StringBuilder(name.Length);
        var space = false;
        foreach (var c in name)
        {
            if (c == '\uFEFF' || char.IsControl(c) && !char.IsWhiteSpace(c)) continue;
            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }
            if (space) text.Append(' ');
            space = false;
            text.Append(c);
        }
        return text.Length > MaxLength ? text.ToString(0, MaxLength).TrimEnd() : text.ToString();
    }
}
