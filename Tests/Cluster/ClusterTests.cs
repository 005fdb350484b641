using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Cluster;

/// <summary>
/// scripts/cluster.sh with three instances behind nginx, on ports of its own, for the whole class: production settings,
/// a migrated schema, files in S3. The tests talk to one instance at a time where it matters which, and to the
/// balancer otherwise.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    const int BasePort = 3300;
    public string Balancer => $"http://127.0.0.1:{BasePort}";
    public string Instance(int i) => $"http://127.0.0.1:{BasePort + i}";
    readonly string _dir = Path.Combine(Path.GetTempPath(), $"chartcraft-cluster-test-{Environment.ProcessId}");

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
        // ./test.sh has built bin/Release already (the tests reference the app); a bare `dotnet test` builds it here.
        start.Environment["CLUSTER_BUILD"] = File.Exists(Path.Combine(DeploymentFiles.Root, "bin", "Release", "net10.0", "ChartCraft.dll")) ? "0" : "1";
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
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x is this machine), so the
    /// balancer (the one trusted proxy, 127.0.0.1) sees a client that is not itself.</summary>
    public static HttpClient ClientFrom(string baseUrl, string localAddress = "127.0.0.2") => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
            await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
}

public sealed class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    async Task<string> Register(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/auth/register", new
        {
            email = $"cluster-{Guid.NewGuid():N}@example.com", password = "correct horse battery", first_name = "Clu", last_name = "Ster",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    HttpClient On(int instance, string token)
    {
        var client = ClusterFixture.ClientFrom(cluster.Instance(instance));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<string> Upload(HttpClient client)
    {
        using var form = new MultipartFormDataContent();
        var csv = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Data", "Upload", "barley.csv")));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(csv, "file", "barley.csv");
        var upload = await client.PostAsync("/api/data/upload", form);
        upload.StatusCode.ShouldBe(HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        return (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data_source_id").GetString()!;
    }

    [Fact]
    public async Task a_source_uploaded_on_one_instance_is_charted_on_another_and_every_instance_serves_the_current_chart()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await Register(anonymous);
        using var one = On(1, token);
        using var two = On(2, token);
        using var three = On(3, token);

        var sourceId = await Upload(one);
        // Instance 2 never saw the file: it reloads it from S3.
        var created = await two.PostAsJsonAsync("/api/charts", new
        {
            data_source_id = sourceId, chart_type = "bar", title = "Yield by site", generate_insights = false,
            config = new { x_column = "site", y_column = "yield", aggregation = "sum" },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var chartId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chart_id").GetString();

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
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await Register(anonymous);
        using var one = On(1, token);
        using var two = On(2, token);
        using var three = On(3, token);
        var sourceId = await Upload(one);
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

    [Fact]
    public async Task a_batch_accepted_by_an_instance_killed_mid_render_is_completed_exactly_once_by_the_others()
    {
        // Who hears export.completed, and how often per export.
        using var receiver = new HttpListener();
        var port = FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var completed = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var listening = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                HttpListenerContext context;
                try { context = await receiver.GetContextAsync(); } catch (Exception) { return; }
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
                    if (body.GetProperty("type").GetString() == "export.completed")
                        completed.AddOrUpdate(body.GetProperty("data").GetProperty("export_id").GetString()!, 1, (_, n) => n + 1);
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        using var anonymous = ClusterFixture.ClientFrom(cluster.Instance(1));
        var token = await Register(anonymous);
        using var one = On(1, token);
        using var two = On(2, token);
        (await one.PostAsJsonAsync("/api/webhooks", new { url = $"http://127.0.0.1:{port}/hook", events = new[] { "export.completed" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var sourceId = await Upload(one);
        var chart = await one.PostAsJsonAsync("/api/charts", new
        {
            data_source_id = sourceId, chart_type = "bar", title = "Drill", generate_insights = false,
            config = new { x_column = "site", y_column = "yield" },
        });
        var chartId = (await chart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chart_id").GetString();
        var requests = Enumerable.Range(0, 6).Select(_ => new { chart_id = chartId, format = "png", width = 2000, height = 1500, dpi = 192 }).ToArray();
        var batch = await one.PostAsJsonAsync("/api/export/batch", new { requests });
        batch.StatusCode.ShouldBe(HttpStatusCode.Accepted, await batch.Content.ReadAsStringAsync());
        var exportIds = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exports").EnumerateArray()
            .Select(e => e.GetProperty("export_id").GetString()!).ToList();

        try
        {
            await Task.Delay(300); // accepted and started, not finished: 6 large renders on one instance
            (await cluster.Kill(1)).Code.ShouldBe(0);

            // Wolverine's other nodes take over the dead node's messages once it is seen as gone (about a minute).
            var status = new Dictionary<string, string>();
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (DateTime.UtcNow < deadline
                   && exportIds.FirstOrDefault(id => status.GetValueOrDefault(id) is not ("completed" or "failed")) is { } pending)
            {
                // One request a round (the user's limit is 40 a minute): the first export not seen finished yet.
                var response = await two.GetAsync($"/api/export/{pending}");
                if (response.StatusCode == HttpStatusCode.OK)
                    status[pending] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
                if (status.GetValueOrDefault(pending) is not ("completed" or "failed")) await Task.Delay(TimeSpan.FromSeconds(4));
            }
            exportIds.ShouldAllBe(id => status.GetValueOrDefault(id) == "completed", string.Join(", ", status.Values));

            foreach (var id in exportIds)
            {
                var export = await two.GetFromJsonAsync<JsonElement>($"/api/export/{id}");
                using var download = ClusterFixture.ClientFrom(cluster.Balancer);
                var png = await download.GetByteArrayAsync(export.GetProperty("download_url").GetString());
                png[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
            }
            // Done once each: one export.completed per export, none twice (give late duplicates a moment to show).
            await Task.Delay(TimeSpan.FromSeconds(8));
            completed.Keys.ShouldBe(exportIds, ignoreOrder: true);
            completed.Values.ShouldAllBe(n => n == 1);
        }
        finally
        {
            await cluster.Restart(1);
            receiver.Stop();
            await listening;
        }
    }

    [Fact]
    public async Task while_postgresql_restarts_writes_get_503_with_retry_after_and_every_acknowledged_write_is_kept()
    {
        using var anonymous = ClusterFixture.ClientFrom(cluster.Balancer);
        var token = await Register(anonymous);
        using var one = On(1, token);
        var sourceId = await Upload(one);

        // Writers through the balancer, one chart at a time, before, during and after a restart (down 6 s).
        using var writer = ClusterFixture.ClientFrom(cluster.Balancer, "127.0.0.5");
        writer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var acknowledged = new List<string>();
        var statuses = new List<int>();
        var unavailableWithoutRetryAfter = 0;
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await writer.PostAsJsonAsync("/api/charts", new
                    {
                        data_source_id = sourceId, chart_type = "bar", title = $"Drill {i}", generate_insights = false,
                        config = new { x_column = "site", y_column = "yield" },
                    });
                }
                catch (HttpRequestException) { statuses.Add(-1); continue; }
                statuses.Add((int)response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                    acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chart_id").GetString()!);
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                    unavailableWithoutRetryAfter++;
                await Task.Delay(response.StatusCode == HttpStatusCode.Created ? 1500 : 1000); // well under the 40-a-minute limit
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await cluster.RestartPostgres(6)).Code.ShouldBe(0);
        await Task.Delay(TimeSpan.FromSeconds(8)); // pools reconnect
        stop.Cancel();
        await writing;

        // Only created or "unavailable, retry later": never a 500, never a dropped connection.
        statuses.ShouldAllBe(s => s == 201 || s == 503, string.Join(",", statuses));
        statuses.ShouldContain(503);
        unavailableWithoutRetryAfter.ShouldBe(0);
        statuses.TakeLast(2).ShouldAllBe(s => s == 201, "writes work again after the restart");

        // Every 201 is there (each read on the next instance; the user's limit is 40 requests a minute).
        acknowledged.ShouldNotBeEmpty();
        for (var n = 0; n < acknowledged.Count; n++)
        {
            using var reader = On(n % 3 + 1, token);
            (await reader.GetAsync($"/api/charts/{acknowledged[n]}")).StatusCode.ShouldBe(HttpStatusCode.OK, $"chart {acknowledged[n]} on instance {n % 3 + 1}");
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
