namespace ComplaintWorkflows.WorkflowHost;

/// <summary>The wait of the host's polling loops.</summary>
internal static class PollingTimers
{
    /// <summary>
    /// Waits for the timer's next tick, then goes on on the thread pool rather than inside whatever moved the clock.
    /// A clock that jumps far at once (a test's fake clock moved by 60 days) then wakes a loop a few times, with the
    /// ticks in between merged by the timer, instead of running one poll inside the jump for every period it passes
    /// (2.6 million polls of a 2 s loop).
    /// </summary>
    public static async ValueTask<bool> WaitForNextPollAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var ticked = await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        await Task.Yield();
        return ticked;
    }
}
