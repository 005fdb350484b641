using System.Text;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// In compose the app reaches MinIO as http://minio:9000, a name no browser can resolve. Links are signed for
/// AWS_PUBLIC_ENDPOINT_URL instead, while every upload and read still goes to AWS_ENDPOINT_URL. Here the "public"
/// address is a TCP relay in front of the same s3rver, and the relay is cut while the app stores the file.
/// </summary>
public sealed class DeploymentLinkTests : IAsyncDisposable
{
    readonly TcpForwarder _public;
    readonly HttpClient _http = new();

    public DeploymentLinkTests()
    {
        var s3 = new Uri(TestEnvironment.S3EndpointUrl);
        _public = new TcpForwarder(s3.Host, s3.Port);
    }

    ChartCraftSettings Settings(string? publicEndpoint) =>
        ChartCraftSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = TestEnvironment.DatabaseUrl,
            ["REDIS_URL"] = TestEnvironment.RedisUrl,
            ["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret,
            ["AWS_S3_BUCKET"] = TestEnvironment.S3Bucket,
            ["AWS_ACCESS_KEY_ID"] = "S3RVER",
            ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            ["AWS_ENDPOINT_URL"] = TestEnvironment.S3EndpointUrl,
            ["AWS_PUBLIC_ENDPOINT_URL"] = publicEndpoint,
        }).Build());

    [Fact]
    public async Task download_links_are_signed_for_the_public_endpoint_while_files_go_to_the_internal_one()
    {
        var internalEndpoint = new Uri(TestEnvironment.S3EndpointUrl);
        var publicEndpoint = $"http://localhost:{_public.Port}";
        var settings = Settings(publicEndpoint).Storage;
        settings.EndpointUrl.ShouldBe(TestEnvironment.S3EndpointUrl);
        settings.LinkEndpointUrl.ShouldBe(publicEndpoint);
        using var storage = new S3BlobStorage(settings);
        var key = $"deployment/{Guid.NewGuid():N}/chart.png";

        _public.Cut(); // the public address is not needed to store, read or check
        await storage.PutAsync(key, new MemoryStream("PNG-BYTES"u8.ToArray()), "image/png");
        (await storage.ExistsAsync(key)).ShouldBeTrue();
        await storage.CheckAsync();
        var link = await storage.GetDownloadLinkAsync(key, "chart.png", "image/png", TimeSpan.FromMinutes(5));

        link.Url.Scheme.ShouldBe("http");
        link.Url.Host.ShouldBe("localhost");
        link.Url.Port.ShouldBe(_public.Port);
        link.Url.Port.ShouldNotBe(internalEndpoint.Port);
        link.Url.AbsolutePath.ShouldBe($"/{TestEnvironment.S3Bucket}/{key}");
        var query = System.Web.HttpUtility.ParseQueryString(link.Url.Query);
        query["X-Amz-SignedHeaders"].ShouldBe("host");
        query["X-Amz-Signature"].ShouldNotBeNullOrEmpty();

        _public.Start(); // the browser's way in
        using var response = await _http.GetAsync(link.Url);
        response.IsSuccessStatusCode.ShouldBeTrue();
        (await response.Content.ReadAsStringAsync()).ShouldBe("PNG-BYTES");
        response.Content.Headers.ContentDisposition!.ToString().ShouldContain("chart.png");
        await storage.DeleteAsync(key);
    }

    [Fact]
    public void without_a_public_endpoint_links_are_signed_for_the_one_the_app_uses()
    {
        var settings = Settings(null).Storage;
        settings.PublicEndpointUrl.ShouldBeNull();
        settings.LinkEndpointUrl.ShouldBe(TestEnvironment.S3EndpointUrl);
    }

    [Fact]
    public async Task a_link_without_a_public_endpoint_points_at_the_internal_one()
    {
        using var storage = new S3BlobStorage(Settings(" ").Storage);
        var link = await storage.GetDownloadLinkAsync("deployment/any.png", "any.png", "image/png", TimeSpan.FromMinutes(1));
        link.Url.Authority.ShouldBe(new Uri(TestEnvironment.S3EndpointUrl).Authority);
    }

    [Theory]
    [InlineData("localhost:9000")]
    [InlineData("ftp://files.example.com")]
    [InlineData("not a url")]
    public void a_malformed_public_endpoint_stops_start_up_naming_the_variable(string value)
    {
        var error = Should.Throw<InvalidConfigurationException>(() => Settings(value));
        error.Variable.ShouldBe("AWS_PUBLIC_ENDPOINT_URL");
        error.Message.ShouldContain(value);
    }

    public async ValueTask DisposeAsync()
    {
        await _public.DisposeAsync();
        _http.Dispose();
    }
}
