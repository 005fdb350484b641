using System.Reflection;
using System.Text.RegularExpressions;
using ChartCraft.Infrastructure.Configuration;
using JasperFx.CommandLine;
using Npgsql;
using Weasel.Core.Migrations;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>
/// Schema changes as SQL patch files: deploy/migrations/NNNN_name.sql, written with Marten's and Wolverine's own
/// `db-patch` command (see deploy/migrations/README.md), embedded in the assembly and applied in name order by
/// `dotnet ChartCraft.dll migrate`. Each file runs once, in its own transaction, and is recorded in
/// {schema}.schema_migrations. The files name the schema as {{schema}}, so DATABASE_SCHEMA chooses where they land.
/// </summary>
/// <remarks>
/// A runner of our own, not DbUp: dbup-postgresql 7.0.1, the one version served, needs Npgsql 10, and Marten 9.58
/// is built on Npgsql 9. What a runner must do here is small: a journal table, an advisory lock, one transaction a file.
/// </remarks>
public static partial class SchemaMigrations
{
    public const string SchemaPlaceholder = "{{schema}}";
    const string ResourcePrefix = "migrations/";

    // Any number will do as long as nothing else in the database takes the same advisory lock.
    const long MigrationLockKey = 0x43686172_74437261; // "ChartCra"

    public sealed record Migration(string Name, string Sql);

    /// <summary>The patches this build carries, in the order they apply.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new Migration(name[ResourcePrefix.Length..], Read(assembly, name)))
            .ToList();
    }

    static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies the patches the database has not seen yet; returns their names. Several migrators at once
    /// (two Job pods, a retried Job) wait for each other on an advisory lock instead of applying a file twice.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(DatabaseSettings database, IReadOnlyList<Migration> migrations,
        TextWriter log, CancellationToken cancellation = default)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellation);
        await Execute(connection, null, $"select pg_advisory_lock({MigrationLockKey})", cancellation);
        try
        {
            var schema = database.Schema; // a checked lower-case identifier (DATABASE_SCHEMA)
            await Execute(connection, null, $"""
                create schema if not exists {schema};
                create table if not exists {schema}.schema_migrations (
                    name text primary key,
                    applied_at timestamptz not null default now());
                """, cancellation);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand($"select name from {schema}.schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellation))
                while (await reader.ReadAsync(cancellation)) applied.Add(reader.GetString(0));

            var done = new List<string>();
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Name)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await Execute(connection, transaction, migration.Sql.Replace(SchemaPlaceholder, schema, StringComparison.Ordinal), cancellation);
                await using (var record = new NpgsqlCommand($"insert into {schema}.schema_migrations (name) values (@name)", connection, transaction))
                {
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellation);
                }
                await transaction.CommitAsync(cancellation);
                log.WriteLine($"applied {migration.Name}");
                done.Add(migration.Name);
            }
            return done;
        }
        finally
        {
            await Execute(connection, null, $"select pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// What the database lacks for this build, as Marten and Wolverine see it (their `db-assert`), one line per
    /// database; empty when it matches. Every store the app registers is asked: documents, events and message storage.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(IServiceProvider services, CancellationToken cancellation = default)
    {
        var databases = services.GetServices<IDatabase>().ToList();
        foreach (var source in services.GetServices<IDatabaseSource>())
            databases.AddRange(await source.BuildDatabases());

        var differences = new List<string>();
        foreach (var database in databases.DistinctBy(d => d.Identifier + "|" + d.GetType().FullName))
        {
            try
            {
                await database.AssertDatabaseMatchesConfigurationAsync(cancellation);
            }
            catch (DatabaseValidationException ex)
            {
                differences.Add($"{database.Identifier}: {Gist(ex.Message)}");
            }
        }
        return differences;
    }

    // The exception carries the whole DDL; an operator needs the gist (which tables and functions), `migrate` does the rest.
    static string Gist(string message)
    {
        var names = ChangedObject().Matches(message)
            .OrderBy(m => m.Groups[1].Value.StartsWith("mt_doc_", StringComparison.Ordinal) ? 0 : 1) // the documents say most
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        if (names.Count == 0) return message.Split('\n', 2)[0].Trim();
        var shown = string.Join(", ", names.Take(8));
        return names.Count > 8 ? $"needs {shown} and {names.Count - 8} more" : $"needs {shown}";
    }

    [GeneratedRegex(@"(?i)\b(?:create|alter)\s+(?:table|(?:or\s+replace\s+)?function|sequence|index)\s+(?:if\s+not\s+exists\s+)?(?:\w+\.)?(\w+)")]
    private static partial Regex ChangedObject();

    /// <summary>
    /// Production start-up (SCHEMA_AUTO_CREATE off): the app never changes its schema, and refuses to start on one
    /// that is behind, naming the command to run. A database it cannot reach is not a reason to refuse: the app starts
    /// and reports not ready, as it does when the database goes away later.
    /// </summary>
    public static async Task<bool> RefuseToStartIfBehindAsync(IServiceProvider services, TextWriter error)
    {
        var database = services.GetRequiredService<DatabaseSettings>();
        if (database.AutoCreateSchema) return false;
        IReadOnlyList<string> differences;
        try
        {
            differences = await DifferencesAsync(services);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("ChartCraft.Migrations")
                .LogWarning("The database schema could not be checked at start-up ({Reason}); starting anyway", ex.Message);
            return false;
        }
        if (differences.Count == 0) return false;
        await error.WriteLineAsync(
            $"The database schema '{database.Schema}' is behind this version of ChartCraft. Run `dotnet ChartCraft.dll migrate` " +
            "with the same settings (the Kubernetes migration Job does), then start again. Differences:");
        foreach (var difference in differences) await error.WriteLineAsync("  " + difference);
        return true;
    }
}

/// <summary>`dotnet ChartCraft.dll migrate`: apply deploy/migrations, then check the database matches this build.</summary>
[Description("Apply the schema patches in deploy/migrations, then check that the database matches this version", Name = "migrate")]
public sealed class MigrateCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var database = host.Services.GetRequiredService<DatabaseSettings>();
        var applied = await SchemaMigrations.ApplyAsync(database, SchemaMigrations.Embedded(), Console.Out);
        Console.WriteLine(applied.Count == 0
            ? $"schema '{database.Schema}' was up to date"
            : $"schema '{database.Schema}': {applied.Count} migration(s) applied");

        var differences = await SchemaMigrations.DifferencesAsync(host.Services);
        if (differences.Count == 0) return true;
        // The patches do not produce what this build expects: someone changed a document or message store without
        // writing its patch (deploy/migrations/README.md says how).
        Console.Error.WriteLine("After the migrations the schema still differs from this version:");
        foreach (var difference in differences) Console.Error.WriteLine("  " + difference);
        return false;
    }
}
