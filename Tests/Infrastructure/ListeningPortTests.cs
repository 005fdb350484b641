using System.Diagnostics;
using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The built app, started as the container image starts it, listens where the image's healthcheck probes: PORT is the
/// one port setting, and neither appsettings.json nor ASPNETCORE_URLS can move it.
/// </summary>
public sealed class ListeningPortTests
{
    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dockerfile"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Dockerfile not found above the test folder");
    }

    [Fact]
    public async Task the_app_started_with_the_images_environment_answers_on_the_port_its_healthcheck_probes()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "Dockerfile"));
        var port = Regex.Match(dockerfile, @"ENV PORT=(\d+)").Groups[1].Value;
        port.ShouldNotBeNullOrEmpty();
        var healthcheck = Regex.Match(dockerfile, @"HEALTHCHECK .*?(http://localhost:\S+)").Groups[1].Value.Trim('"');
        healthcheck.ShouldBe("http://localhost:${PORT}/health");
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).ShouldNotContain("Urls");

        var storage = Directory.CreateTempSubdirectory("chartcraft-port-").FullName;
        var schema = TestEnvironment.NewSchema();
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "ChartCraft.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PORT"] = port;
        start.Environment["ASPNETCORE_URLS"] = "http://+:9"; // a decoy: PORT must win
        start.Environment["DATABASE_URL"] = TestEnvironment.DatabaseUrl;
        start.Environment["DATABASE_SCHEMA"] = schema;
        start.Environment["REDIS_URL"] = TestEnvironment.RedisUrl;
        start.Environment["REDIS_KEY_PREFIX"] = $"test:{schema}:";
        start.Environment["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret;
        start.Environment["DEBUG"] = "false";
        start.Environment["STORAGE_LOCAL_PATH"] = storage;
        // As the image is deployed: the migration Job first, then the app, which never creates its schema itself.
        var migrate = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        migrate.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChartCraft.dll"));
        migrate.ArgumentList.Add("migrate");
        foreach (var (key, value) in start.Environment) migrate.Environment[key] = value;
        using (var migration = Process.Start(migrate)!)
        {
            var migrationOutput = migration.StandardOutput.ReadToEndAsync();
            var migrationError = await migration.StandardError.ReadToEndAsync();
            await migration.WaitForExitAsync();
            migration.ExitCode.ShouldBe(0, await migrationOutput + migrationError);
        }
        using var app = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var url = healthcheck.Replace("${PORT}", port) + "/ready";
            HttpResponseMessage? ready = null;
            for (var i = 0; i < 120 && ready is null && !app.HasExited; i++)
            {
                try { ready = await http.GetAsync(url); }
                catch (HttpRequestException) { await Task.Delay(500); }
                catch (TaskCanceledException) { }
            }
            app.HasExited.ShouldBeFalse(app.HasExited ? await app.StandardError.ReadToEndAsync() : "");
            ready.ShouldNotBeNull($"nothing answered {url}");
            ((int)ready.StatusCode).ShouldBe(200, await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            await ChartCraft.Tests.Newsletter.Webhooks.TestSchemas.DropAsync(schema);
            Directory.Delete(storage, recursive: true);
        }
    }
}
