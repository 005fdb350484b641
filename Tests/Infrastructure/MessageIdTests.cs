using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Npgsql;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Durable messages get ids that instances cannot share: version-7 GUIDs (time and random bits). Wolverine's default
/// (network address, time, per-thread counter) gave two instances on one host the same id under load, and the second
/// chart creation failed with a duplicate key in the inbox table.
/// </summary>
public sealed class MessageIdTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task the_messages_a_chart_creation_stores_have_random_version_7_ids()
    {
        var startedAt = DateTimeOffset.UtcNow;
        var user = await app.RegisterAsync();
        await app.CreateSalesChartAsync(user, "Ids");
        await app.CreateSalesChartAsync(user, "Ids again");

        var ids = new List<Guid>();
        await using var connection = new NpgsqlConnection(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));
        await connection.OpenAsync();
        // Handled messages stay in the inbox for a while (Durability.KeepAfterMessageHandling), so they are all here.
        await using var query = new NpgsqlCommand(
            $"select id from \"{app.Schema}\".wolverine_incoming_envelopes where message_type like '%ChartRevised%'", connection);
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));

        ids.Count.ShouldBe(2); // each creation published its ChartRevised
        ids.ShouldAllBe(id => id.Version == 7);
        // A version-7 id starts with its Unix time in milliseconds: these were made during this test, not copied.
        var madeAt = ids.Select(id => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id.ToString("N")[..12], 16))).ToList();
        madeAt.ShouldAllBe(t => t > startedAt.AddSeconds(-1) && t < DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
