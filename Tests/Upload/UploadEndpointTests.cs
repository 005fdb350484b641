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
