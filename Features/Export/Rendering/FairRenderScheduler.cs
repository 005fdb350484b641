namespace ChartCraft.Features.Export.Rendering;

/// <summary>
/// Hands out the render slots (one per pool page) to waiting renders round-robin by user instead of first come, first
/// served. With first come, first served, a user's batch of ten large PNGs puts another user's small export behind all
/// ten; here the users take turns, so once it waits, the small export starts after at most one more render of each
/// other waiting user. Within one user, renders keep their order. Background renders (<see cref="Background"/>:
/// thumbnails) take their turn only when no user's render waits, so the renders someone is waiting for never queue
/// behind them (at 1 000 users, thumbnails of 25 new charts a second had held a page each and pushed exports past
/// their 30 s wait into 503s). A background render also holds off for <c>backgroundHoldOff</c> after a user's render last
/// had to queue: the renders share Chromium's slice of the processor, so a thumbnail started between two queued
/// exports slows both. Under a sustained export load thumbnails wait for a lull instead of taking ≈ 12 % of it.
/// </summary>
/// <remarks>
/// The user travels with the async flow (<see cref="OnBehalfOf"/>) rather than as a parameter, so the renderer's API
/// stays as it is; renders without a user share one turn.
/// Fairness is per process: each instance schedules its own pages.
/// </remarks>
public sealed class FairRenderScheduler
{
    static readonly AsyncLocal<Guid?> Owner = new();

    /// <summary>The owner of renders nobody is waiting for; served only when no other render waits.</summary>
    public static readonly Guid Background = Guid.AllBitsSet;

    readonly object _gate = new();
    readonly Dictionary<Guid, LinkedList<Waiter>> _waiting = [];
    /// <summary>Users with waiting renders in turn order; the one served goes to the back if it still has some waiting.</summary>
    readonly LinkedList<Guid> _turns = new();
    readonly TimeSpan _backgroundHoldOff;
    readonly TimeProvider _clock;
    int _free;
    /// <summary>When a user's render last found no free slot (<see cref="TimeProvider.GetTimestamp"/>); 0: never.</summary>
    long _userQueuedAt;

    public FairRenderScheduler(int slots, TimeSpan backgroundHoldOff = default, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(backgroundHoldOff, TimeSpan.Zero);
        _free = slots;
        _backgroundHoldOff = backgroundHoldOff;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The user of the renders started in this async flow (and below it) until the scope is disposed.</summary>
    public static IDisposable OnBehalfOf(Guid userId)
    {
        var previous = Owner.Value;
        Owner.Value = userId;
        return new Scope(previous);
    }

    /// <summary>The user set by <see cref="OnBehalfOf"/>, or <see cref="Guid.Empty"/> for renders of no user.</summary>
    public static Guid CurrentOwner => Owner.Value ?? Guid.Empty;

    /// <summary>Renders waiting for a slot.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiting.Values.Sum(q => q.Count);
        }
    }

    /// <summary>
    /// Waits for a slot for <paramref name="owner"/>'s render: true once it has one (the caller must then call
    /// <see cref="Release"/> exactly once), false when none came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> EnterAsync(Guid owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (owner == Background)
        {
            var started = _clock.GetTimestamp();
            if (!await HoldOffAsync(timeout, cancellationToken)) return false;
            timeout = TimeSpan.FromTicks(Math.Max(0, (timeout - _clock.GetElapsedTime(started)).Ticks));
        }

        Waiter waiter;
        lock (_gate)
        {
            if (_free > 0 && _turns.Count == 0)
            {
                _free--;
                return true;
            }
            if (owner != Background) _userQueuedAt = _clock.GetTimestamp();
            if (!_waiting.TryGetValue(owner, out var queue))
            {
                _waiting[owner] = queue = new LinkedList<Waiter>();
                _turns.AddLast(owner);
            }
            waiter = new Waiter(owner);
            waiter.Node = queue.AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            bool granted;
            lock (_gate)
            {
                granted = waiter.Granted.Task.IsCompleted;
                if (!granted) Forget(waiter);
            }
            // The slot came just as we gave up: pass it on, or it would be lost.
            if (granted) Release();
            if (e is TimeoutException) return false;
            throw;
        }
    }

    /// <summary>
    /// Waits until no user's render has queued for the hold-off: true then, false when that did not happen within
    /// <paramref name="timeout"/>. Sleeps rather than polls, so a waiting thumbnail costs nothing.
    /// </summary>
    async Task<bool> HoldOffAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetTimestamp() + (long)(timeout.TotalSeconds * _clock.TimestampFrequency);
        while (true)
        {
            long queuedAt;
            lock (_gate) queuedAt = _userQueuedAt;
            if (queuedAt == 0) return true;
            var remaining = _backgroundHoldOff - _clock.GetElapsedTime(queuedAt);
            if (remaining <= TimeSpan.Zero) return true;
            if (_clock.GetTimestamp() + (long)(remaining.TotalSeconds * _clock.TimestampFrequency) > deadline) return false;
            await Task.Delay(remaining, _clock, cancellationToken);
        }
    }

    /// <summary>Gives a finished render's slot to the next user in turn, or frees it when nobody waits.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (NextTurn() is not { } turn)
            {
                _free++;
                return;
            }
            var owner = turn.Value;
            _turns.Remove(turn);
            var queue = _waiting[owner];
            var next = queue.First!.Value;
            queue.RemoveFirst();
            if (queue.Count > 0) _turns.AddLast(owner);
            else _waiting.Remove(owner);
            next.Granted.TrySetResult();
        }
    }

    /// <summary>The first user in turn, passing over background renders while anyone else waits.</summary>
    LinkedListNode<Guid>? NextTurn()
    {
        for (var turn = _turns.First; turn is not null; turn = turn.Next)
            if (turn.Value != Background) return turn;
        return _turns.First;
    }

    void Forget(Waiter waiter)
    {
        var queue = _waiting[waiter.Owner];
        queue.Remove(waiter.Node!);
        if (queue.Count > 0) return;
        _waiting.Remove(waiter.Owner);
        _turns.Remove(waiter.Owner);
    }

    sealed class Waiter(Guid owner)
    {
        public Guid Owner { get; } = owner;
        /// <summary>Continuations run off the lock and off the releasing thread.</summary>
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
    }

    sealed class Scope(Guid? previous) : IDisposable
    {
        public void Dispose() => Owner.Value = previous;
    }
}
