namespace ChartCraft.Features.Upload.Parsing;

/// <summary>The kinds of data file an upload accepts, named as the API reports them in <c>file_type</c>.</summary>
public static class DataFileTypes
{
    public const string Csv = "csv";
    public const string Tsv = "tsv";
    public const string Txt = "txt";
    public const string Xlsx = "xlsx";

    public static readonly IReadOnlyList<string> All = [Csv, Tsv, Txt, Xlsx];

    public static bool IsText(string fileType) => fileType is Csv or Tsv or Txt;

    /// <summary>The media type the original file is stored and served with.</summary>
    public static string ContentType(string fileType) => fileType switch
    {
        Csv => "text/csv",
        Tsv => "text/tab-separated-values",
        Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/plain",
    };

    /// <summary>The type for a file name's extension, or null when the extension is not accepted.</summary>
    public static string? FromFileName(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".csv" => Csv,
            ".tsv" => Tsv,
            ".txt" => Txt,
            ".xlsx" => Xlsx,
            _ => null,
        };
}
