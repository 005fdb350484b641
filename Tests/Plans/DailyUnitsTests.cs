using ChartCraft.Features.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChartCraft.Tests.Plans;

/// <summary>Giving a unit back: once, only when not kept, and never failing the response when Redis is away.</summary>
public sealed class DailyUnitsTests
{
    [Fact]
    public async Task units_not_kept_are_given_back_once_and_a_redis_outage_then_is_only_logged()
    {
        var refunds = 0;
        var units = new DailyUnits(() => { refunds++; return Task.CompletedTask; }, NullLogger.Instance);
        await units.DisposeAsync();
        await units.DisposeAsync();
        refunds.ShouldBe(1);

        var kept = new DailyUnits(() => { refunds++; return Task.CompletedTask; }, NullLogger.Instance);
        kept.Keep();
        await kept.DisposeAsync();
        refunds.ShouldBe(1);

        var outage = new DailyUnits(() => throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down"), NullLogger.Instance);
        await Should.NotThrowAsync(async () => await outage.DisposeAsync());
    }

    [Fact]
    public void a_day_resets_at_the_next_utc_midnight_whatever_the_offset()
    {
        DailyCounters.ResetsAt(new DateTimeOffset(2026, 12, 6, 23, 59, 59, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
        // 01:30 at +02:00 is still 23:30 of the day before in UTC.
        DailyCounters.ResetsAt(new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.FromHours(2))).ShouldBe(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    }
}
