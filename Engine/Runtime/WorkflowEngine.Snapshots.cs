namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Export and import of an instance's whole state.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>The instance's whole state as a versioned JSON document (see <see cref="ImportSnapshot"/>).</summary>
    public string ExportSnapshot(string instanceId)
    {
        var entry = Entry(instanceId);
        entry.Gate.Wait();
        try
        {
            return InstanceSnapshot.Write(entry.Instance);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Restores an instance from <see cref="ExportSnapshot"/> into this engine (which must have the same
    /// definition version deployed) and registers its waits: tasks, messages, signals, timers and jobs.
    /// </summary>
    public ProcessInstanceInfo ImportSnapshot(string snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var instance = InstanceSnapshot.Read(snapshot, GetDefinitionById);
        if (!_instances.TryAdd(instance.Id, new InstanceEntry(instance)))
        {
            throw new WorkflowException($"Process instance '{instance.Id}' exists already in this engine.") { Code = "conflict" };
        }

        foreach (var subscription in instance.Subscriptions)
        {
            Index.AddSubscription(instance, subscription);
        }

        foreach (var node in instance.AllNodes())
        {
            if (node.Task is not null)
            {
                Index.AddTask(instance, node);
            }

            if (node.Wait is WaitKind.AsyncBefore or WaitKind.AsyncAfter)
            {
                Index.AddJob(instance, node);
            }
        }

        return Describe(instance);
    }
}
