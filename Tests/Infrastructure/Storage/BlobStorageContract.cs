using System.Text;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure.Storage;

/// <summary>What every blob storage must do; run against local disk and a real S3-compatible server.</summary>
public abstract class BlobStorageContract
{
    protected abstract IBlobStorage Storage { get; }
    protected readonly string Prefix = $"contract/{Guid.NewGuid():N}/";

    static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    static async Task<string> ReadAll(Stream stream)
    {
        await using (stream)
        using (var reader = new StreamReader(stream))
            return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task a_stored_object_reads_back_byte_for_byte()
    {
        var key = Prefix + "a/data.csv";
        var content = "name,value\nÅsa,1\n" + new string('x', 100_000);
        await Storage.PutAsync(key, Bytes(content), "text/csv");
        (await Storage.ExistsAsync(key)).ShouldBeTrue();
        (await ReadAll((await Storage.OpenReadAsync(key))!)).ShouldBe(content);
    }

    [Fact]
    public async Task put_overwrites_and_delete_removes_and_missing_reads_are_null()
    {
        var key = Prefix + "overwrite.txt";
        await Storage.PutAsync(key, Bytes("one"), "text/plain");
        await Storage.PutAsync(key, Bytes("two"), "text/plain");
        (await ReadAll((await Storage.OpenReadAsync(key))!)).ShouldBe("two");
        await Storage.DeleteAsync(key);
        (await Storage.ExistsAsync(key)).ShouldBeFalse();
        (await Storage.OpenReadAsync(key)).ShouldBeNull();
        await Storage.DeleteAsync(key); // deleting twice is fine
    }

    [Fact]
    public async Task list_returns_objects_under_a_prefix_with_sizes()
    {
        await Storage.PutAsync(Prefix + "list/one.txt", Bytes("1"), "text/plain");
        await Storage.PutAsync(Prefix + "list/two.txt", Bytes("22"), "text/plain");
        await Storage.PutAsync(Prefix + "other/three.txt", Bytes("333"), "text/plain");
        var listed = await Storage.ListAsync(Prefix + "list/");
        listed.Select(b => b.Key).OrderBy(k => k).ShouldBe([Prefix + "list/one.txt", Prefix + "list/two.txt"]);
        listed.Single(b => b.Key.EndsWith("two.txt")).SizeBytes.ShouldBe(2);
        (await Storage.ListAsync(Prefix + "nothing/")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a//b")]
    public async Task keys_that_could_escape_are_refused(string key)
    {
        await Should.ThrowAsync<ArgumentException>(() => Storage.PutAsync(key, Bytes("x"), "text/plain"));
    }

    [Fact]
    public async Task health_check_passes()
    {
        await Storage.CheckAsync();
    }

    [Fact]
    public async Task a_download_link_serves_the_file_without_credentials_until_it_expires()
    {
        var key = Prefix + "report.png";
        await Storage.PutAsync(key, Bytes("PNGDATA"), "image/png");
        var link = await Storage.GetDownloadLinkAsync(key, "Q1 \"revenue\"/chart.png", "image/png", TimeSpan.FromMinutes(5));
        link.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(4));
        using var response = await Download(link.Url);
        response.IsSuccessStatusCode.ShouldBeTrue();
        (await response.Content.ReadAsStringAsync()).ShouldBe("PNGDATA");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        var disposition = response.Content.Headers.ContentDisposition!.ToString();
        disposition.ShouldContain("chart.png");
        disposition.ShouldNotContain("/");
    }

    [Fact]
    public async Task deleting_a_folder_prefix_removes_everything_below_it_and_nothing_beside_it()
    {
        // More than one DeleteObjects page would need 1 000 objects; a nested folder proves the prefix is deep.
        foreach (var name in new[] { "user/a.csv", "user/nested/b.png", "user/nested/deeper/c.zip" })
            await Storage.PutAsync(Prefix + name, Bytes(name), "text/plain");
        await Storage.PutAsync(Prefix + "user-other/kept.csv", Bytes("kept"), "text/csv");
        await Storage.PutAsync(Prefix + "userkept.csv", Bytes("kept"), "text/csv");

        (await Storage.DeletePrefixAsync(Prefix + "user/")).ShouldBe(3);

        (await Storage.ListAsync(Prefix + "user/")).ShouldBeEmpty();
        (await Storage.ListAsync(Prefix)).Select(b => b.Key).Order().ShouldBe([Prefix + "user-other/kept.csv", Prefix + "userkept.csv"]);
        (await Storage.DeletePrefixAsync(Prefix + "user/")).ShouldBe(0); // again: nothing left, no error
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("exports")]
    [InlineData("../x/")]
    public async Task a_prefix_that_is_not_a_safe_folder_is_refused(string prefix)
    {
        await Should.ThrowAsync<ArgumentException>(() => Storage.DeletePrefixAsync(prefix));
    }

    /// <summary>GET the link the way a browser would: no bearer token.</summary>
    protected abstract Task<HttpResponseMessage> Download(Uri url);
}

public sealed class LocalBlobStorageTests : BlobStorageContract, IClassFixture<AppFixture>
{
    readonly AppFixture _app;

    public LocalBlobStorageTests(AppFixture app)
    {
        _app = app;
        Storage = (IBlobStorage)app.Host.Services.GetService(typeof(IBlobStorage))!;
    }

    protected override IBlobStorage Storage { get; }

    protected override Task<HttpResponseMessage> Download(Uri url) => _app.Client().GetAsync(url.PathAndQuery);

    [Fact]
    public void the_app_uses_local_storage_when_no_bucket_is_configured() => Storage.Kind.ShouldBe("local");

    /// <summary>
    /// Local only: s3rver answers a delimiter listing at the bucket's root with no common prefixes at all (while it
    /// answers one under a prefix correctly), so the S3 implementation's delimiter query cannot be checked against it.
    /// </summary>
    [Fact]
    public async Task top_folders_name_every_area_that_holds_files()
    {
        await Storage.PutAsync(Prefix + "x.txt", new MemoryStream("x"u8.ToArray()), "text/plain");
        await Storage.PutAsync($"area-{Guid.NewGuid():N}/y.txt", new MemoryStream("y"u8.ToArray()), "text/plain");
        var folders = await Storage.ListTopFoldersAsync();
        folders.ShouldContain("contract");
        folders.ShouldContain(f => f.StartsWith("area-"));
        folders.ShouldAllBe(f => !f.Contains('/'));
    }

    [Fact]
    public async Task a_tampered_link_is_403_and_an_expired_one_is_410()
    {
        var key = Prefix + "secret.csv";
        await Storage.PutAsync(key, new MemoryStream("a,b"u8.ToArray()), "text/csv");
        var link = await Storage.GetDownloadLinkAsync(key, "secret.csv", "text/csv", TimeSpan.FromMinutes(5));

        var otherKey = link.Url.PathAndQuery.Replace("secret.csv?", "other.csv?");
        var tampered = await _app.Client().GetAsync(otherKey);
        ((int)tampered.StatusCode).ShouldBe(403);
        (await tampered.JsonAsync()).ShouldBeProblem(403);

        var longer = link.Url.PathAndQuery.Replace("expires=", "expires=9");
        ((int)(await _app.Client().GetAsync(longer)).StatusCode).ShouldBe(403);

        var expired = await Storage.GetDownloadLinkAsync(key, "secret.csv", "text/csv", TimeSpan.FromSeconds(-5));
        var gone = await _app.Client().GetAsync(expired.Url.PathAndQuery);
        ((int)gone.StatusCode).ShouldBe(410);
        (await gone.JsonAsync()).ShouldBeProblem(410);
    }
}

public sealed class S3BlobStorageTests : BlobStorageContract, IDisposable
{
    readonly S3BlobStorage _s3 = new(new StorageSettings(TestEnvironment.S3Bucket, "us-east-1", "S3RVER", "S3RVER",
        TestEnvironment.S3EndpointUrl, "unused", TimeSpan.FromHours(1)));
    readonly HttpClient _http = new();

    protected override IBlobStorage Storage => _s3;

    protected override Task<HttpResponseMessage> Download(Uri url) => _http.GetAsync(url);

    [Fact]
    public async Task a_presigned_link_points_at_the_bucket_and_stops_working_after_expiry()
    {
        var key = Prefix + "short.txt";
        await Storage.PutAsync(key, new MemoryStream("short-lived"u8.ToArray()), "text/plain");
        var link = await Storage.GetDownloadLinkAsync(key, "short.txt", "text/plain", TimeSpan.FromSeconds(1));
        link.Url.AbsolutePath.ShouldStartWith($"/{TestEnvironment.S3Bucket}/");
        link.Url.Query.ShouldContain("X-Amz-Signature=");
        await Task.Delay(2500);
        var response = await _http.GetAsync(link.Url);
        ((int)response.StatusCode).ShouldBe(403);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(365)]
    public async Task a_link_asked_for_a_week_or_longer_stays_under_the_sigv4_ceiling_and_says_when_it_ends(int days)
    {
        var key = Prefix + "long.txt";
        await Storage.PutAsync(key, new MemoryStream("long-lived"u8.ToArray()), "text/plain");
        var asked = DateTimeOffset.UtcNow;

        var link = await Storage.GetDownloadLinkAsync(key, "long.txt", "text/plain", TimeSpan.FromDays(days));

        // S3 rejects X-Amz-Expires above 604 800; the link must also tell the caller its real end.
        var seconds = int.Parse(System.Web.HttpUtility.ParseQueryString(link.Url.Query)["X-Amz-Expires"]!);
        seconds.ShouldBeInRange(604_600, 604_799);
        (link.ExpiresAt - asked).ShouldBe(S3BlobStorage.MaxLinkLifetime, TimeSpan.FromSeconds(5));
        (await _http.GetAsync(link.Url)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    public void Dispose()
    {
        _s3.Dispose();
        _http.Dispose();
    }
}
