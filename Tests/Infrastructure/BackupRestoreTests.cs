using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Npgsql;
using Xunit.Abstractions;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh: an instance restored from an archive into a fresh database and fresh
/// storage serves the same sources, previews, charts and chart history, its export links serve the same bytes, and
/// secrets sealed with its Data Protection keys (a webhook's signing secret) still work.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    const string S3Key = "S3RVER";

    /// <summary>Where an instance keeps its files: a local folder, or a bucket of its own on the S3-compatible server.</summary>
    sealed record Storage(string Kind, string Location)
    {
        public static Storage Fresh(string kind) => kind == "s3"
            ? new("s3", $"backup-{Guid.NewGuid():N}"[..30])
            : new("local", Path.Combine(Path.GetTempPath(), "chartcraft-tests", "backup-" + Guid.NewGuid().ToString("N")));

        public Dictionary<string, string> Environment() => Kind == "s3"
            ? new()
            {
                ["AWS_S3_BUCKET"] = Location, ["AWS_ENDPOINT_URL"] = TestEnvironment.S3EndpointUrl, ["AWS_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = S3Key, ["AWS_SECRET_ACCESS_KEY"] = S3Key,
            }
            : new() { ["AWS_S3_BUCKET"] = "", ["STORAGE_LOCAL_PATH"] = Location };
    }

    sealed class Instance(string databaseUrl, string? schema, Storage storage) : AppFixture
    {
        public string SchemaInUse => schema ?? Schema;

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>(storage.Environment())
        {
            ["DATABASE_URL"] = databaseUrl,
            ["DATABASE_SCHEMA"] = SchemaInUse,
            // An empty Redis as far as this instance can tell.
            ["REDIS_KEY_PREFIX"] = $"test:{Guid.NewGuid():N}:",
            ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
        };
    }

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    public async Task an_instance_restored_from_a_backup_serves_the_same_data_links_and_secrets(string storageKind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var sourceStorage = Storage.Fresh(storageKind);
        var targetStorage = Storage.Fresh(storageKind);
        var targetDatabase = "restore_" + Guid.NewGuid().ToString("N")[..10];
        var targetUrl = new UriBuilder(TestEnvironment.DatabaseUrl) { Path = "/" + targetDatabase }.Uri.ToString();
        var backupDir = Path.Combine(Path.GetTempPath(), "chartcraft-tests", "archives-" + Guid.NewGuid().ToString("N"));
        await CreateAsync(sourceStorage);
        await CreateAsync(targetStorage);
        await AdminAsync($"create database {targetDatabase}");

        var first = new Instance(TestEnvironment.DatabaseUrl, null, sourceStorage);
        Instance? second = null;
        await first.InitializeAsync();
        try
        {
            var (user, webhook, sourceId, chartId, export, exported) = await FillAsync(first, receiver);
            var exportId = export["export_id"]!.GetValue<string>();
            var before = await SnapshotAsync(first, user, sourceId, chartId);
            JsonNode.Parse(before[$"/api/charts/{chartId}/history"])!.ToJsonString().ShouldContain("Barley yield by variety");

            var clock = Stopwatch.StartNew();
            var archive = (await RunScriptAsync("backup.sh", [backupDir], first.Schema, TestEnvironment.DatabaseUrl, sourceStorage)).Trim();
            var backupTime = clock.Elapsed;
            File.Exists(archive).ShouldBeTrue(archive);
            Path.GetFileName(archive).ShouldMatch(@"^chartcraft-backup-\d{8}T\d{6}Z\.tar\.gz$");
            var manifest = JsonNode.Parse(await RunAsync("tar", ["-xzOf", archive, "--wildcards", "*/manifest.json"], new()))!;
            manifest["database"]!["schema"]!.GetValue<string>().ShouldBe(first.Schema);
            manifest["data_protection_keys"]!["count"]!.GetValue<int>().ShouldBeGreaterThan(0);
            manifest["blobs"]!["count"]!.GetValue<int>().ShouldBe(2); // the upload and the PNG
            await first.Host.DisposeAsync();

            clock.Restart();
            await RunScriptAsync("restore.sh", [archive], first.Schema, targetUrl, targetStorage);
            var restoreTime = clock.Elapsed;
            output.WriteLine($"{storageKind}: backup {backupTime.TotalMilliseconds:F0} ms, restore {restoreTime.TotalMilliseconds:F0} ms " +
                             $"({new FileInfo(archive).Length} bytes archived)");

            await RestoreOverDataIsRefusedAsync(archive, first.Schema, targetDatabase, targetUrl, targetStorage, storageKind);

            second = new Instance(targetUrl, first.Schema, targetStorage);
            await second.InitializeAsync();

            var after = await SnapshotAsync(second, user, sourceId, chartId);
            foreach (var (path, body) in before) after[path].ShouldBe(body, path);

            var restoredExport = await OkAsync(await second.Client(user.AccessToken).GetAsync($"/api/export/{exportId}"));
            restoredExport["status"]!.GetValue<string>().ShouldBe("completed");
            (await DownloadAsync(second, restoredExport)).ShouldBe(exported);
            // App-signed links are signed with a key derived from JWT_SECRET_KEY: the old ones still work.
            if (storageKind == "local") (await DownloadAsync(second, export)).ShouldBe(exported);

            var again = await second.UploadOkAsync(user, "city,visits\nOslo,12\n", "cities.csv");
            var delivered = (await receiver.WaitForAsync(2)).Last();
            System.Text.Encoding.UTF8.GetString(delivered.Body).ShouldContain(again["data_source_id"]!.GetValue<string>());
            StandardWebhooksVerifier.Verify(webhook["secret"]!.GetValue<string>(), delivered).ShouldBeTrue();
        }
        finally
        {
            if (second is not null) await second.Host.DisposeAsync();
            else await first.Host.DisposeAsync();
            await TestSchemas.DropAsync(first.Schema);
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"drop database if exists {targetDatabase} with (force)");
            await AdminAsync($"drop database if exists {targetDatabase}_b with (force)");
            await DeleteAsync(sourceStorage);
            await DeleteAsync(targetStorage);
            if (Directory.Exists(backupDir)) Directory.Delete(backupDir, recursive: true);
        }
    }

    /// <summary>Restoring over data is refused before anything is written: a filled schema, or storage that holds files.</summary>
    static async Task RestoreOverDataIsRefusedAsync(string archive, string schema, string targetDatabase, string targetUrl,
        Storage filledStorage, string storageKind)
    {
        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            RunScriptAsync("restore.sh", [archive], schema, targetUrl, Storage.Fresh(storageKind)));
        refused.Message.ShouldContain("already has");
        await AdminAsync($"create database {targetDatabase}_b");
        refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            RunScriptAsync("restore.sh", [archive], schema, targetUrl.Replace(targetDatabase, targetDatabase + "_b"), filledStorage));
        refused.Message.ShouldContain("already holds files");
    }

    /// <summary>An instance with a user, an uploaded file, a chart with history, an exported PNG and a webhook secret.</summary>
    static async Task<(TestUser User, JsonNode Webhook, string SourceId, string ChartId, JsonNode Export, byte[] Exported)> FillAsync(
        AppFixture app, WebhookReceiver receiver)
    {
        var user = await app.RegisterAsync();
        var webhook = await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated);
        var upload = await app.UploadAsync(user, await File.ReadAllBytesAsync(VegaDatasets.PathOf("barley.csv")), "barley.csv");
        ((int)upload.StatusCode).ShouldBe(201, await upload.Content.ReadAsStringAsync());
        var sourceId = (await upload.JsonAsync())["data_source_id"]!.GetValue<string>();
        var chart = await OkAsync(await app.Client(user.AccessToken).PostAsJsonAsync("/api/charts", new
        {
            data_source_id = sourceId, chart_type = "bar", title = "Barley yield",
            config = new { x_column = "variety", y_column = "yield", aggregation = "mean" },
        }), 201);
        var chartId = chart["chart_id"]!.GetValue<string>();
        await OkAsync(await app.Client(user.AccessToken).PutAsJsonAsync($"/api/charts/{chartId}",
            new { title = "Barley yield by variety", config = new { aggregation = "sum" } }));
        var export = await OkAsync(await app.Client(user.AccessToken).PostAsJsonAsync("/api/export/image",
            new { chart_id = chartId, format = "png", width = 400, height = 300 }));
        var exported = await DownloadAsync(app, export);
        exported.Take(4).ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        await receiver.WaitForAsync(1);
        return (user, webhook, sourceId, chartId, export, exported);
    }

    /// <summary>What a user sees of their data, path by path, as response bodies.</summary>
    static async Task<Dictionary<string, string>> SnapshotAsync(AppFixture app, TestUser user, string sourceId, string chartId)
    {
        var client = app.Client(user.AccessToken);
        var snapshot = new Dictionary<string, string>();
        foreach (var path in new[]
                 {
                     "/api/auth/me", "/api/data/sources", $"/api/data/sources/{sourceId}",
                     $"/api/data/sources/{sourceId}/preview?limit=1000", "/api/charts", $"/api/charts/{chartId}",
                     $"/api/charts/{chartId}/history", "/api/webhooks",
                 })
        {
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(200, $"{path}: {body}");
            snapshot[path] = body;
        }
        return snapshot;
    }

    static async Task<JsonNode> OkAsync(HttpResponseMessage response, int status = 200)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Follows a download link without a token: app-signed links through the app, presigned ones to S3.</summary>
    static async Task<byte[]> DownloadAsync(AppFixture app, JsonNode export)
    {
        var url = new Uri(export["download_url"]!.GetValue<string>());
        using var http = new HttpClient();
        var response = url.Host == "localhost" ? await app.Client().GetAsync(url.PathAndQuery) : await http.GetAsync(url);
        ((int)response.StatusCode).ShouldBe(200, url.ToString());
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Runs scripts/NAME with the app's environment for the given database and storage; its stdout.</summary>
    static Task<string> RunScriptAsync(string name, string[] args, string schema, string databaseUrl, Storage storage)
    {
        var environment = new Dictionary<string, string>(storage.Environment())
        {
            ["DATABASE_URL"] = databaseUrl,
            ["DATABASE_SCHEMA"] = schema,
        };
        return RunAsync(Path.Combine(RepositoryRoot(), "scripts", name), args, environment);
    }

    static async Task<string> RunAsync(string file, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "backup.sh"))) return dir.FullName;
        throw new InvalidOperationException("scripts/backup.sh not found above " + AppContext.BaseDirectory);
    }

    static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    static AmazonS3Client S3() => new(new BasicAWSCredentials(S3Key, S3Key), new AmazonS3Config
    {
        ServiceURL = TestEnvironment.S3EndpointUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
    });

    static async Task CreateAsync(Storage storage)
    {
        if (storage.Kind != "s3") return;
        using var s3 = S3();
        await s3.PutBucketAsync(storage.Location);
    }

    static async Task DeleteAsync(Storage storage)
    {
        if (storage.Kind != "s3")
        {
            if (Directory.Exists(storage.Location)) Directory.Delete(storage.Location, recursive: true);
            return;
        }
        using var s3 = S3();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = storage.Location });
        foreach (var item in listed.S3Objects ?? []) await s3.DeleteObjectAsync(storage.Location, item.Key);
        await s3.DeleteBucketAsync(storage.Location);
    }
}
