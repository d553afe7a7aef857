using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>User tasks: found by id through the index, queried on the live instances.</summary>
public sealed partial class InMemoryWorkflowStore
{
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
}
