using System.Net;
using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Upload;

[Collection(ApiCollection.Name)]
public sealed class UploadEndpointTests(AppFixture app)
{
    [Fact]
    public async Task a_huge_cell_is_kept_in_the_data_but_cut_in_the_column_samples()
    {
        var user = await app.RegisterAsync();
        var huge = new string('x', 50_000);
        var upload = await app.UploadOkAsync(user, $"note,value\n{huge},1\nshort,2\n", "notes.csv");

        var samples = upload["column_info"]![0]!["sample_values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        samples[0].ShouldBe(new string('x', ChartCraft.Features.Upload.ColumnInfo.MaxSampleLength) + "…");
        samples[1].ShouldBe("short");
        var preview = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{upload["data_source_id"]}/preview")).JsonAsync();
        preview["data"]![0]!["note"]!.GetValue<string>().Length.ShouldBe(50_000);
    }

    [Fact]
    public async Task an_xlsx_workbook_uploads_with_typed_columns_and_a_chosen_sheet()
    {
        // Through the endpoint the upload sits in a temp file without an extension: the reader must not need one.
        string[] strings = ["Month", "Revenue", "Region", "North", "South", "Target"];
        var bytes = Workbook(path => XlsxFiles.Write(path,
        [
            new XlsxFiles.Sheet("Sales", $"""
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
                <row r="2"><c r="A2" s="{XlsxFiles.DateStyle}"><v>45292</v></c><c r="B2"><v>1234.5</v></c><c r="C2" t="s"><v>3</v></c></row>
                <row r="3"><c r="A3" s="{XlsxFiles.DateStyle}"><v>45323</v></c><c r="B3"><v>2000</v></c><c r="C3" t="s"><v>4</v></c></row>
                """),
            new XlsxFiles.Sheet("Targets", """
                <row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>5</v></c></row>
                <row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>5000</v></c></row>
                """),
        ], strings));
        var user = await app.RegisterAsync();

        var upload = await app.UploadOkAsync(user, bytes, "report.xlsx");
        upload["file_type"]!.GetValue<string>().ShouldBe("xlsx");
        upload["row_count"]!.GetValue<int>().ShouldBe(2);
        upload["column_info"]!.AsArray().Select(c => $"{c!["name"]}:{c["type"]}").ShouldBe(["Month:datetime", "Revenue:numeric", "Region:categorical"]);
        var id = upload["data_source_id"]!.GetValue<string>();
        var preview = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview")).JsonAsync();
        preview["data"]![0]!["Month"]!.GetValue<string>().ShouldBe("2024-01-01");
        preview["data"]![1]!["Revenue"]!.GetValue<double>().ShouldBe(2000);

        var targets = await app.UploadOkAsync(user, bytes, "report.xlsx", sheet: "Targets");
        targets["column_info"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["Region", "Target"]);
    }

    public static TheoryData<string, string?, string?, string, string> CraftedWorkbooks => new()
    {
        // shape, dimension, merged range, rows after the table, the limit the detail names
        { "dimension and merge of Excel's whole grid", "A1:XFD1048576", "A1:XFD1048576", "", "at most 1,000,000 rows are supported" },
        { "merge as wide as Excel", null, "A1:XFD10", "", "at most 1,000 columns are supported" },
        { "merge of 20 million cells", null, "A1:ALL20000", "", "at most 10,485,760 cells are supported" },
        { "the probe's merge of 3 million cells", null, "A1:CV30000", "", "at most 10,000 cells are supported in one merged range" },
        { "the probe's merge of 100 000 cells", null, "A1:J10000", "", "at most 10,000 cells are supported in one merged range" },
        { "a row element in Excel's last row", null, null, """<row r="1048576"><c r="A1048576"><v>1</v></c></row>""", "at most 1,000,000 rows are supported" },
    };

    [Theory]
    [MemberData(nameof(CraftedWorkbooks))]
    public async Task a_workbook_declaring_more_cells_than_the_limits_is_422_naming_the_limit_and_nothing_is_stored(
        string shape, string? dimension, string? merge, string rows, string limit)
    {
        var user = await app.RegisterAsync();
        var response = await app.UploadAsync(user, CraftedWorkbook(dimension, merge, rows), "crafted.xlsx");

        ((int)response.StatusCode).ShouldBe(422, shape);
        var problem = (await response.JsonAsync()).ShouldBeProblem(422);
        problem["title"]!.GetValue<string>().ShouldBe("The workbook exceeds safe limits");
        problem["detail"]!.GetValue<string>().ShouldContain(limit, Case.Sensitive, shape);
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task a_merge_reaching_far_past_a_small_table_uploads_only_the_table()
    {
        var user = await app.RegisterAsync();
        var upload = await app.UploadOkAsync(user, CraftedWorkbook(null, "B2:CV100", ""), "merged.xlsx");

        upload["row_count"]!.GetValue<int>().ShouldBe(2);
        upload["column_count"]!.GetValue<int>().ShouldBe(3);
        // B2 (10) fills the merged cells inside the table: B3, C2 and C3.
        upload["column_info"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["region", "units", "price"]);
        var preview = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{upload["data_source_id"]}/preview")).JsonAsync();
        preview["data"]![1]!["price"]!.GetValue<double>().ShouldBe(10);
    }

    [Fact]
    public async Task nul_characters_in_workbook_cells_and_column_names_are_removed_not_a_500()
    {
        var bytes = Workbook(path => XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
            <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1</v></c></row>
            <row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>2</v></c></row>
            """)], ["re_x0000_gion", "units", "No_x0000_rth", "South_x0000_"]));
        var user = await app.RegisterAsync();

        var upload = await app.UploadOkAsync(user, bytes, "nul.xlsx");

        var id = upload["data_source_id"]!.GetValue<string>();
        var preview = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview")).JsonAsync();
        preview["data"]!.AsArray().Select(r => r!["region"]!.GetValue<string>()).ShouldBe(["North", "South"]);
    }

    [Fact]
    public async Task a_csv_with_nul_bytes_in_a_column_name_and_a_cell_is_415_as_binary_and_nothing_is_stored()
    {
        // A NUL never reaches the database from a text file: text with NUL bytes is refused as binary, not stripped.
        var user = await app.RegisterAsync();
        var response = await app.UploadAsync(user, Encoding.UTF8.GetBytes("re\0gion,units\nNo\0rth,1\nSouth,2\n"), "nul.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.JsonAsync()).ShouldBeProblem(415)["detail"]!.GetValue<string>().ShouldStartWith("The .csv file contains NUL bytes");
        await ShouldHaveNothingStored(user);
    }

    static byte[] CraftedWorkbook(string? dimension, string? merge, string rows) =>
        Workbook(path => XlsxFiles.WriteSmallTable(path, dimension, merge is null ? null : [merge], rows));

    /// <summary>The bytes of a workbook that <paramref name="write"/> writes to a temporary file, removed afterwards.</summary>
    static byte[] Workbook(Action<string> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chartcraft-test-{Guid.NewGuid():N}.xlsx");
        write(path);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    [Fact]
    public async Task a_csv_upload_returns_201_with_typed_columns_and_suggestions_and_stores_file_and_document()
    {
        var user = await app.RegisterAsync();
        var body = await app.UploadOkAsync(user, Uploads.SalesCsv(), "sales 2024.csv");

        body["file_name"]!.GetValue<string>().ShouldBe("sales 2024.csv");
        body["file_type"]!.GetValue<string>().ShouldBe("csv");
        body["row_count"]!.GetValue<int>().ShouldBe(72);
        body["column_count"]!.GetValue<int>().ShouldBe(5);
        body["size_bytes"]!.GetValue<long>().ShouldBe(Encoding.UTF8.GetByteCount(Uploads.SalesCsv()));
        var columns = body["column_info"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        columns["month"]!["type"]!.GetValue<string>().ShouldBe("datetime");
        columns["region"]!["type"]!.GetValue<string>().ShouldBe("categorical");
        columns["region"]!["unique_count"]!.GetValue<int>().ShouldBe(3);
        columns["revenue"]!["type"]!.GetValue<string>().ShouldBe("numeric");
        columns["revenue"]!["unit"]!.GetValue<string>().ShouldBe("$");
        columns["revenue"]!["sample_values"]![0]!.GetValue<double>().ShouldBe(1000);
        columns["margin"]!["unit"]!.GetValue<string>().ShouldBe("%");
        body["suggested_charts"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldContain("line");
        body["warnings"]!.AsArray().ShouldBeEmpty();

        var id = Guid.Parse(body["data_source_id"]!.GetValue<string>());
        await using var session = app.Store.QuerySession();
        var source = await session.LoadAsync<DataSource>(id);
        source!.UserId.ShouldBe(user.Id);
        source.Encoding.ShouldNotBeNull();
        source.Delimiter.ShouldBe(",");
        var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
        (await storage.ExistsAsync(source.StorageKey)).ShouldBeTrue();
        source.StorageKey.ShouldNotContain("sales 2024");
    }

    [Fact]
    public async Task a_png_renamed_csv_is_415_and_nothing_is_stored()
    {
        var user = await app.RegisterAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];
        var response = await app.UploadAsync(user, png, "innocent.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.JsonAsync()).ShouldBeProblem(415);
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task a_header_only_file_is_422_with_a_reason_and_nothing_is_stored()
    {
        var user = await app.RegisterAsync();
        var response = await app.UploadAsync(user, "a,b,c\n", "empty.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.JsonAsync()).ShouldBeProblem(422)["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task an_empty_file_is_422()
    {
        var user = await app.RegisterAsync();
        var response = await app.UploadAsync(user, [], "nothing.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task a_file_over_the_size_limit_is_413_and_leaves_no_temp_file()
    {
        var user = await app.RegisterAsync();
        var before = TempUploads();
        var big = new byte[10 * 1024 * 1024 + 10];
        Array.Fill(big, (byte)'1');
        var response = await app.UploadAsync(user, big, "big.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.JsonAsync()).ShouldBeProblem(413);
        TempUploads().ShouldBe(before);
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task the_size_limit_is_enforced_while_streaming_even_when_content_length_is_absent()
    {
        var user = await app.RegisterAsync();
        var big = new byte[10 * 1024 * 1024 + 10];
        Array.Fill(big, (byte)'2');
        var form = Uploads.Form(big, "chunked.csv");
        // A stream content of unknown length makes HttpClient send the body chunked, without Content-Length.
        var chunked = new StreamContent(new NonSeekableStream(await form.ReadAsByteArrayAsync()));
        chunked.Headers.ContentType = form.Headers.ContentType;
        var response = await app.Client(user.AccessToken).PostAsync("/api/data/upload", chunked);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        await ShouldHaveNothingStored(user);
    }

    [Fact]
    public async Task a_request_without_a_file_field_is_422_naming_file()
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).PostAsync("/api/data/upload",
            Uploads.Form("a,b\n1,2\n"u8.ToArray(), "data.csv", field: "document"));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.JsonAsync()).ShouldBeProblem(422)["errors"]!["file"].ShouldNotBeNull();
    }

    [Fact]
    public async Task a_path_in_the_file_name_is_kept_only_as_sanitised_metadata()
    {
        var user = await app.RegisterAsync();
        var body = await app.UploadOkAsync(user, "x,y\n1,2\n3,4\n", "../../etc/passwd\u0007.csv");
        var name = body["file_name"]!.GetValue<string>();
        name.ShouldNotContain("/");
        name.ShouldNotContain("..");
        name.ShouldNotContain("\u0007");
    }

    [Fact]
    public async Task upload_requires_authentication()
    {
        var response = await app.Client().PostAsync("/api/data/upload", Uploads.Form("a\n1\n"u8.ToArray(), "a.csv"));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    async Task ShouldHaveNothingStored(TestUser user)
    {
        await using var session = app.Store.QuerySession();
        (await session.Query<DataSource>().CountAsync(s => s.UserId == user.Id)).ShouldBe(0);
        var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
        (await storage.ListAsync($"uploads/{user.Id:N}/")).ShouldBeEmpty();
    }

    static int TempUploads() => Directory.GetFiles(Path.GetTempPath(), "chartcraft-upload-*").Length;

    /// <summary>Hides the length so the body goes out chunked.</summary>
    sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
