using ChartCraft.Features.Export.Rendering;
using Microsoft.Extensions.Time.Testing;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>
/// Render slots go round-robin by user: one user's big batch delays another user's small export by at most about one
/// render. Measured in slots and start order, never in wall-clock time.
/// </summary>
public sealed class FairRenderSchedulerTests
{
    static readonly Guid Big = Guid.NewGuid(), Small = Guid.NewGuid(), Third = Guid.NewGuid();
    static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>Renders that start when they get a slot and record the order they started in.</summary>
    sealed class Recorder(FairRenderScheduler scheduler)
    {
        readonly List<Guid> _started = [];

        public IReadOnlyList<Guid> Started
        {
            get
            {
                lock (_started) return [.. _started];
            }
        }

        public Task<bool> Queue(Guid owner) => Task.Run(async () =>
        {
            var entered = await scheduler.EnterAsync(owner, Long, CancellationToken.None);
            if (entered)
                lock (_started) _started.Add(owner);
            return entered;
        });

        /// <summary>Waits until the scheduler holds <paramref name="count"/> waiting renders.</summary>
        public async Task WaitingShouldReach(int count)
        {
            for (var i = 0; i < 500 && scheduler.Waiting != count; i++) await Task.Delay(10);
            scheduler.Waiting.ShouldBe(count);
        }

        /// <summary>Ends one running render and waits for the next one to start.</summary>
        public async Task FinishOne()
        {
            var before = Started.Count;
            scheduler.Release();
            for (var i = 0; i < 500 && Started.Count == before; i++) await Task.Delay(10);
            Started.Count.ShouldBe(before + 1);
        }
    }

    [Fact]
    public async Task a_small_export_waiting_behind_a_big_batch_starts_after_at_most_one_more_render_of_the_batch()
    {
        var scheduler = new FairRenderScheduler(slots: 2);
        var renders = new Recorder(scheduler);
        // The big user's batch: two renders take both slots, eight wait.
        var batch = Enumerable.Range(0, 10).Select(_ => renders.Queue(Big)).ToList();
        await renders.WaitingShouldReach(8);
        var small = renders.Queue(Small);
        await renders.WaitingShouldReach(9);
        var startedBeforeSmallWaited = renders.Started.Count;

        while (!small.IsCompleted) await renders.FinishOne();

        var afterWaiting = renders.Started.Skip(startedBeforeSmallWaited).ToList();
        afterWaiting.IndexOf(Small).ShouldBeLessThanOrEqualTo(1, "big-batch renders started before the small one: " + afterWaiting.IndexOf(Small));
        (await small).ShouldBeTrue();
        // The rest of the batch still runs, in turn.
        while (renders.Started.Count < 11) await renders.FinishOne();
        (await Task.WhenAll(batch)).ShouldAllBe(entered => entered);
    }

    [Fact]
    public async Task waiting_users_take_turns_and_each_keeps_its_own_order()
    {
        var scheduler = new FairRenderScheduler(slots: 1);
        var renders = new Recorder(scheduler);
        (await renders.Queue(Big)).ShouldBeTrue(); // holds the only slot
        for (var i = 0; i < 3; i++) _ = renders.Queue(Big);
        await renders.WaitingShouldReach(3);
        for (var i = 0; i < 2; i++) _ = renders.Queue(Small);
        await renders.WaitingShouldReach(5);
        _ = renders.Queue(Third);
        await renders.WaitingShouldReach(6);

        for (var i = 0; i < 6; i++) await renders.FinishOne();

        renders.Started.Skip(1).ShouldBe([Big, Small, Third, Big, Small, Big]);
    }

    [Fact]
    public async Task background_renders_wait_until_no_user_render_does_and_then_run_in_their_order()
    {
        var scheduler = new FairRenderScheduler(slots: 1);
        var renders = new Recorder(scheduler);
        (await renders.Queue(Big)).ShouldBeTrue(); // holds the only slot
        var background = FairRenderScheduler.Background;
        for (var i = 0; i < 2; i++) _ = renders.Queue(background);
        await renders.WaitingShouldReach(2);
        _ = renders.Queue(Small);
        await renders.WaitingShouldReach(3);
        _ = renders.Queue(Big);
        await renders.WaitingShouldReach(4);

        for (var i = 0; i < 3; i++) await renders.FinishOne();
        _ = renders.Queue(Third); // arrives while a background render runs: next, before the second background one
        await renders.WaitingShouldReach(2);
        for (var i = 0; i < 2; i++) await renders.FinishOne();

        renders.Started.Skip(1).ShouldBe([Small, Big, background, Third, background]);
        scheduler.Release();
        (await scheduler.EnterAsync(background, Long, CancellationToken.None)).ShouldBeTrue(); // an idle renderer takes it at once
    }

    [Fact]
    public async Task a_render_that_gives_up_waiting_leaves_no_trace_and_its_turn_passes_on()
    {
        var scheduler = new FairRenderScheduler(slots: 1);
        (await scheduler.EnterAsync(Big, Long, CancellationToken.None)).ShouldBeTrue();

        (await scheduler.EnterAsync(Small, TimeSpan.FromMilliseconds(50), CancellationToken.None)).ShouldBeFalse();
        using var cancel = new CancellationTokenSource();
        var cancelled = scheduler.EnterAsync(Third, Long, cancel.Token);
        cancel.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        scheduler.Waiting.ShouldBe(0);

        var next = scheduler.EnterAsync(Big, Long, CancellationToken.None);
        scheduler.Release();
        (await next).ShouldBeTrue();
        scheduler.Release();
        // The one slot is free again: entering does not wait.
        scheduler.EnterAsync(Small, Long, CancellationToken.None).IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task after_a_users_render_queued_background_renders_hold_off_even_with_a_free_slot()
    {
        var clock = new FakeTimeProvider();
        var background = FairRenderScheduler.Background;
        var scheduler = new FairRenderScheduler(slots: 1, TimeSpan.FromSeconds(5), clock);
        (await scheduler.EnterAsync(background, Long, CancellationToken.None)).ShouldBeTrue(); // nobody queued yet: at once
        var queued = scheduler.EnterAsync(Small, Long, CancellationToken.None); // the slot is taken: this one queues
        scheduler.Release();
        (await queued).ShouldBeTrue();
        scheduler.Release(); // the slot is free

        var thumbnail = scheduler.EnterAsync(background, Long, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50);
        thumbnail.IsCompleted.ShouldBeFalse();
        // A user's render meanwhile takes the free slot at once.
        scheduler.EnterAsync(Big, Long, CancellationToken.None).IsCompletedSuccessfully.ShouldBeTrue();
        scheduler.Release();

        clock.Advance(TimeSpan.FromSeconds(1));
        (await thumbnail.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
    }

    [Fact]
    public async Task a_background_render_gives_up_at_its_timeout_while_users_keep_queuing_and_holds_nothing()
    {
        var clock = new FakeTimeProvider();
        var scheduler = new FairRenderScheduler(slots: 1, TimeSpan.FromSeconds(5), clock);
        (await scheduler.EnterAsync(Big, Long, CancellationToken.None)).ShouldBeTrue();
        var small = scheduler.EnterAsync(Small, Long, CancellationToken.None); // queues at 0 s
        var thumbnail = scheduler.EnterAsync(FairRenderScheduler.Background, TimeSpan.FromSeconds(8), CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(4));
        scheduler.Release();
        (await small).ShouldBeTrue();
        var third = scheduler.EnterAsync(Third, Long, CancellationToken.None); // queues at 4 s: quiet only from 9 s
        clock.Advance(TimeSpan.FromSeconds(1));

        (await thumbnail.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeFalse();
        scheduler.Waiting.ShouldBe(1); // Third only
        scheduler.Release();
        (await third).ShouldBeTrue();
    }

    [Fact]
    public async Task the_user_travels_with_the_async_flow_and_is_restored_after_the_scope()
    {
        FairRenderScheduler.CurrentOwner.ShouldBe(Guid.Empty);
        using (FairRenderScheduler.OnBehalfOf(Big))
        {
            await Task.Yield();
            (await Task.Run(() => FairRenderScheduler.CurrentOwner)).ShouldBe(Big);
            using (FairRenderScheduler.OnBehalfOf(Small)) FairRenderScheduler.CurrentOwner.ShouldBe(Small);
            FairRenderScheduler.CurrentOwner.ShouldBe(Big);
        }
        FairRenderScheduler.CurrentOwner.ShouldBe(Guid.Empty);
    }
}
