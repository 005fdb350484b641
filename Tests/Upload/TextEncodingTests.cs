using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;

namespace ChartCraft.Tests.Upload;

public sealed class TextEncodingTests : IDisposable
{
    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ParsedFile Read(string path, string fileName) => DataFileReader.Read(path, fileName, null, DataFileLimits.Default);

    static string?[] Column(ParsedFile parsed, string name) => parsed.Data.Find(name)!.Raw.ToArray();

    [Fact]
    public void utf8_with_a_byte_order_mark_is_read_without_the_mark_in_the_first_name()
    {
        var parsed = Read(UploadFiles.Data("utf8-bom.csv"), "utf8-bom.csv");

        parsed.Encoding.ShouldBe("utf-8-bom");
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["name", "city", "score"]);
        Column(parsed, "name").ShouldBe(["Zoë", "José", "Łukasz", "Søren"]);
        Column(parsed, "city").ShouldBe(["Montréal", "São Paulo", "Kraków", "København"]);
    }

    [Fact]
    public void utf8_without_a_mark_is_reported_as_utf8()
    {
        var parsed = Read(UploadFiles.Data("european-sales.csv"), "european-sales.csv");

        parsed.Encoding.ShouldBe("utf-8");
        Column(parsed, "Filiale").ShouldContain("München");
    }

    [Fact]
    public void utf16_little_endian_with_a_mark_is_decoded()
    {
        var parsed = Read(UploadFiles.Data("utf16le.txt"), "utf16le.txt");

        parsed.Encoding.ShouldBe("utf-16le");
        parsed.FileType.ShouldBe("txt");
        parsed.Delimiter.ShouldBe("\t");
        Column(parsed, "product").ShouldBe(["Crème brûlée", "Smörgåsbord", "Jalapeño poppers"]);
        parsed.Data.Find("price")!.Numbers.ShouldBe([4.5, 12.75, 6]);
    }

    [Fact]
    public void utf16_big_endian_with_a_mark_is_decoded()
    {
        var text = "città,abitanti\nTorino,848885\nNapoli,909048\n";
        var path = _files.WriteBytes("cities.csv", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)]);

        var parsed = Read(path, "cities.csv");

        parsed.Encoding.ShouldBe("utf-16be");
        parsed.Data.Columns[0].Name.ShouldBe("città");
        parsed.Data.Find("abitanti")!.Numbers.ShouldBe([848885, 909048]);
    }

    [Fact]
    public void windows_1252_text_falls_back_so_that_accents_and_the_euro_sign_survive()
    {
        var parsed = Read(UploadFiles.Data("windows-1252.csv"), "primes.csv");

        parsed.Encoding.ShouldBe("windows-1252");
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["employé", "service", "prime"]);
        Column(parsed, "employé").ShouldBe(["Zoë Müller", "François Lefèvre", "Señor Peña", "Ångström Åsa"]);
        var bonus = parsed.Data.Find("prime")!;
        bonus.Type.ShouldBe(ColumnTypes.Numeric);
        bonus.Unit.ShouldBe("€");
        bonus.Numbers.ShouldBe([1200.0, 950.5, 1050.0, 800.0]);
    }

    [Fact]
    public void utf8_with_a_stray_invalid_byte_stays_utf8_and_says_so()
    {
        var rows = string.Concat(Enumerable.Range(1, 30).Select(i => $"Café {i},Zürich,{i}\n"));
        var bytes = Encoding.UTF8.GetBytes("name,city,n\n" + rows).ToList();
        bytes.InsertRange(bytes.Count - 3, [0xFF]);
        var path = _files.WriteBytes("damaged.csv", bytes.ToArray());

        var parsed = Read(path, "damaged.csv");

        parsed.Encoding.ShouldBe("utf-8");
        Column(parsed, "name")[0].ShouldBe("Café 1");
        parsed.Warnings.ShouldContain("1 invalid UTF-8 byte sequence was replaced with '\uFFFD'.");
    }

    [Fact]
    public void text_with_nul_bytes_is_refused_with_415()
    {
        var path = _files.WriteBytes("nul.csv", Encoding.UTF8.GetBytes("a,b\n1,\0\0\0\n"));

        var problem = Should.Throw<ProblemException>(() => Read(path, "nul.csv"));

        problem.Status.ShouldBe(415);
        problem.Detail.ShouldBe("The .csv file contains NUL bytes: it is binary data, not delimited text. " +
                                "Upload a .csv, .tsv or .txt text file, or an .xlsx workbook.");
    }

    [Fact]
    public void text_full_of_control_characters_is_refused_with_415()
    {
        var garbage = Enumerable.Range(0, 400).Select(i => (byte)(i % 2 == 0 ? 0x01 + i % 7 : 'a')).ToArray();
        var path = _files.WriteBytes("controls.txt", garbage);

        var problem = Should.Throw<ProblemException>(() => Read(path, "controls.txt"));

        problem.Status.ShouldBe(415);
        problem.Detail!.ShouldStartWith("The .txt file contains control characters");
    }

    [Fact]
    public void utf16_without_a_mark_is_refused_as_binary_because_it_holds_nul_bytes()
    {
        var path = _files.WriteBytes("wide.csv", Encoding.Unicode.GetBytes("a,b\n1,2\n"));

        Should.Throw<ProblemException>(() => Read(path, "wide.csv")).Status.ShouldBe(415);
    }
}
