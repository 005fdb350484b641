using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Upload;

/// <summary>The upload answer says what was assumed about a file's shape, in its <c>warnings</c>, and keeps saying it.</summary>
[Collection(ApiCollection.Name)]
public sealed class FileShapeEndpointTests(AppFixture app)
{
    [Theory]
    [InlineData("station-rainfall.txt", "Read as space-separated values.", "rainfall_mm")]
    [InlineData("customers-apostrophes.csv", "Values quoted with ' were unquoted.", "customer")]
    [InlineData("sales-and-products.csv", "The file holds a second table from line 7; only the first table was read.", "q4")]
    [InlineData("regional-sales-two-row-header.csv", "The header spans two rows; names were merged, e.g. 'Sales 2023'.", "Sales 2024")]
    public async Task an_upload_of_an_unusual_shape_is_read_and_its_warning_says_what_was_assumed(string file, string warning, string column)
    {
        var user = await app.RegisterAsync();

        var body = await app.UploadOkAsync(user, await File.ReadAllBytesAsync(UploadFiles.Data(file)), file);

        body["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ShouldBe([warning]);
        body["column_info"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldContain(column);
        body["row_count"]!.GetValue<int>().ShouldBeGreaterThan(1);
        var source = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{body["data_source_id"]}")).JsonAsync();
        source["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ShouldBe([warning]);
    }
}
