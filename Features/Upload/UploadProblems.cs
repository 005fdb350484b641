namespace ChartCraft.Features.Upload;

/// <summary>The user-facing failures of reading an uploaded file, with consistent titles.</summary>
public static class UploadProblems
{
    public const string UnsupportedTitle = "Unsupported file type";
    public const string UnparsableTitle = "The file cannot be parsed";

    /// <summary>415: the file is not one of the accepted kinds, judged by name or content.</summary>
    public static ProblemException Unsupported(string detail) => new(StatusCodes.Status415UnsupportedMediaType, UnsupportedTitle, detail);

    /// <summary>422: an accepted kind of file whose content cannot be turned into a table.</summary>
    public static ProblemException Unparsable(string detail) => new(StatusCodes.Status422UnprocessableEntity, UnparsableTitle, detail);

    /// <summary>422 with its own title, for failures a user fixes in a specific way.</summary>
    public static ProblemException Unprocessable(string title, string detail) => new(StatusCodes.Status422UnprocessableEntity, title, detail);

    public const string DamagedWorkbook =
        "The workbook is damaged or uses features that cannot be read; open it in Excel and save it again, or export the sheet as CSV.";

    /// <summary>422: a workbook larger, expanded or as declared, than it may be read (see <see cref="DataFileLimits"/>); the detail names the limit.</summary>
    public static ProblemException WorkbookBeyondLimits(string detail) => Unprocessable("The workbook exceeds safe limits", detail);

    /// <summary>413: larger than MAX_FILE_SIZE_MB.</summary>
    public static ProblemException TooLarge(long maxBytes) => new(StatusCodes.Status413PayloadTooLarge, "The file is too large",
        $"The file is larger than the limit of {Megabytes(maxBytes)}.");

    public static string Megabytes(long bytes) => bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : $"{bytes / (1024.0 * 1024):0.#} MB";
}
