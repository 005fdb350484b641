using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;

namespace ChartCraft.Tests.Cluster;

/// <summary>
/// scripts/cluster.sh with three instances behind nginx, on ports of its own, started once: production settings,
/// a migrated schema, files in S3, shared by the cluster collection. The tests talk to one instance at a time where it matters which, and to the
/// balancer otherwise.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    const int BasePort = 3300;
    public const string Frontend = "https://app.example.com";
    /// <summary>How often the cluster-wide jobs run here (FILE_CLEANUP_…, INTEGRATION_CHECK_…,
    /// WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES = 0.1), so a test sees several intervals.</summary>
    public static readonly TimeSpan JobInterval = TimeSpan.FromSeconds(6);
    public string Balancer => $"http://127.0.0.1:{BasePort}";
    public string Instance(int i) => $"http://127.0.0.1:{BasePort + i}";
    readonly string _dir = Path.Combine(Path.GetTempPath(), $"chartcraft-cluster-test-{Environment.ProcessId}");

    /// <summary>The Mailchimp every instance talks to (OAuth and API).</summary>
    public FakeMailchimp Mailchimp { get; } = new();

    /// <summary>Where the instances write their mails (.eml; scripts/cluster.sh sets MAIL_DROP_PATH there).</summary>
    public string MailDrop => Path.Combine(_dir, "mail");

    /// <summary>Instance <paramref name="i"/>'s log (compact JSON, one event a line).</summary>
    public string LogOf(int i) => Path.Combine(_dir, $"app-{i}.log");

    async Task<(int Code, string Output)> Cluster(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DeploymentFiles.Root };
        start.ArgumentList.Add(Path.Combine(DeploymentFiles.Root, "scripts", "cluster.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CLUSTER_DIR"] = _dir;
        start.Environment["CLUSTER_PORT"] = BasePort.ToString();
        start.Environment["CLUSTER_PG_PORT"] = "55453";
        start.Environment["CLUSTER_REDIS_PORT"] = "56391";
        start.Environment["CLUSTER_S3_PORT"] = "4589";
        start.Environment["RATE_LIMIT_PER_MINUTE"] = "40";
        start.Environment["RENDER_WARM_UP"] = "false"; // three Chromiums at start-up would only slow the suite
        start.Environment["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true"; // the drill's receiver listens on this machine
        start.Environment["CLUSTER_PUBLIC_BASE_URL"] = ""; // links follow the host nginx forwards
        foreach (var job in new[] { "FILE_CLEANUP_INTERVAL_MINUTES", "INTEGRATION_CHECK_INTERVAL_MINUTES", "WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES" })
            start.Environment[job] = (JobInterval.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FRONTEND_URL"] = Frontend;
        start.Environment["MAILCHIMP_CLIENT_ID"] = FakeMailchimp.ClientId;
        start.Environment["MAILCHIMP_CLIENT_SECRET"] = FakeMailchimp.ClientSecret;
        start.Environment["MAILCHIMP_LOGIN_BASE_URL"] = Mailchimp.LoginBaseUrl;
        start.Environment["MAILCHIMP_API_BASE_URL"] = Mailchimp.ApiBaseTemplate;
        // The app this test run was built with, not whatever bin/Release holds.
        start.Environment["CLUSTER_APP_DLL"] = AppBuild.Dll;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public async Task InitializeAsync()
    {
        var (code, output) = await Cluster("start", "3");
        if (code != 0) throw new InvalidOperationException("scripts/cluster.sh start failed:\n" + output);
    }

    public Task<(int Code, string Output)> Kill(int instance) => Cluster("kill", instance.ToString());
    public Task<(int Code, string Output)> Restart(int instance) => Cluster("restart", instance.ToString());
    public Task<(int Code, string Output)> RestartPostgres(int downSeconds) => Cluster("pg-restart", downSeconds.ToString());

    public async Task DisposeAsync()
    {
        await Cluster("stop");
        await Mailchimp.DisposeAsync();
        // KEEP_CLUSTER_DIR=1 keeps the instances' logs for a look after a failure.
        if (Environment.GetEnvironmentVariable("KEEP_CLUSTER_DIR") is null) try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The status of each background job (an export, a publish) under <paramref name="route"/> once it has
    /// finished, asking one request a round (the user's limit is 40 a minute) about the first job not yet seen finished.</summary>
    public static async Task<Dictionary<string, string>> WaitForJobs(HttpClient client, string route, List<string> jobIds, TimeSpan timeout)
    {
        var status = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline
               && jobIds.FirstOrDefault(id => status.GetValueOrDefault(id) is not ("completed" or "failed")) is { } pending)
        {
            var response = await client.GetAsync($"{route}/{pending}");
            if (response.StatusCode == HttpStatusCode.OK)
                status[pending] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
            if (status.GetValueOrDefault(pending) is not ("completed" or "failed")) await Task.Delay(TimeSpan.FromSeconds(4));
        }
        return status;
    }

    /// <summary>A client for <paramref name="token"/>'s user on instance <paramref name="instance"/>.</summary>
    public HttpClient On(int instance, string token) => ClientFrom(Instance(instance)).WithToken(token);

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x is this machine), so the
    /// balancer (the one trusted proxy, 127.0.0.1) sees a client that is not itself. Redirects are not followed.</summary>
    public static HttpClient ClientFrom(string baseUrl, string localAddress = "127.0.0.2") => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
            await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Instance against instance: data, caches and limits shared through PostgreSQL, Redis and S3.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture cluster)
{
    /// <summary>A new user, and a client for them on each instance (1, 2, 3).</summary>
    async Task<(string Token, HttpClient[] On)> UserOnEveryInstance()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await anonymous.RegisterAsync();
        return (token, [.. Enumerable.Range(1, 3).Select(i => cluster.On(i, token))]);
    }

    [Fact]
    public async Task a_source_uploaded_on_one_instance_is_charted_on_another_and_every_instance_serves_the_current_chart()
    {
        var (_, clients) = await UserOnEveryInstance();
        using var one = clients[0];
        using var two = clients[1];
        using var three = clients[2];

        var sourceId = await one.UploadBarleyAsync();
        // Instance 2 never saw the file: it reloads it from S3.
        var chartId = await two.CreateYieldChartAsync(sourceId);

        // Everyone reads it (and may keep it in memory), then instance 1 changes it: 2 and 3 serve the new state.
        foreach (var client in new[] { one, two, three })
            (await client.GetFromJsonAsync<JsonElement>($"/api/charts/{chartId}")).GetProperty("title").GetString().ShouldBe("Yield by site");
        (await one.PutAsJsonAsync($"/api/charts/{chartId}", new { title = "Barley yield by site" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var client in new[] { two, three })
            (await client.GetFromJsonAsync<JsonElement>($"/api/charts/{chartId}")).GetProperty("title").GetString().ShouldBe("Barley yield by site");

        // Deleted through instance 3: gone on 1 and 2.
        (await three.DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        foreach (var client in new[] { one, two })
            (await client.GetAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task after_a_source_is_deleted_its_analysis_and_suggestions_are_gone_on_every_instance()
    {
        var (_, clients) = await UserOnEveryInstance();
        using var one = clients[0];
        using var two = clients[1];
        using var three = clients[2];
        var sourceId = await one.UploadBarleyAsync();
        foreach (var client in new[] { two, three })
        {
            var analysis = await client.PostAsJsonAsync("/api/data/analyze", new { data_source_id = sourceId, analysis_type = "full" });
            analysis.StatusCode.ShouldBe(HttpStatusCode.OK, await analysis.Content.ReadAsStringAsync());
            (await client.GetAsync($"/api/charts/suggest-type?data_source_id={sourceId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await one.DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        foreach (var client in new[] { two, three })
        {
            (await client.PostAsJsonAsync("/api/data/analyze", new { data_source_id = sourceId, analysis_type = "full" })).StatusCode
                .ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync($"/api/charts/suggest-type?data_source_id={sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync($"/api/data/sources/{sourceId}/preview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task one_rate_limit_across_instances_keyed_by_the_real_client_behind_the_balancer()
    {
        // 40 a minute for this client, whichever instance nginx picks; a made-up X-Forwarded-For buys nothing.
        using var client = ClusterFixture.ClientFrom(cluster.Balancer, "127.0.0.3");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 44; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
            {
                Content = JsonContent.Create(new { email = "nobody@example.com", password = "wrong password" }),
            };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        statuses.Take(40).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(40).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);

        // Another client behind the same balancer has its own budget.
        using var other = ClusterFixture.ClientFrom(cluster.Balancer, "127.0.0.4");
        (await other.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong password" })).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
    }
}
