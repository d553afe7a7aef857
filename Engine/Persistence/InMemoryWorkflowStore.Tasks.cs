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

    public async Task<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        InboxKey.CheckLimit(query.Limit);
        InboxKey? after = query.After is { } cursor ? InboxKey.Parse(cursor) : null;
        var all = await QueryTasksAsync(new TaskQuery(), cancellationToken).ConfigureAwait(false);
        var page = all
            .Where(t => query.Scope == InboxScope.Mine
                ? t.Assignee == query.User
                : t.Assignee is null && (t.CandidateUsers.Contains(query.User) || t.CandidateGroups.Any(query.Groups.Contains)))
            .Select(t => (Key: InboxKey.Of(t), Task: t))
            .Where(t => after is null || t.Key > after.Value)
            .OrderBy(t => t.Key)
            .Take(query.Limit + 1)
            .ToList();
        var more = page.Count > query.Limit;
        var tasks = page.Take(query.Limit).Select(t => t.Task).ToList();
        return new InboxPage(tasks, more ? InboxKey.Of(tasks[^1]).ToCursor() : null);
    }
}
