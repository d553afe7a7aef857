using ComplaintWorkflows.Engine.Persistence;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// Told which timer triggers to put on and take off, so that a scheduler (Quartz in the host) can fire each
/// timer at its due time. Each change is an outbox entry committed with the step that made it and applied
/// after the commit; an entry left by a crash or refused by the scheduler is applied again by
/// <see cref="WorkflowEngine.RedeliverOutboxAsync"/>. Must be idempotent: scheduling an existing trigger
/// replaces it, removing a missing one does nothing. The store's timer rows stay the truth: a trigger
/// whose wait is gone fires into nothing.
/// </summary>
public interface ITimerScheduler
{
    Task TimersChangedAsync(IReadOnlyList<DueTimer> scheduled, IReadOnlyList<string> cancelled, CancellationToken cancellationToken = default);
}
