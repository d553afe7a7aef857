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

    public async Task<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        InboxKey.CheckLimit(query.Limit);
        InboxKey? after = query.After is { } cursor ? InboxKey.Parse(cursor) : null;
        var take = query.Limit + 1;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        List<TaskRow> rows;
        if (query.Scope == InboxScope.Mine)
        {
            // Keyset over the index (Assignee, DueSort, CreatedAt, Id).
            var user = query.User;
            var mine = db.Tasks.AsNoTracking().Where(t => t.Assignee == user);
            if (after is { } a)
            {
                var (due, created, id) = (a.DueSort, a.CreatedAt, a.TaskId);
#pragma warning disable CA1309 // string.Compare is translated to SQL's > on the id column (ids are ASCII); CompareOrdinal has no translation.
                mine = mine.Where(t => t.DueSort > due || (t.DueSort == due && (t.CreatedAt > created || (t.CreatedAt == created && string.Compare(t.Id, id) > 0))));
#pragma warning restore CA1309
            }

            rows = await mine.OrderBy(t => t.DueSort).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Keyset over the candidate index (Kind, Name, Claimed, DueSort, CreatedAt, TaskId): the user by name and
            // each group, unclaimed; a task offered to several of them is listed once.
            var user = query.User;
            var groups = query.Groups.Distinct(StringComparer.Ordinal).ToList();
            var candidates = db.TaskCandidates.AsNoTracking().Where(c => !c.Claimed
                && ((c.Kind == TaskCandidateRow.UserKind && c.Name == user) || (c.Kind == TaskCandidateRow.GroupKind && groups.Contains(c.Name))));
            if (after is { } a)
            {
                var (due, created, id) = (a.DueSort, a.CreatedAt, a.TaskId);
#pragma warning disable CA1309 // string.Compare is translated to SQL's > on the id column (ids are ASCII); CompareOrdinal has no translation.
                candidates = candidates.Where(c => c.DueSort > due || (c.DueSort == due && (c.CreatedAt > created || (c.CreatedAt == created && string.Compare(c.TaskId, id) > 0))));
#pragma warning restore CA1309
            }

            var keys = await candidates.Select(c => new { c.DueSort, c.CreatedAt, c.TaskId }).Distinct()
                .OrderBy(c => c.DueSort).ThenBy(c => c.CreatedAt).ThenBy(c => c.TaskId).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
            var ids = keys.Select(k => k.TaskId).ToList();
            var byId = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
            rows = [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
        }

        var more = rows.Count > query.Limit;
        var tasks = rows.Take(query.Limit).Select(ToInfo).ToList();
        return new InboxPage(tasks, more ? InboxKey.Of(tasks[^1]).ToCursor() : null);
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
            DueSort = InboxKey.DueSortOf(task.DueDate),
            Owner = task.Owner,
            DelegationState = task.DelegationState,
        };
    }
}
