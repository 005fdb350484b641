using ChartCraft.Infrastructure.Hosting;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>The claim behind cluster-wide jobs, against the real PostgreSQL (the cluster test watches the jobs run).</summary>
[Collection(ApiCollection.Name)]
public sealed class IntervalClaimTests(AppFixture app)
{
    [Fact]
    public async Task an_interval_of_a_job_is_claimed_once_whoever_asks_and_each_job_and_interval_on_its_own()
    {
        var claims = app.Host.Services.GetRequiredService<IntervalClaims>();
        var period = TimeSpan.FromMinutes(60);
        var interval = 400_000L + Random.Shared.Next(100_000);

        // Three instances wake at the same boundary: one claim wins.
        var racers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => claims.TryClaimAsync("test-job", interval, period, CancellationToken.None)));
        racers.Count(won => won).ShouldBe(1);
        (await claims.TryClaimAsync("test-job", interval, period, CancellationToken.None)).ShouldBeFalse("a later wake-up in the same interval");
        (await claims.TryClaimAsync("test-job", interval + 1, period, CancellationToken.None)).ShouldBeTrue("the next interval is new");
        (await claims.TryClaimAsync("other-job", interval, period, CancellationToken.None)).ShouldBeTrue("another job has its own intervals");

        await using var session = app.Store.QuerySession();
        var run = await session.LoadAsync<ScheduledRun>(ScheduledRun.IdFor("test-job", interval));
        run.ShouldNotBeNull();
        run.IntervalStart.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(interval * 3_600_000));
        run.Instance.ShouldBe($"{Environment.MachineName}/{Environment.ProcessId}");
    }
}
