using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Waits: message and signal subscriptions, instance timers and the start timers of definitions.</summary>
public sealed partial class InMemoryWorkflowStore
{
    public Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default)
    {
        var key = correlationKey is not null ? "k:" + correlationKey
            : instanceId is not null ? "i:" + instanceId
            : businessKey is not null ? "b:" + businessKey
            : AnyKey;
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WaitLocation>>(
                _messages.TryGetValue(name, out var byKey) && byKey.TryGetValue(key, out var set) ? [.. set] : []);
        }
    }

    public Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WaitLocation>>(_signals.TryGetValue(name, out var set) ? [.. set] : []);
        }
    }

    public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DueTimer>>([.. _timers.TakeWhile(t => t.DueAt <= now).Take(max).Select(WithFiredCount)]);
        }
    }

    public Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DueTimer>>([.. _timers.Where(t => instanceId is null || t.InstanceId == instanceId).Select(WithFiredCount)]);
        }
    }

    public Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _timers.RemoveWhere(t => t.InstanceId is null && t.DefinitionId == definitionId && t.ElementId == elementId);
            _timers.Add(new DueTimer(dueAt, null, 0, definitionId, elementId, firedCount));
            AddOutbox(trigger);
        }

        return Task.CompletedTask;
    }

    public Task RemoveStartTimersAsync(string definitionId, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _timers.RemoveWhere(t => t.InstanceId is null && t.DefinitionId == definitionId);
            AddOutbox(trigger);
        }

        return Task.CompletedTask;
    }

    public Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_timers.Remove(timer));
        }
    }

    private DueTimer WithFiredCount(DueTimer timer)
        => timer.InstanceId is not null && _instances.TryGetValue(timer.InstanceId, out var entry)
            && entry.Instance.Subscriptions.Find(s => s.Id == timer.SubscriptionId) is { } subscription
            ? timer with { FiredCount = subscription.FiredCount }
            : timer;

    private static int CompareTimers(DueTimer a, DueTimer b)
    {
        var c = a.DueAt.CompareTo(b.DueAt);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.InstanceId, b.InstanceId);
        }

        if (c == 0)
        {
            c = a.SubscriptionId.CompareTo(b.SubscriptionId);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.DefinitionId, b.DefinitionId);
        }

        return c == 0 ? string.CompareOrdinal(a.ElementId, b.ElementId) : c;
    }
}
