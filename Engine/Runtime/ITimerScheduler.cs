using ComplaintWorkflows.Engine.Persistence;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// Told, after each committed step, which timers began and which ended, so that a scheduler (Quartz in
/// the host) can fire each at its due time. The store's timer rows stay the truth: a trigger lost in a
/// crash is caught by <see cref="WorkflowEngine.FireDueTimersAsync"/>, and a trigger whose wait is gone
/// fires into nothing.
/// </summary>
public interface ITimerScheduler
{
    Task TimersChangedAsync(IReadOnlyList<DueTimer> scheduled, IReadOnlyList<string> cancelled, CancellationToken cancellationToken = default);
}
