namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Read-only views of instances, tasks, tokens, timers and jobs.</summary>
public sealed partial class WorkflowEngine
{
    public Task<ProcessInstanceInfo> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync(instanceId, InstanceViews.Instance, cancellationToken);

    public Task<IReadOnlyList<ProcessInstanceInfo>> GetInstancesAsync(string? definitionKey = null, bool activeOnly = false, CancellationToken cancellationToken = default)
        => Store.QueryInstancesAsync(definitionKey, activeOnly, cancellationToken: cancellationToken);

    /// <summary>The variables of the process instance scope.</summary>
    public Task<IReadOnlyDictionary<string, object?>> GetVariablesAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyDictionary<string, object?>>(instanceId, instance => instance.Root.Variables is { } variables
            ? new Dictionary<string, object?>(variables, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal), cancellationToken);

    public Task<IReadOnlyList<TaskInfo>> GetTasksAsync(TaskQuery? query = null, CancellationToken cancellationToken = default)
        => Store.QueryTasksAsync(query ?? new TaskQuery(), cancellationToken);

    /// <summary>
    /// One page of an inbox, keyset-paged by (due time, tasks without one last; creation time; task id): a limit under 1
    /// is refused naming <c>limit</c>, a cursor that is not a previous page's next one naming <c>after</c>.
    /// </summary>
    public Task<InboxPage> GetInboxAsync(InboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        InboxKey.CheckLimit(query.Limit);
        if (query.After is { } after)
        {
            InboxKey.Parse(after);
        }

        return Store.QueryInboxAsync(query, cancellationToken);
    }

    /// <summary>
    /// The ids and creation instants of the tasks created after an instant, oldest first: a watcher polling for new
    /// tasks over a window that overlaps its last look reads these, then only the unseen tasks whole.
    /// </summary>
    public Task<IReadOnlyList<TaskStamp>> GetTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default)
        => Store.QueryTaskStampsAsync(createdAfter, cancellationToken);

    public async Task<TaskInfo> GetTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(location.InstanceId, instance => instance.FindNode(location.NodeId) is { Task: { } task } node && task.TaskId == taskId
            ? InstanceViews.Task(instance, node)
            : throw new WorkflowException($"Task '{taskId}' does not exist or is no longer active.") { Code = "not-found" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every execution node of an instance: where its tokens are and what they wait for.</summary>
    public Task<IReadOnlyList<TokenInfo>> GetTokensAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync(instanceId, InstanceViews.Tokens, cancellationToken);

    public async Task<IReadOnlyList<TimerInfo>> GetTimersAsync(string? instanceId = null, CancellationToken cancellationToken = default)
        => [.. (await Store.QueryTimersAsync(instanceId, cancellationToken).ConfigureAwait(false))
            .Select(t => new TimerInfo(t.Id, t.InstanceId, t.DefinitionId, t.ElementId, t.DueAt, t.FiredCount))];

    /// <summary>An instance's history, in order: elements entered, completed and cancelled, variables set, who acted.</summary>
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken cancellationToken = default)
        => Store.QueryJournalAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<JobInfo>> GetJobsAsync(string? instanceId = null, CancellationToken cancellationToken = default)
        => Store.QueryJobsAsync(instanceId, cancellationToken);

    /// <summary>Reads an instance under its lease, without changing it.</summary>
    private async Task<T> ReadAsync<T>(string instanceId, Func<ProcessInstance, T> read, CancellationToken cancellationToken)
    {
        var lease = await Store.AcquireAsync(instanceId, GetDefinitionOrLoad, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkflowException($"Process instance '{instanceId}' does not exist.") { Code = "not-found" };
        await using (lease.ConfigureAwait(false))
        {
            return read(lease.Instance);
        }
    }
}
