using System.Collections.Concurrent;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Keeps live instances in memory with indexes that find tasks, message waits (by name and key),
/// signal waits, timers and jobs without scanning instances. One step at a time per instance. For tests,
/// benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private const string AnyKey = "*";

    private readonly ConcurrentDictionary<string, Entry> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DefinitionRecord> _definitions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskLocation> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<WaitLocation>>> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<WaitLocation>> _signals = new(StringComparer.Ordinal);
    private readonly SortedSet<DueTimer> _timers = new(Comparer<DueTimer>.Create(CompareTimers));
    private readonly Dictionary<string, JobInfo> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<JournalEntry>> _journals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OutboxEntry> _outbox = new(StringComparer.Ordinal);
    private readonly List<DeploymentInfo> _deployments = [];
    private readonly Dictionary<string, HashSet<string>> _deliveries = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<OutboxEntry>>([.. _outbox.Values.Where(o => o.CreatedAt < createdBefore).OrderBy(o => o.CreatedAt).Take(max)]);

    public Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _outbox.TryRemove(id, out _);
            _deliveries.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_deliveries.TryGetValue(deliveryId, out var receivers) ? [.. receivers] : []);
        }
    }

    /// <summary>Records a step's delivery; false when that receiver applied the entry already (the step must not commit).</summary>
    private bool RecordDelivery(StepChanges changes)
    {
        if (changes.Delivery is not { } delivery)
        {
            return true;
        }

        lock (_gate)
        {
            if (!_deliveries.TryGetValue(delivery.Id, out var receivers))
            {
                _deliveries[delivery.Id] = receivers = new HashSet<string>(StringComparer.Ordinal);
            }

            return receivers.Add(delivery.Receiver);
        }
    }

    public Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!_journals.TryGetValue(instanceId, out var journal))
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>([]);
        }

        lock (journal)
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>([.. journal]);
        }
    }

    public Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(definitions);
        lock (_gate)
        {
            if (definitions.FirstOrDefault(d => _definitions.Values.Any(e => e.Key == d.Key && e.Version == d.Version)) is { } taken)
            {
                throw new ConcurrencyException($"Version {taken.Version} of process '{taken.Key}' was deployed by someone else meanwhile; deploy again.");
            }

            _deployments.Add(deployment);
            foreach (var definition in definitions)
            {
                _definitions[definition.Id] = definition;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DeploymentInfo>>([.. _deployments.Where(query.Matches).OrderBy(d => d.DeployedAt).ThenBy(d => d.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionIds);
        lock (_gate)
        {
            var deployment = _deployments.Find(d => d.Id == deploymentId);
            if (deployment is null)
            {
                return Task.FromResult(false);
            }

            var ids = definitionIds.ToHashSet(StringComparer.Ordinal);
            var instances = _instances.Values.Select(e => e.Instance).Where(i => ids.Contains(i.Definition.Id)).ToList();
            var running = instances.Count(i => i.Status == InstanceStatus.Active);
            if (running > 0 && !cascade)
            {
                throw DeploymentInUse(deploymentId, running);
            }

            foreach (var instance in instances)
            {
                Forget(instance.Id);
            }

            _timers.RemoveWhere(t => t.InstanceId is null && ids.Contains(t.DefinitionId));
            foreach (var id in ids)
            {
                _definitions.TryRemove(id, out _);
            }

            _deployments.Remove(deployment);
            AddOutbox(trigger);
            return Task.FromResult(true);
        }
    }

    internal static WorkflowException DeploymentInUse(string deploymentId, int running)
        => new($"Deployment '{deploymentId}' cannot be deleted: {running} instance(s) of its processes are still running; end them first or delete with cascade.") { Code = "conflict" };

    /// <summary>Removes an instance and everything the indexes hold of it (under the gate).</summary>
    private void Forget(string instanceId)
    {
        _instances.TryRemove(instanceId, out _);
        _journals.TryRemove(instanceId, out _);
        foreach (var task in _tasks.Where(t => t.Value.InstanceId == instanceId).Select(t => t.Key).ToList())
        {
            _tasks.Remove(task);
        }

        foreach (var byKey in _messages.Values)
        {
            foreach (var set in byKey.Values)
            {
                set.RemoveWhere(w => w.InstanceId == instanceId);
            }
        }

        foreach (var set in _signals.Values)
        {
            set.RemoveWhere(w => w.InstanceId == instanceId);
        }

        _timers.RemoveWhere(t => t.InstanceId == instanceId);
        foreach (var job in _jobs.Values.Where(j => j.ProcessInstanceId == instanceId).Select(j => j.Id).ToList())
        {
            _jobs.Remove(job);
        }
    }

    public Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<DefinitionRecord>>([.. _definitions.Values.OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Version)]);

    public async Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var entry = new Entry(instance);
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!_instances.TryAdd(instance.Id, entry))
        {
            entry.Gate.Release();
            throw new WorkflowException($"Process instance '{instance.Id}' exists already.") { Code = "conflict" };
        }

        return new Lease(this, entry);
    }

    public async Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default)
    {
        if (!_instances.TryGetValue(instanceId, out var entry))
        {
            return null;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(this, entry);
    }

    public Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<TaskLocation?>(_tasks.TryGetValue(taskId, out var task) ? task : null);
        }
    }

    public async Task<IReadOnlyList<TaskStamp>> QueryTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default)
        => [.. (await QueryTasksAsync(new TaskQuery { CreatedAfter = createdAfter }, cancellationToken).ConfigureAwait(false)).Select(t => new TaskStamp(t.Id, t.CreatedAt))];

    public Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<TaskLocation> candidates;
        lock (_gate)
        {
            candidates = [.. _tasks.Values.Where(t => query.ProcessInstanceId is null || t.InstanceId == query.ProcessInstanceId)];
        }

        var result = new List<TaskInfo>();
        foreach (var location in candidates)
        {
            if (_instances.TryGetValue(location.InstanceId, out var entry)
                && entry.Instance.FindNode(location.NodeId) is { Task: { } } node
                && InstanceViews.Task(entry.Instance, node) is { } task
                && query.Matches(task))
            {
                result.Add(task);
            }
        }

        return Task.FromResult<IReadOnlyList<TaskInfo>>([.. result.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)]);
    }

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

    public Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobInfo>>([.. _jobs.Values.Where(j => instanceId is null || j.ProcessInstanceId == instanceId)]);
        }
    }

    public Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var busy = _jobs.Values.Where(j => j.LockExpiresAt > now).Select(j => j.ProcessInstanceId).ToHashSet(StringComparer.Ordinal);
            var acquired = new List<JobInfo>();
            foreach (var job in _jobs.Values.Where(j => j.DueAt <= now && j.Retries > 0 && !(j.LockExpiresAt > now)).OrderBy(j => j.DueAt).ThenBy(j => j.Id, StringComparer.Ordinal))
            {
                if (acquired.Count >= max)
                {
                    break;
                }

                if (busy.Add(job.ProcessInstanceId))
                {
                    var locked = job with { LockOwner = owner, LockExpiresAt = now + lockFor };
                    _jobs[job.Id] = locked;
                    acquired.Add(locked);
                }
            }

            return Task.FromResult<IReadOnlyList<JobInfo>>(acquired);
        }
    }

    public Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job) || job.LockOwner != owner)
            {
                return Task.FromResult(false);
            }

            _jobs[jobId] = job with { LockExpiresAt = lockedUntil };
            return Task.FromResult(true);
        }
    }

    public Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(jobId, out var job))
            {
                _jobs[jobId] = job with { Retries = retriesLeft, DueAt = dueAt, ExceptionMessage = message, LockOwner = null, LockExpiresAt = null };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                return Task.FromResult(false);
            }

            _jobs[jobId] = job with { Retries = retries, DueAt = now, LockOwner = null, LockExpiresAt = null };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ProcessInstanceInfo>>([.. _instances.Values
            .Select(e => e.Instance)
            .Where(i => (definitionKey is null || i.Definition.Key == definitionKey) && (!activeOnly || i.Status == InstanceStatus.Active) && (!withIncidentOnly || i.Incidents.Count > 0))
            .OrderBy(i => i.StartedAt)
            .Select(InstanceViews.Instance)]);

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

    private void AddOutbox(OutboxEntry? entry)
    {
        if (entry is not null)
        {
            _outbox[entry.Id] = entry;
        }
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

    private sealed class Entry(ProcessInstance instance)
    {
        public ProcessInstance Instance { get; set; } = instance;

        public SemaphoreSlim Gate { get; } = new(1, 1);
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
