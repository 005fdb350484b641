using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;

namespace ChartCraft.Tests.Upload;

public sealed class FileInspectorTests : IDisposable
{
    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ProblemException Refused(string path, string fileName, DataFileLimits? limits = null) =>
        Should.Throw<ProblemException>(() => DataFileReader.Read(path, fileName, null, limits ?? DataFileLimits.Default));

    /// <summary>Stored files (under Data/) refused before a row is read, with the file name the user gave them.</summary>
    public static TheoryData<string, string, int, string, string> RefusedFiles => new()
    {
        { "Upload/chart.png.csv", "chart.csv", 415, "Unsupported file type",
            "The file is named .csv but its content is a PNG image, not text. Upload a .csv, .tsv or .txt file of delimited text, or an .xlsx workbook." },
        { "Upload/random-bytes.csv", "data.csv", 415, "Unsupported file type",
            "The .csv file contains NUL bytes: it is binary data, not delimited text. Upload a .csv, .tsv or .txt text file, or an .xlsx workbook." },
        { "Upload/empty.csv", "empty.csv", 422, "The file is empty", "The uploaded file has no content." },
        { "Upload/encrypted-workbook.xlsx", "budget.xlsx", 422, "The workbook is password-protected",
            "The workbook is password-protected (encrypted). Remove the password in Excel and upload it again, or export the sheet as CSV." },
        { "Upload/legacy-workbook.xlsx", "budget.xlsx", 415, "Unsupported file type",
            "The file is named .xlsx but it is a legacy .xls workbook (or another OLE document): save it as .xlsx or export it as CSV." },
        { "VegaDatasets/population.csv", "population.xlsx", 415, "Unsupported file type", "The file is named .xlsx but its content is not an Excel workbook." },
        { "Upload/chart.png.csv", "chart.xlsx", 415, "Unsupported file type", "The file is named .xlsx but its content is a PNG image." },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public void a_file_that_is_not_what_its_name_says_or_holds_nothing_readable_is_refused(
        string storedFile, string fileName, int status, string title, string detail)
    {
        var problem = Refused(Path.Combine(AppContext.BaseDirectory, "Data", storedFile), fileName);

        problem.Status.ShouldBe(status);
        problem.Title.ShouldBe(title);
        problem.Detail.ShouldBe(detail);
    }

    public static TheoryData<string, byte[], string> Executables()
    {
        var elf = new byte[64];
        "\u007FELF"u8.CopyTo(elf);
        elf[4] = 2;
        var pe = new byte[256];
        "MZ"u8.CopyTo(pe);
        BitConverter.GetBytes(128).CopyTo(pe, 0x3C);
        "PE\0\0"u8.CopyTo(pe.AsSpan(128));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
        return new() { { "report.csv", elf, "an ELF executable" }, { "setup.tsv", pe, "a Windows executable" }, { "notes.txt", pdf, "a PDF document" } };
    }

    [Theory]
    [MemberData(nameof(Executables))]
    public void executables_and_documents_renamed_to_text_are_refused_with_415(string fileName, byte[] content, string described)
    {
        var problem = Refused(_files.WriteBytes(fileName, content), fileName);

        problem.Status.ShouldBe(415);
        problem.Detail!.ShouldContain($"its content is {described}, not text");
    }

    [Fact]
    public void text_that_happens_to_start_with_MZ_is_read_as_text()
    {
        var path = _files.WriteText("codes.csv", "MZ,value\nAB,1\nCD,2\n");

        var parsed = DataFileReader.Read(path, "codes.csv", null, DataFileLimits.Default);

        parsed.Data.RowCount.ShouldBe(2);
        parsed.Data.Columns[0].Name.ShouldBe("MZ");
    }

    [Theory]
    [InlineData("report.pdf", ".pdf files are not supported: upload a .csv, .tsv, .txt or .xlsx file.")]
    [InlineData("data.json", ".json files are not supported: upload a .csv, .tsv, .txt or .xlsx file.")]
    [InlineData("old.xls", "Legacy .xls workbooks (Excel 97–2003) are not supported: save the workbook as .xlsx or export it as CSV.")]
    [InlineData("macros.xlsm", ".xlsm workbooks are not supported: save the workbook as .xlsx or export it as CSV.")]
    [InlineData("README", "The file name has no extension: upload a .csv, .tsv, .txt or .xlsx file.")]
    public void other_extensions_are_refused_with_415(string fileName, string detail)
    {
        var problem = Refused(_files.WriteText("upload.bin", "a,b\n1,2\n"), fileName);

        problem.Status.ShouldBe(415);
        problem.Detail.ShouldBe(detail);
    }

    [Fact]
    public void extensions_are_matched_ignoring_case()
    {
        var parsed = DataFileReader.Read(_files.WriteText("x", "a,b\n1,2\n"), "EXPORT.CSV", null, DataFileLimits.Default);

        parsed.FileType.ShouldBe("csv");
    }

    [Fact]
    public void a_file_over_the_upload_limit_is_refused_with_413()
    {
        var path = _files.WriteText("big.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 300_000)));

        var problem = Refused(path, "big.csv", DataFileLimits.ForMaxFileBytes(1024 * 1024));

        problem.Status.ShouldBe(413);
        problem.Detail.ShouldBe("The file is larger than the limit of 1 MB.");
    }

    [Fact]
    public void a_zip_without_workbook_parts_is_refused_with_415()
    {
        var path = _files.Scratch("photos.xlsx");
        using (var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("holiday/readme.txt").Open()))
            writer.Write("not a workbook");

        var problem = Refused(path, "photos.xlsx");

        problem.Status.ShouldBe(415);
        problem.Detail.ShouldBe("The file is named .xlsx and is a ZIP archive, but not an Excel workbook (it has no xl/workbook.xml part).");
    }

    [Fact]
    public void a_zip_bomb_is_refused_with_422_from_its_directory_without_expanding_it()
    {
        var path = _files.Scratch("bomb.xlsx");
        XlsxFiles.WriteZipBomb(path, 210L * 1024 * 1024);
        new FileInfo(path).Length.ShouldBeLessThan(1024 * 1024, "the bomb is small on disk");

        var clock = Stopwatch.StartNew();
        var problem = Refused(path, "bomb.xlsx");
        clock.Stop();

        problem.Status.ShouldBe(422);
        problem.Title.ShouldBe("The workbook exceeds safe limits");
        problem.Detail.ShouldBe("The workbook was refused because it expands to more than 200 MB when unpacked; it may be a zip bomb. " +
                                "Export the sheet as CSV or split the workbook.");
        // Expanding 210 MB takes far longer than reading a zip directory.
        clock.ElapsedMilliseconds.ShouldBeLessThan(1000);
    }

    [Fact]
    public void the_expansion_limit_is_configurable()
    {
        var path = _files.Scratch("bomb.xlsx");
        XlsxFiles.WriteZipBomb(path, 3L * 1024 * 1024);

        var problem = Refused(path, "bomb.xlsx", DataFileLimits.Default with { MaxUncompressedBytes = 2 * 1024 * 1024 });

        problem.Status.ShouldBe(422);
        problem.Detail!.ShouldContain("it expands to more than 2 MB when unpacked");
    }

    [Fact]
    public void a_zip_with_too_many_parts_is_refused_with_422()
    {
        var path = _files.Scratch("parts.xlsx");
        XlsxFiles.WriteManyParts(path, 10_001);

        var problem = Refused(path, "parts.xlsx");

        problem.Status.ShouldBe(422);
        problem.Detail.ShouldBe("The workbook was refused because it holds 10,003 parts (the limit is 10,000); it may be a zip bomb. " +
                                "Export the sheet as CSV or split the workbook.");
    }

    [Fact]
    public void a_workbook_with_encrypted_zip_entries_is_refused_with_422()
    {
        var path = _files.Scratch("locked.xlsx");
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """<row r="1"><c r="A1" t="s"><v>0</v></c></row>""")], ["name"]);
        XlsxFiles.Tamper(path, "xl/workbook.xml", markEncrypted: true);

        var problem = Refused(path, "locked.xlsx");

        problem.Status.ShouldBe(422);
        problem.Title.ShouldBe("The workbook is password-protected");
    }

    [Fact]
    public void a_truncated_workbook_is_refused_with_422()
    {
        var path = _files.Scratch("cut.xlsx");
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """<row r="1"><c r="A1" t="s"><v>0</v></c></row>""")], ["name"]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var problem = Refused(path, "cut.xlsx");

        problem.Status.ShouldBe(422);
        problem.Detail!.ShouldStartWith("The workbook is damaged and cannot be opened as a ZIP archive");
    }
}
