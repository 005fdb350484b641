using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChartCraft.Tests.Support;

/// <summary>Multipart uploads the way a browser sends them.</summary>
public static class Uploads
{
    public static MultipartFormDataContent Form(byte[] content, string fileName, string? sheet = null, string field = "file")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, field, fileName);
        if (sheet is not null) form.Add(new StringContent(sheet), "sheet");
        return form;
    }

    public static Task<HttpResponseMessage> UploadAsync(this AppFixture app, TestUser user, byte[] content, string fileName, string? sheet = null) =>
        app.Client(user.AccessToken).PostAsync("/api/data/upload", Form(content, fileName, sheet));

    public static Task<HttpResponseMessage> UploadAsync(this AppFixture app, TestUser user, string csv, string fileName = "data.csv") =>
        app.UploadAsync(user, Encoding.UTF8.GetBytes(csv), fileName);

    /// <summary>Uploads and returns the 201 body, failing with the problem body otherwise.</summary>
    public static async Task<JsonNode> UploadOkAsync(this AppFixture app, TestUser user, byte[] content, string fileName, string? sheet = null)
    {
        var response = await app.UploadAsync(user, content, fileName, sheet);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, body);
        return JsonNode.Parse(body)!;
    }

    public static Task<JsonNode> UploadOkAsync(this AppFixture app, TestUser user, string csv, string fileName = "data.csv") =>
        app.UploadOkAsync(user, Encoding.UTF8.GetBytes(csv), fileName);

    /// <summary>Monthly sales for three regions over two years: dates, categories, currency and percent.</summary>
    public static string SalesCsv()
    {
        var lines = new StringBuilder("month,region,revenue,margin,units\n");
        string[] regions = ["North", "South", "West"];
        for (var m = 0; m < 24; m++)
            for (var r = 0; r < regions.Length; r++)
            {
                var revenue = 1000 + m * 100 + r * 250;
                lines.Append($"{new DateTime(2023, 1, 1).AddMonths(m):yyyy-MM-dd},{regions[r]},\"${revenue:N0}\",{10 + r}.5%,{m + r + 1}\n");
            }
        return lines.ToString();
    }
}
