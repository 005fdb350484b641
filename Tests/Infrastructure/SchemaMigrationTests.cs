using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Persistence;
using ChartCraft.Tests.Support;
using Npgsql;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Production runs on a schema that only `migrate` changes: the patches in deploy/migrations bring an empty database
/// to what this build needs (else `migrate` fails — a document added without its patch is caught here), the app started
/// in production mode serves on it without creating anything, and it refuses a schema that is behind, naming `migrate`.
/// </summary>
public sealed class SchemaMigrationTests
{
    static string AppDll => AppBuild.Dll;

    static ProcessStartInfo ProductionProcess(string schema, string storage, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppBuild.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DATABASE_URL"] = TestEnvironment.DatabaseUrl;
        start.Environment["DATABASE_SCHEMA"] = schema;
        start.Environment["REDIS_URL"] = TestEnvironment.RedisUrl;
        start.Environment["REDIS_KEY_PREFIX"] = $"test:{schema}:";
        start.Environment["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret;
        start.Environment["DEBUG"] = "false"; // production: SCHEMA_AUTO_CREATE defaults to off
        start.Environment["STORAGE_LOCAL_PATH"] = storage;
        return start;
    }

    static Task<(int Code, string Output, string Error)> RunToEnd(ProcessStartInfo start) => AppBuild.RunToEnd(start);

    static async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Tables, functions and indexes of a schema, to see that using the app creates none.</summary>
    static async Task<List<string>> SchemaObjects(string schema)
    {
        await using var connection = await Open();
        await using var command = new NpgsqlCommand("""
            select 'table ' || table_name from information_schema.tables where table_schema = @s
            union all select 'function ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = @s
            union all select 'index ' || indexname from pg_indexes where schemaname = @s
            order by 1
            """, connection);
        command.Parameters.AddWithValue("s", schema);
        var objects = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) objects.Add(reader.GetString(0));
        return objects;
    }

    [Fact]
    public async Task migrations_bring_an_empty_database_to_this_version_and_the_app_serves_on_it_in_production_mode()
    {
        var schema = TestEnvironment.NewSchema();
        var storage = Directory.CreateTempSubdirectory("chartcraft-migrate-").FullName;
        try
        {
            var patches = SchemaMigrations.Embedded();
            patches.ShouldNotBeEmpty();
            patches.ShouldAllBe(p => p.Sql.Contains(SchemaMigrations.SchemaPlaceholder));

            var first = await RunToEnd(ProductionProcess(schema, storage, "migrate"));
            first.Code.ShouldBe(0, first.Output + first.Error);
            first.Output.ShouldContain($"schema '{schema}': {patches.Count} migration(s) applied");
            var again = await RunToEnd(ProductionProcess(schema, storage, "migrate"));
            again.Code.ShouldBe(0, again.Error);
            again.Output.ShouldContain($"schema '{schema}' was up to date");

            await using (var connection = await Open())
            await using (var journal = new NpgsqlCommand($"select count(*) from {schema}.schema_migrations", connection))
                ((long)(await journal.ExecuteScalarAsync())!).ShouldBe(patches.Count);
            var migrated = await SchemaObjects(schema);
            migrated.ShouldContain("table mt_doc_chart");
            migrated.ShouldContain("table wolverine_incoming_envelopes");

            var port = TestEnvironment.FreePort();
            var start = ProductionProcess(schema, storage);
            start.Environment["PORT"] = port.ToString();
            using var app = Process.Start(start)!;
            var appError = app.StandardError.ReadToEndAsync();
            _ = app.StandardOutput.ReadToEndAsync();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
                (await http.WaitUntilReadyAsync(app)).ShouldBeTrue(app.HasExited ? await appError : "not ready");
                await UseEveryStore(http);
            }
            finally
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }

            // Serving created nothing: the schema is exactly what the patches made.
            (await SchemaObjects(schema)).ShouldBe(migrated);
        }
        finally
        {
            await ChartCraft.Tests.Webhooks.TestSchemas.DropAsync(schema);
            Directory.Delete(storage, recursive: true);
        }
    }

    /// <summary>Documents, events and the outbox all in use: register, upload, chart, read back, delete.</summary>
    static async Task UseEveryStore(HttpClient http)
    {
        http.WithToken(await http.RegisterAsync());
        var sourceId = await http.UploadBarleyAsync();
        var chartId = await http.CreateYieldChartAsync(sourceId);
        var read = await http.GetFromJsonAsync<JsonElement>($"/api/charts/{chartId}");
        read.GetProperty("title").GetString().ShouldBe("Yield by site");
        read.GetProperty("chart_config").GetProperty("data").GetProperty("labels").GetArrayLength().ShouldBe(6);
        (await http.DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task the_app_in_production_mode_refuses_a_schema_that_is_behind_and_names_the_command_to_run()
    {
        var schema = TestEnvironment.NewSchema();
        var storage = Directory.CreateTempSubdirectory("chartcraft-migrate-").FullName;
        try
        {
            var refused = await RunToEnd(ProductionProcess(schema, storage));
            refused.Code.ShouldBe(1);
            refused.Error.ShouldContain($"The database schema '{schema}' is behind this version of ChartCraft");
            refused.Error.ShouldContain("dotnet ChartCraft.dll migrate");
            refused.Error.ShouldContain("mt_doc_chart");
            // It looked, and changed nothing.
            (await SchemaObjects(schema)).ShouldBeEmpty();

            // One patch short of the build (a table dropped behind the app's back) is refused the same way.
            (await RunToEnd(ProductionProcess(schema, storage, "migrate"))).Code.ShouldBe(0);
            await using (var connection = await Open())
            await using (var drop = new NpgsqlCommand($"drop table {schema}.mt_doc_exportjob cascade", connection))
                await drop.ExecuteNonQueryAsync();
            var behind = await RunToEnd(ProductionProcess(schema, storage));
            behind.Code.ShouldBe(1);
            behind.Error.ShouldContain("mt_doc_exportjob");
        }
        finally
        {
            await ChartCraft.Tests.Webhooks.TestSchemas.DropAsync(schema);
            Directory.Delete(storage, recursive: true);
        }
    }

    [Fact]
    public async Task migrators_started_together_apply_each_patch_once()
    {
        var schema = TestEnvironment.NewSchema();
        try
        {
            var database = new DatabaseSettings(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl), schema, false);
            var patches = SchemaMigrations.Embedded();
            var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SchemaMigrations.ApplyAsync(database, patches, TextWriter.Null)));
            runs.Sum(applied => applied.Count).ShouldBe(patches.Count);
            runs.SelectMany(applied => applied).ShouldBe(patches.Select(p => p.Name), ignoreOrder: true);
        }
        finally
        {
            await ChartCraft.Tests.Webhooks.TestSchemas.DropAsync(schema);
        }
    }
}
