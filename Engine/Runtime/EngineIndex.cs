namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// The in-memory indexes that let the engine find waits without scanning instances: tasks by id,
/// message waits by name and key, signal waits by name, timers by due time, jobs by id. Entries are
/// hints: the engine re-checks every hit under the instance's lock.
/// </summary>
internal sealed class EngineIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskRef> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<SubRef>>> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<SubRef>> _signals = new(StringComparer.Ordinal);
    private readonly SortedSet<TimerRef> _timers = new(TimerRef.Comparer);
    private readonly Dictionary<string, JobRef> _jobs = new(StringComparer.Ordinal);

    internal const string AnyKey = "*";

    /// <summary>Brings the indexes up to date with what a step on <paramref name="instance"/> changed.</summary>
    public void Apply(ProcessInstance instance, StepChanges changes)
    {
        foreach (var change in changes.Items)
        {
            switch (change.Kind)
            {
                case StepChanges.ChangeKind.TaskCreated:
                    lock (_gate)
                    {
                        _tasks[change.TaskId!] = new TaskRef(instance.Id, change.NodeId);
                    }

                    break;
                case StepChanges.ChangeKind.TaskRemoved:
                    RemoveTask(change.TaskId!);
                    break;
                case StepChanges.ChangeKind.SubscriptionAdded:
                    AddSubscription(instance, change.Subscription!, change.DueAt);
                    break;
                case StepChanges.ChangeKind.SubscriptionRemoved:
                    RemoveSubscription(instance, change.Subscription!, change.DueAt);
                    break;
                case StepChanges.ChangeKind.JobAdded:
                    lock (_gate)
                    {
                        _jobs[JobId(instance.Id, change.NodeId)] = new JobRef(instance.Id, change.NodeId);
                    }

                    break;
                case StepChanges.ChangeKind.JobRemoved:
                    lock (_gate)
                    {
                        _jobs.Remove(JobId(instance.Id, change.NodeId));
                    }

                    break;
            }
        }
    }

    public void AddTask(ProcessInstance instance, ExecutionNode node)
    {
        lock (_gate)
        {
            _tasks[node.Task!.TaskId] = new TaskRef(instance.Id, node.Id);
        }
    }

    public void RemoveTask(string taskId)
    {
        lock (_gate)
        {
            _tasks.Remove(taskId);
        }
    }

    public bool TryGetTask(string taskId, out TaskRef task)
    {
        lock (_gate)
        {
            return _tasks.TryGetValue(taskId, out task);
        }
    }

    public List<TaskRef> AllTasks()
    {
        lock (_gate)
        {
            return [.. _tasks.Values];
        }
    }

    public void AddSubscription(ProcessInstance instance, Subscription subscription) => AddSubscription(instance, subscription, subscription.DueAt);

    private void AddSubscription(ProcessInstance instance, Subscription subscription, DateTimeOffset? dueAt)
    {
        var reference = new SubRef(instance.Id, subscription.Id);
        lock (_gate)
        {
            switch (subscription.Kind)
            {
                case SubscriptionKind.Message:
                    foreach (var key in MessageKeys(instance, subscription))
                    {
                        MessageBucket(subscription.EventName!, key).Add(reference);
                    }

                    break;
                case SubscriptionKind.Signal:
                    if (!_signals.TryGetValue(subscription.EventName!, out var set))
                    {
                        _signals[subscription.EventName!] = set = [];
                    }

                    set.Add(reference);
                    break;
                case SubscriptionKind.Timer:
                    _timers.Add(new TimerRef(dueAt!.Value, instance.Id, null, subscription.Id, null));
                    break;
            }
        }
    }

    private void RemoveSubscription(ProcessInstance instance, Subscription subscription, DateTimeOffset? dueAt)
    {
        var reference = new SubRef(instance.Id, subscription.Id);
        lock (_gate)
        {
            switch (subscription.Kind)
            {
                case SubscriptionKind.Message when _messages.TryGetValue(subscription.EventName!, out var byKey):
                    foreach (var key in MessageKeys(instance, subscription))
                    {
                        if (byKey.TryGetValue(key, out var set) && set.Remove(reference) && set.Count == 0)
                        {
                            byKey.Remove(key);
                        }
                    }

                    break;
                case SubscriptionKind.Signal when _signals.TryGetValue(subscription.EventName!, out var set):
                    set.Remove(reference);
                    break;
                case SubscriptionKind.Timer:
                    _timers.Remove(new TimerRef(dueAt!.Value, instance.Id, null, subscription.Id, null));
                    break;
            }
        }
    }

    /// <summary>Message waits for a name, narrowed by the most specific key given.</summary>
    public List<SubRef> FindMessageWaits(string name, string? correlationKey, string? businessKey, string? instanceId)
    {
        var key = correlationKey is not null ? "k:" + correlationKey
            : instanceId is not null ? "i:" + instanceId
            : businessKey is not null ? "b:" + businessKey
            : AnyKey;
        lock (_gate)
        {
            return _messages.TryGetValue(name, out var byKey) && byKey.TryGetValue(key, out var set) ? [.. set] : [];
        }
    }

    public List<SubRef> FindSignalWaits(string name)
    {
        lock (_gate)
        {
            return _signals.TryGetValue(name, out var set) ? [.. set] : [];
        }
    }

    public void AddStartTimer(ProcessDefinition definition, string elementId, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            _timers.Add(new TimerRef(dueAt, null, definition.Id, 0, elementId));
        }
    }

    public void RemoveStartTimers(string definitionId)
    {
        lock (_gate)
        {
            _timers.RemoveWhere(t => t.DefinitionId == definitionId);
        }
    }

    public bool RemoveTimer(TimerRef timer)
    {
        lock (_gate)
        {
            return _timers.Remove(timer);
        }
    }

    public List<TimerRef> DueTimers(DateTimeOffset now, int max)
    {
        lock (_gate)
        {
            var result = new List<TimerRef>();
            foreach (var timer in _timers)
            {
                if (timer.DueAt > now || result.Count >= max)
                {
                    break;
                }

                result.Add(timer);
            }

            return result;
        }
    }

    public List<TimerRef> AllTimers()
    {
        lock (_gate)
        {
            return [.. _timers];
        }
    }

    public void AddJob(ProcessInstance instance, ExecutionNode node)
    {
        lock (_gate)
        {
            _jobs[JobId(instance.Id, node.Id)] = new JobRef(instance.Id, node.Id);
        }
    }

    public bool TryGetJob(string jobId, out JobRef job)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(jobId, out job);
        }
    }

    public List<KeyValuePair<string, JobRef>> AllJobs()
    {
        lock (_gate)
        {
            return [.. _jobs];
        }
    }

    public static string JobId(string instanceId, int nodeId) => $"{instanceId}:{nodeId}";

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

    private HashSet<SubRef> MessageBucket(string name, string key)
    {
        if (!_messages.TryGetValue(name, out var byKey))
        {
            _messages[name] = byKey = new Dictionary<string, HashSet<SubRef>>(StringComparer.Ordinal);
        }

        if (!byKey.TryGetValue(key, out var set))
        {
            byKey[key] = set = [];
        }

        return set;
    }
}

internal readonly record struct TaskRef(string InstanceId, int NodeId);

internal readonly record struct SubRef(string InstanceId, int SubscriptionId);

internal readonly record struct JobRef(string InstanceId, int NodeId);

/// <summary>A due time: of an instance's subscription, or (InstanceId null) of a definition's timer start event.</summary>
internal readonly record struct TimerRef(DateTimeOffset DueAt, string? InstanceId, string? DefinitionId, int SubscriptionId, string? StartElementId)
{
    public static readonly IComparer<TimerRef> Comparer = Comparer<TimerRef>.Create((a, b) =>
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

        if (c == 0)
        {
            c = string.CompareOrdinal(a.StartElementId, b.StartElementId);
        }

        return c;
    });

    public string Id => InstanceId is not null ? $"{InstanceId}:{SubscriptionId}" : $"start:{DefinitionId}:{StartElementId}";
}
