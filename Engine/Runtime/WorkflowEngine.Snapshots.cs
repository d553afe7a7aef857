namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Export and import of an instance's whole state.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>The instance's whole state as a versioned JSON document (see <see cref="ImportSnapshotAsync"/>).</summary>
    public Task<string> ExportSnapshotAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync(instanceId, InstanceSnapshot.Write, cancellationToken);

    /// <summary>
    /// Restores an instance from <see cref="ExportSnapshotAsync"/> into this engine's store (the same
    /// definition version must be deployed) and registers its waits: tasks, messages, signals, timers and jobs.
    /// </summary>
    public async Task<ProcessInstanceInfo> ImportSnapshotAsync(string snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var instance = InstanceSnapshot.Read(snapshot, GetDefinitionOrLoad);
        instance.Revision--; // committing the import counts it back up to the exported revision
        await using var lease = await Store.CreateAsync(instance, cancellationToken).ConfigureAwait(false);
        await lease.CommitAsync(StepChanges.Everything(instance), cancellationToken).ConfigureAwait(false);
        return InstanceViews.Instance(instance);
    }
}
