namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// A header spread over two rows, as spreadsheets write a label spanning several columns:
/// "Region,Sales,,Profit," above ",2023,2024,2023,2024" gives Region, Sales 2023, Sales 2024, Profit 2023, Profit 2024.
/// </summary>
public static class TwoRowHeader
{
    const int SampleRows = 200;

    /// <summary>
    /// One name per column merged from the first two rows, or null when the second row is data. It is a header only when
    /// every value in it is a label (text, or a year) standing over a column of numbers, dates or flags of which it is not
    /// one: a first data row holds values of the kind of its column, at least in one cell.
    /// </summary>
    /// <param name="rows">The header row, the row below it, then a sample of the data rows.</param>
    public static string?[]? Merge(IReadOnlyList<string?[]> rows)
    {
        if (rows.Count < 3) return null;
        var (top, second) = (rows[0], rows[1]);
        var labels = 0;
        for (var c = 0; c < second.Length; c++)
        {
            var kind = HeaderDetector.Classify(second[c]);
            if (kind == CellKind.Empty) continue;
            if (!IsLabelOverValues(rows, c, kind, second[c]!)) return null;
            labels++;
        }
        if (labels == 0) return null;

        var merged = new string?[Math.Max(top.Length, second.Length)];
        string? spanning = null;
        for (var c = 0; c < merged.Length; c++)
        {
            var upper = c < top.Length ? top[c] : null;
            var lower = c < second.Length ? second[c] : null;
            // A top label stands over the columns to its right that have a label below and none above.
            if (!string.IsNullOrWhiteSpace(upper)) spanning = string.IsNullOrWhiteSpace(lower) ? null : upper;
            else if (!string.IsNullOrWhiteSpace(lower)) upper = spanning;
            else spanning = null;
            merged[c] = string.Join(' ', new[] { upper, lower }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
        }
        return merged;
    }

    /// <summary>"2023" or "USD" above numbers (that are not years themselves); never above text, where it could be a value.</summary>
    static bool IsLabelOverValues(IReadOnlyList<string?[]> rows, int column, CellKind kind, string label)
    {
        Span<int> counts = stackalloc int[5];
        int years = 0;
        for (var r = 2; r < Math.Min(rows.Count, SampleRows + 2); r++)
        {
            var cell = column < rows[r].Length ? rows[r][column] : null;
            var cellKind = HeaderDetector.Classify(cell);
            counts[(int)cellKind]++;
            if (cellKind == CellKind.Number && IsYear(cell)) years++;
        }
        counts[(int)CellKind.Empty] = 0;
        var filled = counts[1] + counts[2] + counts[3] + counts[4];
        if (filled == 0 || counts[(int)CellKind.Text] * 2 >= filled) return false;
        var below = (CellKind)(counts[2] >= counts[3] && counts[2] >= counts[4] ? 2 : counts[3] >= counts[4] ? 3 : 4);
        return kind switch
        {
            CellKind.Text => true,
            CellKind.Number => IsYear(label) && below == CellKind.Number && years * 2 < filled,
            _ => kind != below,
        };
    }

    static bool IsYear(string? text) =>
        text is { Length: 4 } && int.TryParse(text, System.Globalization.NumberStyles.None, null, out var year) && year is >= 1800 and <= 2100;

    /// <summary>A merged name made of two parts, for the warning ("Sales 2023"); else the first non-blank one.</summary>
    public static string Example(string?[] merged, string?[] second)
    {
        for (var c = 0; c < merged.Length; c++)
            if (c < second.Length && !string.IsNullOrWhiteSpace(second[c]) && merged[c] != second[c]?.Trim())
                return merged[c]!;
        return merged.First(m => !string.IsNullOrWhiteSpace(m))!;
    }
}
