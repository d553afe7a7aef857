using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>External tasks: indexed with the steps of their instances, locked and released under the store's lock, queried.</summary>
public sealed partial class InMemoryWorkflowStore : IExternalTaskStore
{
    /// <summary>Brings the index up to date with one change of a step (called under <see cref="_gate"/>).</summary>
    private void IndexExternalTask(ProcessInstance instance, StepChanges.Change change)
    {
        var id = change.TaskId!;
        if (change.Kind == StepChanges.ChangeKind.ExternalTaskRemoved)
        {
            _externalTasks.Remove(id);
            return;
        }

        var node = instance.FindNode(change.NodeId)!;
        var external = node.External!;
        if (change.Kind == StepChanges.ChangeKind.ExternalTaskFailed && _externalTasks.TryGetValue(id, out var current))
        {
            _externalTasks[id] = current with
            {
                Retries = external.Retries,
                ErrorMessage = external.ErrorMessage,
                ErrorDetails = external.ErrorDetails,
                LockExpiresAt = change.DueAt,
            };
            return;
        }

        _externalTasks[id] = new ExternalTaskInfo(
            id, external.Topic, instance.Id, node.Id, node.ElementId, instance.Definition.Id, instance.Definition.Key, instance.BusinessKey,
            external.Priority, external.CreatedAt, null, null, external.Retries, external.ErrorMessage, external.ErrorDetails);
    }

    public Task<IReadOnlyList<ExternalTaskInfo>> LockExternalTasksAsync(string workerId, IReadOnlyList<ExternalTaskTopic> topics, int max, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var durations = topics.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().LockDuration, StringComparer.Ordinal);
        lock (_gate)
        {
            var locked = new List<ExternalTaskInfo>();
            foreach (var task in _externalTasks.Values
                .Where(t => durations.ContainsKey(t.Topic) && !t.IsLocked(now) && t.Retries is null or > 0)
                .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)
                .Take(max)
                .ToList())
            {
                var taken = task with { WorkerId = workerId, LockExpiresAt = now + durations[task.Topic] };
                _externalTasks[task.Id] = taken;
                locked.Add(taken);
            }

            return Task.FromResult<IReadOnlyList<ExternalTaskInfo>>(locked);
        }
    }

    public Task<bool> ExtendExternalTaskLockAsync(string id, string workerId, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_externalTasks.TryGetValue(id, out var task) || task.WorkerId != workerId || !task.IsLocked(now))
            {
                return Task.FromResult(false);
            }

            _externalTasks[id] = task with { LockExpiresAt = lockedUntil };
            return Task.FromResult(true);
        }
    }

    public Task<bool> UnlockExternalTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_externalTasks.TryGetValue(id, out var task))
            {
                return Task.FromResult(false);
            }

            _externalTasks[id] = task with { WorkerId = null, LockExpiresAt = null };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ExternalTaskInfo>> QueryExternalTasksAsync(ExternalTaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ExternalTaskInfo>>([.. _externalTasks.Values
                .Where(t => (query.Id is null || t.Id == query.Id)
                    && (query.Topic is null || t.Topic == query.Topic)
                    && (query.WorkerId is null || t.WorkerId == query.WorkerId)
                    && (query.InstanceId is null || t.InstanceId == query.InstanceId)
                    && (query.ElementId is null || t.ElementId == query.ElementId)
                    && (query.Locked is not { } locked || t.IsLocked(query.Now) == locked)
                    && (query.WithRetriesLeft is not { } left || (t.Retries is null or > 0) == left))
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)]);
        }
    }
}
