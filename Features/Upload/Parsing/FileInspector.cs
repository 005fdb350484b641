using System.IO.Compression;
using System.Text;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// Decides by content, not only by name, whether an uploaded file is a data file this service reads:
/// the extension and the magic bytes must agree, and an .xlsx must be a well-formed, reasonably sized,
/// unencrypted OOXML workbook. Text files are checked for binary content when they are decoded.
/// </summary>
public static class FileInspector
{
    const int HeadBytes = 4096;

    /// <summary>The file type ("csv", "tsv", "txt" or "xlsx"), or a <see cref="Infrastructure.Errors.ProblemException"/> (413, 415 or 422).</summary>
    public static string Inspect(string path, string fileName, DataFileLimits limits)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var fileType = DataFileTypes.FromFileName(fileName) ?? throw UploadProblems.Unsupported(UnsupportedExtension(extension));

        var length = new FileInfo(path).Length;
        if (length == 0) throw UploadProblems.Unprocessable("The file is empty", "The uploaded file has no content.");
        if (length > limits.MaxFileBytes) throw UploadProblems.TooLarge(limits.MaxFileBytes);

        var head = ReadHead(path);
        if (fileType == DataFileTypes.Xlsx) InspectWorkbook(path, head, limits);
        else if (FileSignatures.Describe(head) is { } binary)
            throw UploadProblems.Unsupported($"The file is named {extension} but its content is {binary}, not text. " +
                                             "Upload a .csv, .tsv or .txt file of delimited text, or an .xlsx workbook.");
        return fileType;
    }

    static string UnsupportedExtension(string extension) => extension switch
    {
        ".xls" => "Legacy .xls workbooks (Excel 97–2003) are not supported: save the workbook as .xlsx or export it as CSV.",
        ".xlsm" or ".xlsb" => $"{extension} workbooks are not supported: save the workbook as .xlsx or export it as CSV.",
        "" => "The file name has no extension: upload a .csv, .tsv, .txt or .xlsx file.",
        _ => $"{extension} files are not supported: upload a .csv, .tsv, .txt or .xlsx file.",
    };

    static byte[] ReadHead(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[Math.Min(HeadBytes, stream.Length)];
        stream.ReadExactly(head);
        return head;
    }

    static void InspectWorkbook(string path, byte[] head, DataFileLimits limits)
    {
        if (head.AsSpan().StartsWith(FileSignatures.OleCompoundFile))
        {
            // Excel saves a workbook with a password as an OLE compound file holding an "EncryptedPackage" stream;
            // any other compound file is a legacy .xls (or another Office document) renamed to .xlsx.
            if (ContainsEncryptedPackage(path))
                throw UploadProblems.Unprocessable("The workbook is password-protected",
                    "The workbook is password-protected (encrypted). Remove the password in Excel and upload it again, or export the sheet as CSV.");
            throw UploadProblems.Unsupported(
                "The file is named .xlsx but it is a legacy .xls workbook (or another OLE document): save it as .xlsx or export it as CSV.");
        }

        if (!head.AsSpan().StartsWith(FileSignatures.Zip))
            throw UploadProblems.Unsupported(
                $"The file is named .xlsx but its content is {FileSignatures.Describe(head) ?? "not an Excel workbook"}.");

        using var zip = OpenZip(path);
        // Entries are listed from the central directory at the end of the file; nothing is decompressed here.
        // The sizes it declares are binding: System.IO.Compression stops reading an entry at its declared length.
        var entries = zip.Entries;
        if (entries.Count > limits.MaxZipEntries)
            throw ZipBomb($"it holds {entries.Count:N0} parts (the limit is {limits.MaxZipEntries:N0})");

        long expanded = 0;
        var hasContentTypes = false;
        var hasWorkbook = false;
        foreach (var entry in entries)
        {
            expanded += entry.Length;
            if (expanded > limits.MaxUncompressedBytes)
                throw ZipBomb($"it expands to more than {UploadProblems.Megabytes(limits.MaxUncompressedBytes)} when unpacked");
            if (entry.IsEncrypted)
                throw UploadProblems.Unprocessable("The workbook is password-protected",
                    "The workbook's parts are encrypted. Remove the password and upload it again, or export the sheet as CSV.");
            hasContentTypes |= entry.FullName == "[Content_Types].xml";
            hasWorkbook |= entry.FullName == "xl/workbook.xml";
        }

        if (!hasContentTypes || !hasWorkbook)
            throw UploadProblems.Unsupported(
                "The file is named .xlsx and is a ZIP archive, but not an Excel workbook (it has no xl/workbook.xml part).");
    }

    static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw UploadProblems.Unparsable($"The workbook is damaged and cannot be opened as a ZIP archive ({e.Message.TrimEnd('.')}).");
        }
    }

    static Infrastructure.Errors.ProblemException ZipBomb(string reason) =>
        UploadProblems.WorkbookBeyondLimits(
            $"The workbook was refused because {reason}; it may be a zip bomb. Export the sheet as CSV or split the workbook.");

    static bool ContainsEncryptedPackage(string path)
    {
        // The directory of a compound file names its streams in UTF-16LE; the file is within the upload limit.
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0;
    }
}
