namespace ChartCraft.Tests.Support;

/// <summary>
/// Where the real services of a test run are. ./test.sh starts them and exports these variables;
/// the defaults match its ports, so `KEEP_SERVICES=1 ./test.sh` once lets `dotnet test` run alone.
/// </summary>
public static class TestEnvironment
{
    public static string DatabaseUrl =>
        Environment.GetEnvironmentVariable("DATABASE_URL") ?? "postgresql://postgres@127.0.0.1:55433/chartcraft";

    public static string RedisUrl =>
        Environment.GetEnvironmentVariable("REDIS_URL") ?? "redis://127.0.0.1:56380/0";

    public static string S3EndpointUrl =>
        Environment.GetEnvironmentVariable("TEST_S3_ENDPOINT_URL") ?? "http://127.0.0.1:4569";

    public static string S3Bucket => Environment.GetEnvironmentVariable("TEST_S3_BUCKET") ?? "chartcraft-test";

    /// <summary>A secret that passes the start-up strength check.</summary>
    public const string JwtSecret = "test-secret-8f3b2c1d9e7a6f5b4c3d2e1f0a9b8c7d";

    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
