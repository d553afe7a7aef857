using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>User tasks: found by id, queried, and converted between rows and views.</summary>
public sealed partial class EfWorkflowStore
{
    public async Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.InstanceId, t.NodeId }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new TaskLocation(row.InstanceId, row.NodeId);
    }

    public async Task<IReadOnlyList<TaskStamp>> QueryTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default)
    {
        var after = createdAfter.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Tasks.AsNoTracking().Where(t => t.CreatedAt > after).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.CreatedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new TaskStamp(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))];
    }

    public async Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<TaskRow> tasks = db.Tasks.AsNoTracking();
        if (query.ProcessInstanceId is { } instanceId)
        {
            tasks = tasks.Where(t => t.InstanceId == instanceId);
        }

        if (query.Assignee is { } assignee)
        {
            tasks = tasks.Where(t => t.Assignee == assignee);
        }

        if (query.ElementId is { } elementId)
        {
            tasks = tasks.Where(t => t.ElementId == elementId);
        }

        if (query.CandidateUser is { } user)
        {
            var pattern = "%," + EscapeLike(user) + ",%";
            tasks = tasks.Where(t => EF.Functions.Like(t.CandidateUsers, pattern, "\\"));
        }

        if (query.CandidateGroup is { } group)
        {
            var pattern = "%," + EscapeLike(group) + ",%";
            tasks = tasks.Where(t => EF.Functions.Like(t.CandidateGroups, pattern, "\\"));
        }

        if (query.CreatedAfter is { } createdAfter)
        {
            var after = createdAfter.ToUnixTimeMilliseconds();
            tasks = tasks.Where(t => t.CreatedAt > after);
        }

        if (query.Ids is { } ids)
        {
            var wanted = ids.ToList();
            tasks = tasks.Where(t => wanted.Contains(t.Id));
        }

        var rows = await tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    private static TaskInfo ToInfo(TaskRow t) => new(
        t.Id,
        t.Name,
        t.ElementId,
        t.InstanceId,
        t.DefinitionKey,
        t.BusinessKey,
        t.Assignee,
        SplitList(t.CandidateUsers),
        SplitList(t.CandidateGroups),
        t.DueDate is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null,
        t.FollowUpDate is { } followUp ? DateTimeOffset.FromUnixTimeMilliseconds(followUp) : null,
        t.Priority,
        t.FormKey,
        DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt))
    {
        Owner = t.Owner,
        DelegationState = t.DelegationState,
    };

    private static string JoinList(IReadOnlyList<string> values) => values.Count == 0 ? "" : "," + string.Join(',', values) + ",";

    private static string[] SplitList(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static TaskRow ToRow(ProcessInstance instance, ExecutionNode node)
    {
        var task = InstanceViews.Task(instance, node);
        return new TaskRow
        {
            Id = task.Id,
            InstanceId = instance.Id,
            NodeId = node.Id,
            ElementId = task.ElementId,
            Name = task.Name,
            DefinitionKey = task.DefinitionKey,
            BusinessKey = task.BusinessKey,
            Assignee = task.Assignee,
            CandidateUsers = JoinList(task.CandidateUsers),
            CandidateGroups = JoinList(task.CandidateGroups),
            DueDate = task.DueDate?.ToUnixTimeMilliseconds(),
            FollowUpDate = task.FollowUpDate?.ToUnixTimeMilliseconds(),
            Priority = task.Priority,
            FormKey = task.FormKey,
            CreatedAt = task.CreatedAt.ToUnixTimeMilliseconds(),
            Owner = task.Owner,
            DelegationState = task.DelegationState,
        };
    }
}
