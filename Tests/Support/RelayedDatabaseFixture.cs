namespace ChartCraft.Tests.Support;

/// <summary>An app that reaches PostgreSQL through <paramref name="relay"/>, so a test can cut its database mid-request.</summary>
public sealed class RelayedDatabaseFixture(TcpForwarder relay) : AppFixture
{
    protected override IDictionary<string, string> Settings
    {
        get
        {
            var direct = new Uri(TestEnvironment.DatabaseUrl);
            var relayed = new UriBuilder(direct) { Host = "127.0.0.1", Port = relay.Port };
            return new Dictionary<string, string> { ["DATABASE_URL"] = relayed.Uri.ToString() };
        }
    }

    /// <summary>A relay in front of the test database.</summary>
    public static TcpForwarder NewRelay()
    {
        var direct = new Uri(TestEnvironment.DatabaseUrl);
        return new TcpForwarder(direct.Host, direct.Port);
    }
}
