using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>A step's commit: the task, wait and job indexes brought up to date, the outbox entries and journal kept.</summary>
public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Brings the indexes up to date with what a step on <paramref name="instance"/> changed.</summary>
    private void Apply(ProcessInstance instance, StepChanges changes)
    {
        lock (_gate)
        {
            foreach (var change in changes.Items)
            {
                switch (change.Kind)
                {
                    case StepChanges.ChangeKind.TaskCreated:
                        _tasks[change.TaskId!] = new TaskLocation(instance.Id, change.NodeId);
                        break;
                    case StepChanges.ChangeKind.TaskRemoved:
                        _tasks.Remove(change.TaskId!);
                        break;
                    case StepChanges.ChangeKind.SubscriptionAdded:
                        Index(instance, change.Subscription!, change.DueAt, add: true);
                        break;
                    case StepChanges.ChangeKind.SubscriptionRemoved:
                        Index(instance, change.Subscription!, change.DueAt, add: false);
                        break;
                    case StepChanges.ChangeKind.JobAdded:
                        var node = instance.FindNode(change.NodeId)!;
                        var id = JobInfo.IdOf(instance.Id, change.NodeId);
                        _jobs[id] = new JobInfo(id, instance.Id, node.ElementId, node.Wait, change.DueAt!.Value, change.Retries);
                        break;
                    case StepChanges.ChangeKind.JobRemoved:
                        _jobs.Remove(JobInfo.IdOf(instance.Id, change.NodeId));
                        break;
                    case StepChanges.ChangeKind.ExternalTaskCreated or StepChanges.ChangeKind.ExternalTaskFailed or StepChanges.ChangeKind.ExternalTaskRemoved:
                        IndexExternalTask(instance, change);
                        break;
                }
            }
        }
    }

    private void Index(ProcessInstance instance, Subscription subscription, DateTimeOffset? dueAt, bool add)
    {
        var location = new WaitLocation(instance.Id, subscription.Id);
        switch (subscription.Kind)
        {
            case SubscriptionKind.Message:
                if (!_messages.TryGetValue(subscription.EventName!, out var byKey))
                {
                    _messages[subscription.EventName!] = byKey = new Dictionary<string, HashSet<WaitLocation>>(StringComparer.Ordinal);
                }

                foreach (var key in MessageKeys(instance, subscription))
                {
                    if (add)
                    {
                        if (!byKey.TryGetValue(key, out var set))
                        {
                            byKey[key] = set = [];
                        }

                        set.Add(location);
                    }
                    else if (byKey.TryGetValue(key, out var set) && set.Remove(location) && set.Count == 0)
                    {
                        byKey.Remove(key);
                    }
                }

                break;
            case SubscriptionKind.Signal:
                if (!_signals.TryGetValue(subscription.EventName!, out var signals))
                {
                    _signals[subscription.EventName!] = signals = [];
                }

                if (add)
                {
                    signals.Add(location);
                }
                else
                {
                    signals.Remove(location);
                }

                break;
            case SubscriptionKind.Timer:
                var timer = new DueTimer(dueAt!.Value, instance.Id, subscription.Id, instance.Definition.Id, subscription.EventElementId, 0);
                if (add)
                {
                    _timers.Add(timer);
                }
                else
                {
                    _timers.Remove(timer);
                }

                break;
        }
    }

    private static IEnumerable<string> MessageKeys(ProcessInstance instance, Subscription subscription)
    {
        yield return AnyKey;
        yield return "i:" + instance.Id;
        if (instance.BusinessKey is { } businessKey)
        {
            yield return "b:" + businessKey;
        }

        if (subscription.CorrelationKey is { } correlationKey)
        {
            yield return "k:" + correlationKey;
        }
    }

    private sealed class Lease(InMemoryWorkflowStore store, Entry entry) : IInstanceLease
    {
        private bool _released;
        private string? _checkpoint;

        public void Checkpoint() => _checkpoint = InstanceSnapshot.Write(entry.Instance);

        public void Discard()
        {
            if (_checkpoint is not null)
            {
                var definition = entry.Instance.Definition;
                entry.Instance = InstanceSnapshot.Read(_checkpoint, _ => definition);
            }
        }

        public ProcessInstance Instance => entry.Instance;

        public Task CommitAsync(StepChanges changes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(changes);
            if (!store.RecordDelivery(changes))
            {
                throw new ConcurrencyException($"Outbox entry '{changes.Delivery!.Value.Id}' was applied by '{changes.Delivery.Value.Receiver}' already.");
            }

            store.Apply(entry.Instance, changes);
            foreach (var outbox in changes.Outbox)
            {
                store._outbox[outbox.Id] = outbox;
            }

            if (changes.Journal.Count > 0)
            {
                var journal = store._journals.GetOrAdd(entry.Instance.Id, _ => []);
                lock (journal)
                {
                    journal.AddRange(changes.Journal);
                }
            }

            entry.Instance.Revision++;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_released)
            {
                _released = true;
                entry.Gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
