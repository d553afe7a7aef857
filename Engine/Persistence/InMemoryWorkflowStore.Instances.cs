using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Instances: a lease on a new or stored instance (one at a time per instance), and the instance and journal queries.</summary>
public sealed partial class InMemoryWorkflowStore
{
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

    public Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ProcessInstanceInfo>>([.. _instances.Values
            .Select(e => e.Instance)
            .Where(i => (definitionKey is null || i.Definition.Key == definitionKey) && (!activeOnly || i.Status == InstanceStatus.Active) && (!withIncidentOnly || i.Incidents.Count > 0))
            .OrderBy(i => i.StartedAt)
            .Select(InstanceViews.Instance)]);

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

    private sealed class Entry(ProcessInstance instance)
    {
        public ProcessInstance Instance { get; set; } = instance;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
