using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>The Chromium page pool serves waiting renders by user in turn (through FairRenderScheduler), not first come, first served.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class FairRenderingTests(ChromiumFixture fixture)
{
    [Fact]
    public async Task one_users_big_batch_delays_another_users_render_by_at_most_one_render_on_the_page_pool()
    {
        var renderer = fixture.Renderer;
        // Every pool page open and idle (an earlier test may have discarded one): opening a page takes seconds, and a
        // render that waits for one would start late for reasons that have nothing to do with the order of turns.
        // Holding every page at once makes the pool open the missing ones.
        var pages = fixture.Options.PoolSize;
        var held = 0;
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAll(Enumerable.Range(0, pages).Select(_ => renderer.WithPlotlyPageAsync(async _ =>
        {
            if (Interlocked.Increment(ref held) == pages) allHeld.SetResult();
            await allHeld.Task;
            return true;
        }, "warm-up", TimeSpan.FromSeconds(60), CancellationToken.None)));
        Guid big = Guid.NewGuid(), small = Guid.NewGuid();
        var started = new List<Guid>();

        // Each render holds its page for a while, as a large PNG would; what is measured is the order pages are handed out.
        Task Render(Guid owner) => Task.Run(async () =>
        {
            using var _ = FairRenderScheduler.OnBehalfOf(owner);
            await renderer.WithPlotlyPageAsync(async page =>
            {
                lock (started) started.Add(owner);
                await Task.Delay(150);
                return await page.EvaluateExpressionAsync<int>("1 + 1");
            }, "test render", TimeSpan.FromSeconds(20), CancellationToken.None);
        });

        var batch = Enumerable.Range(0, 10).Select(_ => Render(big)).ToList();
        await WaitingShouldReach(renderer, 10 - fixture.Options.PoolSize);
        int startedBefore;
        lock (started) startedBefore = started.Count;
        var alone = Render(small);
        await WaitingShouldReach(renderer, 11 - fixture.Options.PoolSize);
        await Task.WhenAll(batch.Append(alone));

        // Once it waited, at most one render of the batch started before it (the batch user's turn came first).
        var afterWaiting = started.Skip(startedBefore).ToList();
        afterWaiting.IndexOf(small).ShouldBeInRange(0, 1, $"order after the small render waited: {string.Join(",", afterWaiting.Select(o => o == big ? "big" : "SMALL"))}");
        started.Count(o => o == big).ShouldBe(10);
    }

    static async Task WaitingShouldReach(ChromiumRenderer renderer, int count)
    {
        for (var i = 0; i < 1000 && renderer.Stats.WaitingRenders < count; i++) await Task.Delay(10);
        renderer.Stats.WaitingRenders.ShouldBeGreaterThanOrEqualTo(count);
    }
}
