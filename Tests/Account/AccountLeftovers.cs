using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace ChartCraft.Tests.Account;

/// <summary>
/// Searches all three stores for any trace of a set of ids (and an email): every row of every table of the fixture's
/// Postgres schema, every Redis key under the fixture's prefix, every stored file.
/// </summary>
public static class AccountLeftovers
{
    /// <summary>
    /// The one kind of row allowed to name the user: a message Wolverine's inbox has handled (the account deletion itself,
    /// the user's webhook events), kept for a while (Durability.KeepAfterMessageHandling) so a redelivery is recognised,
    /// then purged by Wolverine. Its body is the message, not the user's data; pending messages are searched like any row.
    /// </summary>
    static string Exempt(string table) => table == "wolverine_incoming_envelopes" ? " and t.status <> 'Handled'" : "";

    /// <summary>"table: count" for each table with a row that mentions one of <paramref name="needles"/>.</summary>
    public static async Task<List<string>> InPostgresAsync(AppFixture app, IReadOnlyCollection<string> needles)
    {
        var found = new List<string>();
        await using var connection = new NpgsqlConnection(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE' order by 1", connection))
        {
            list.Parameters.AddWithValue("schema", app.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        tables.ShouldContain("mt_events");
        tables.ShouldContain("mt_doc_user");
        // Binary columns (bytea) appear in row_to_json as hex: the needles are looked for in that form too.
        var patterns = needles.SelectMany(n => new[] { n, System.Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(n)) })
            .Select(n => "%" + n + "%").ToArray();
        foreach (var table in tables)
        {
            await using var search = new NpgsqlCommand(
                $"select count(*) from \"{app.Schema}\".\"{table}\" t where row_to_json(t)::text ilike any(@patterns){Exempt(table)}", connection);
            search.Parameters.AddWithValue("patterns", patterns);
            var count = (long)(await search.ExecuteScalarAsync())!;
            if (count > 0) found.Add($"{table}: {count}");
        }
        return found;
    }

    public static async Task<List<string>> InRedisAsync(AppFixture app, IReadOnlyCollection<string> needles)
    {
        var redis = app.Host.Services.GetRequiredService<IConnectionMultiplexer>();
        var prefix = app.Host.Services.GetRequiredService<RedisSettings>().KeyPrefix;
        var found = new List<string>();
        foreach (var server in redis.GetServers())
            await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
                if (needles.Any(n => key.ToString().Contains(n, StringComparison.OrdinalIgnoreCase))) found.Add(key.ToString());
        return found;
    }

    public static async Task<List<string>> InStorageAsync(AppFixture app, IReadOnlyCollection<string> needles)
    {
        var storage = app.Host.Services.GetRequiredService<IBlobStorage>();
        return (await storage.ListAsync("")).Select(b => b.Key)
            .Where(k => needles.Any(n => k.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>The ids in the forms stored: with dashes (documents, events, Redis) and without ("N": storage keys, integration ids).</summary>
    public static List<string> Forms(params Guid[] ids) => ids.SelectMany(id => new[] { id.ToString("D"), id.ToString("N") }).ToList();
}
