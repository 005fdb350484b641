using ChartCraft.Features.Auth;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Auth;

/// <summary>bcrypt runs a bounded number of hashes at once per instance; the rest wait without holding a thread.</summary>
public sealed class PasswordHasherTests
{
    static PasswordHasher Hasher(int atOnce, int workFactor = 10) =>
        new(new JwtSettings(TestEnvironment.JwtSecret, "HS256", 1, 1, workFactor, "chartcraft", atOnce));

    /// <summary>
    /// Each call on a thread of its own, all released together: the thread pool would start its threads one by one and
    /// could run the calls one after another whatever the limit.
    /// </summary>
    static T[] AllAtOnce<T>(int callers, Func<int, Task<T>> call)
    {
        var results = new T[callers];
        using var go = new Barrier(callers);
        var threads = Enumerable.Range(0, callers).Select(i => new Thread(() =>
        {
            go.SignalAndWait();
            results[i] = call(i).GetAwaiter().GetResult();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return results;
    }

    [Fact]
    public async Task a_burst_of_hashes_runs_one_at_a_time_when_one_is_allowed_and_every_hash_still_verifies()
    {
        using var hasher = Hasher(atOnce: 1);
        var passwords = Enumerable.Range(0, 6).Select(i => $"password number {i}").ToArray();

        var hashes = AllAtOnce(passwords.Length, i => hasher.HashAsync(passwords[i], CancellationToken.None));

        hasher.MostAtOnce.ShouldBe(1);
        hasher.HashesOnThreadPool.ShouldBe(0); // each on a thread of its own: the pool's threads stay free for requests
        hashes.Distinct().Count().ShouldBe(6);
        for (var i = 0; i < passwords.Length; i++)
        {
            (await hasher.VerifyAsync(passwords[i], hashes[i], CancellationToken.None)).ShouldBeTrue();
            (await hasher.VerifyAsync(passwords[i] + "!", hashes[i], CancellationToken.None)).ShouldBeFalse();
        }
    }

    [Fact]
    public void with_two_slots_two_hashes_run_together()
    {
        using var hasher = Hasher(atOnce: 2);
        AllAtOnce(4, i => hasher.HashAsync($"pw {i}", CancellationToken.None));
        hasher.MostAtOnce.ShouldBe(2);
    }

    [Fact]
    public async Task a_caller_that_gives_up_while_waiting_leaves_without_hashing()
    {
        // Work factor 13 (≈ 0.5 s alone): the first hash must outlast the other's 20 ms wait, also while other test hosts
        // start on the same two cores.
        using var hasher = Hasher(atOnce: 1, workFactor: 13);
        var first = new TaskCompletionSource<string>();
        new Thread(() => first.SetResult(hasher.HashAsync("the one hashing", CancellationToken.None).GetAwaiter().GetResult())).Start();
        while (hasher.MostAtOnce == 0) Thread.Sleep(1);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        await Should.ThrowAsync<OperationCanceledException>(() => hasher.VerifyAsync("waiting", null, giveUp.Token));
        first.Task.IsCompleted.ShouldBeFalse(); // it gave up while the first still held the only slot
        (await first.Task).ShouldStartWith("$2");
    }
}
