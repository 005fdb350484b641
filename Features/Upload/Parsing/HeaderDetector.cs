using ChartCraft.Features.Upload.Inference;
namespace ChartCraft.Features.Upload.Parsing;

/// <summary>What a cell of a table holds before typing, as header and table detection compare them.</summary>
enum CellKind : byte { Empty, Text, Number, Date, Boolean }

/// <summary>Decides whether the first row of a table holds column names or is already data.</summary>
public static class HeaderDetector
{
    const int SampleRows = 200;


    /// <summary>
    /// The first row is a header when one of its text cells stands over a column of numbers, dates or flags, when all
    /// of it is text (the usual CSV, and the only safe reading of an all-text file), and when it lists increasing years
    /// (2019, 2020, 2021: the header of a wide table). It is data when it holds a number, date or flag itself and no
    /// label stands over typed values, as in a headerless export.
    /// </summary>
    public static bool FirstRowIsHeader(IReadOnlyList<string?[]> rows)
    {
        if (rows.Count == 0) return false;
        var first = rows[0];
        var kinds = first.Select(Classify).ToArray();
        if (kinds.All(k => k == CellKind.Empty)) return true;
        if (LabelsOverTypedColumns(rows, kinds)) return true;
        if (IncreasingYears(first)) return true;
        return kinds.All(k => k is CellKind.Text or CellKind.Empty);
    }

    /// <summary>A cell of the first row over a column of typed values of another kind: "revenue" over numbers, "2024-01" over numbers.</summary>
    static bool LabelsOverTypedColumns(IReadOnlyList<string?[]> rows, CellKind[] firstKinds)
    {
        Span<int> counts = stackalloc int[5];
        for (var column = 0; column < firstKinds.Length; column++)
        {
            if (firstKinds[column] == CellKind.Empty) continue;
            counts.Clear();
            for (var r = 1; r < Math.Min(rows.Count, SampleRows + 1); r++)
                counts[(int)(column < rows[r].Length ? Classify(rows[r][column]) : CellKind.Empty)]++;
            counts[(int)CellKind.Empty] = 0;
            var majority = (CellKind)counts.IndexOf(Max(counts));
            var filled = counts[1] + counts[2] + counts[3] + counts[4];
            if (filled > 0 && majority != CellKind.Text && counts[(int)majority] * 2 > filled && firstKinds[column] != majority)
                return true;
        }
        return false;
    }

    static int Max(ReadOnlySpan<int> values)
    {
        var max = values[0];
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    /// <summary>"2019, 2020, 2021" or "country, 2019, 2020, 2021": label columns first, then at least two increasing years.</summary>
    static bool IncreasingYears(string?[] row)
    {
        var previous = 0;
        var count = 0;
        var leadingLabels = true;
        foreach (var cell in row)
        {
            var text = MissingValues.Normalize(cell);
            if (text is null) continue;
            if (leadingLabels && Classify(text) == CellKind.Text) continue;
            leadingLabels = false;
            if (text.Length != 4 || !int.TryParse(text, out var year) || year is < 1800 or > 2100 || year <= previous) return false;
            previous = year;
            count++;
        }
        return count >= 2;
    }

    /// <summary>What a cell holds, as the header detection sees it: a label (text), a typed value, or nothing.</summary>
    internal static CellKind Classify(string? cell)
    {
        var text = MissingValues.Normalize(cell);
        if (text is null) return CellKind.Empty;
        // Single letters are names more often than flags in a header: x, y, t.
        if (text.Length > 1 && BooleanText.TryParse(text, zeroOne: false, out _)) return CellKind.Boolean;
        if (NumberParser.TryParse(text, false, out _, out _, out _) || NumberParser.TryParse(text, true, out _, out _, out _))
            return CellKind.Number;
        if (DateParser.TryParse(text, out _)) return CellKind.Date;
        return CellKind.Text;
    }
}
