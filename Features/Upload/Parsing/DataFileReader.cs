using System.Collections.Concurrent;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>A data file read into a typed data set, with how it was read and what the user should know about it.</summary>
/// <param name="Data">The typed columns.</param>
/// <param name="FileType">"csv", "tsv", "txt" or "xlsx".</param>
/// <param name="Encoding">The text encoding found ("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"); null for xlsx.</param>
/// <param name="Delimiter">The separator found ("," ";" "\t" "|" or " "); null for xlsx and single-column text.</param>
/// <param name="Sheet">The worksheet read; null for text files.</param>
/// <param name="Warnings">How the file was read where it matters (skipped rows, ambiguous dates, replaced bytes, the shape assumed: separator, quotes, a second table, a two-row header), for <c>warnings</c>.</param>
public sealed record ParsedFile(DataSet Data, string FileType, string? Encoding, string? Delimiter, string? Sheet, IReadOnlyList<string> Warnings);

/// <summary>
/// How a text file was read before (<see cref="ParsedFile.Encoding"/> and <see cref="ParsedFile.Delimiter"/>); reading
/// it again with them gives the same table even if detection would now decide otherwise. Null parts are detected.
/// </summary>
public sealed record TextFormat(string? Encoding, string? Delimiter);

/// <summary>
/// The data engine's entry point: validates an uploaded file by content, reads its table (CSV/TSV/TXT with CsvHelper,
/// xlsx with MiniExcel) and infers the type of every column. Failures a user can act on are ProblemExceptions
/// (413, 415, 422) whose detail says what is wrong.
/// </summary>
public static class DataFileReader
{
    /// <summary>Cells above which columns are typed in parallel; below it, starting tasks costs more than it saves.</summary>
    const long ParallelCells = 100_000;

    /// <param name="path">The temporary file the upload was streamed to.</param>
    /// <param name="fileName">The name the user gave the file; its extension must agree with the content.</param>
    /// <param name="sheet">For xlsx, the worksheet to read (the first when null).</param>
    /// <param name="limits">Size limits (upload size, xlsx expansion and parts, columns).</param>
    /// <param name="readAs">For a text file read before, how it was read; null at upload, where both are detected.</param>
    public static ParsedFile Read(string path, string fileName, string? sheet, DataFileLimits limits, TextFormat? readAs = null)
    {
        var fileType = FileInspector.Inspect(path, fileName, limits);
        var warnings = new List<string>();

        if (fileType == DataFileTypes.Xlsx)
        {
            var workbook = XlsxTableReader.Read(path, sheet, limits, warnings);
            // Excel stores numbers and dates in binary: the cell texts are invariant, whatever the user's locale.
            var data = Infer(workbook.Table, InferenceHints.Default, warnings);
            return new ParsedFile(data, fileType, null, null, workbook.Sheet, warnings);
        }

        var text = TextDecoder.Decode(File.ReadAllBytes(path), fileName, readAs?.Encoding);
        if (text.Warning is not null) warnings.Add(text.Warning);
        var csv = CsvTableReader.Read(text.Utf8, limits.MaxColumns, warnings, readAs?.Delimiter is [var separator] ? separator : null);
        var european = IsEuropean(csv);
        var dataSet = Infer(csv.Table, new InferenceHints(DecimalComma: european, DayFirst: european), warnings);
        var delimiter = csv.Table.Columns.Length > 1 ? csv.Separator.ToString() : null;
        return new ParsedFile(dataSet, fileType, text.Encoding, delimiter, null, warnings);
    }

    /// <summary>
    /// Whether the file follows European conventions for values no column can decide alone: the ';' separator
    /// (which Excel writes where the decimal separator is a comma), or more values across the file with a decimal
    /// comma than with a decimal point.
    /// </summary>
    static bool IsEuropean(CsvTable csv)
    {
        if (csv.Separator == ';') return true;
        int comma = 0, dot = 0;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        foreach (var column in csv.Table.Columns)
        {
            for (var i = 0; i < column.Count && i < 2000; i++)
            {
                if (column.IsMissing(i) || column.Text(i, scratch) is not { Length: > 1 } cell) continue;
                switch (NumberParser.Evidence(cell))
                {
                    case DecimalEvidence.Comma: comma++; break;
                    case DecimalEvidence.Dot: dot++; break;
                }
            }
        }
        return comma > dot;
    }

    static DataSet Infer(RawTable table, InferenceHints hints, List<string> warnings)
    {
        var columns = new DataColumn[table.Columns.Length];
        var columnWarnings = new List<string>[columns.Length];
        void InferAt(int i)
        {
            columnWarnings[i] = [];
            columns[i] = TypeInference.InferColumn(table.Names[i], table.Columns[i], hints, columnWarnings[i]);
        }

        // The largest columns first, so that the last one to start is a small one and both cores finish together.
        if ((long)table.RowCount * columns.Length >= ParallelCells)
            Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, columns.Length).OrderByDescending(i => table.Columns[i].EstimatedBytes),
                EnumerablePartitionerOptions.NoBuffering), InferAt);
        else for (var i = 0; i < columns.Length; i++) InferAt(i);

        foreach (var list in columnWarnings) warnings.AddRange(list);
        return new DataSet { Columns = columns, RowCount = table.RowCount };
    }
}
