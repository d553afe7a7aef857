using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>External tasks: their rows written with a step, locked and released by conditional updates, queried.</summary>
public sealed partial class EfWorkflowStore : IExternalTaskStore
{
    /// <summary>How many candidates beyond the asked number a fetch reads, so that tasks another host took meanwhile are made up for.</summary>
    private const int LockCandidates = 50;

    /// <summary>The net effect of a step on its external tasks: rows created, failures recorded, rows deleted.</summary>
    private static async Task ApplyExternalTasksAsync(WorkflowDbContext db, ProcessInstance instance, Dictionary<string, (bool Existed, StepChanges.Change Last)> changes, List<object> rows, CancellationToken cancellationToken)
    {
        foreach (var (id, (existed, last)) in changes)
        {
            var node = last.Kind == StepChanges.ChangeKind.ExternalTaskRemoved ? null : instance.FindNode(last.NodeId);
            if (node?.External is not { } external || external.Id != id)
            {
                if (existed)
                {
                    await db.ExternalTasks.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (last.Kind == StepChanges.ChangeKind.ExternalTaskFailed && existed)
            {
                var retries = external.Retries;
                var message = Truncate(external.ErrorMessage);
                var details = external.ErrorDetails;
                var lockedUntil = last.DueAt?.ToUnixTimeMilliseconds();
                await db.ExternalTasks.Where(r => r.Id == id).ExecuteUpdateAsync(
                    u => u.SetProperty(r => r.Retries, retries)
                        .SetProperty(r => r.ErrorMessage, message)
                        .SetProperty(r => r.ErrorDetails, details)
                        .SetProperty(r => r.LockExpiresAt, lockedUntil),
                    cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (existed)
            {
                await db.ExternalTasks.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            rows.Add(new ExternalTaskRow
            {
                Id = id,
                Topic = external.Topic,
                InstanceId = instance.Id,
                NodeId = node.Id,
                ElementId = node.ElementId,
                DefinitionId = instance.Definition.Id,
                DefinitionKey = instance.Definition.Key,
                BusinessKey = instance.BusinessKey,
                Priority = external.Priority,
                CreatedAt = external.CreatedAt.ToUnixTimeMilliseconds(),
                Retries = external.Retries,
                ErrorMessage = Truncate(external.ErrorMessage),
                ErrorDetails = external.ErrorDetails,
            });
        }
    }

    private static string? Truncate(string? message) => message is { Length: > 4000 } ? message[..4000] : message;

    public async Task<IReadOnlyList<ExternalTaskInfo>> LockExternalTasksAsync(string workerId, IReadOnlyList<ExternalTaskTopic> topics, int max, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var names = topics.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList();
        var durations = topics.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().LockDuration, StringComparer.Ordinal);
        var locked = new List<ExternalTaskInfo>();
        var candidates = await db.ExternalTasks.AsNoTracking()
            .Where(t => names.Contains(t.Topic) && (t.LockExpiresAt == null || t.LockExpiresAt < at) && (t.Retries == null || t.Retries > 0))
            .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Take(max + LockCandidates)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in candidates)
        {
            if (locked.Count >= max)
            {
                break;
            }

            // Taken only if still free: of two hosts locking one task, one updates the row and the other finds it taken.
            var until = (now + durations[candidate.Topic]).ToUnixTimeMilliseconds();
            var id = candidate.Id;
            var updated = await db.ExternalTasks
                .Where(t => t.Id == id && (t.LockExpiresAt == null || t.LockExpiresAt < at) && (t.Retries == null || t.Retries > 0))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.WorkerId, workerId).SetProperty(t => t.LockExpiresAt, until), cancellationToken)
                .ConfigureAwait(false);
            if (updated == 1)
            {
                candidate.WorkerId = workerId;
                candidate.LockExpiresAt = until;
                locked.Add(ToInfo(candidate));
            }
        }

        return locked;
    }

    public async Task<bool> ExtendExternalTaskLockAsync(string id, string workerId, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var until = lockedUntil.ToUnixTimeMilliseconds();
        return await db.ExternalTasks.Where(t => t.Id == id && t.WorkerId == workerId && t.LockExpiresAt >= at)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.LockExpiresAt, until), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UnlockExternalTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ExternalTasks.Where(t => t.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.WorkerId, (string?)null).SetProperty(t => t.LockExpiresAt, (long?)null), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ExternalTaskInfo>> QueryExternalTasksAsync(ExternalTaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var tasks = db.ExternalTasks.AsNoTracking();
        var at = query.Now.ToUnixTimeMilliseconds();
        if (query.Id is { } id)
        {
            tasks = tasks.Where(t => t.Id == id);
        }

        if (query.Topic is { } topic)
        {
            tasks = tasks.Where(t => t.Topic == topic);
        }

        if (query.WorkerId is { } worker)
        {
            tasks = tasks.Where(t => t.WorkerId == worker);
        }

        if (query.InstanceId is { } instanceId)
        {
            tasks = tasks.Where(t => t.InstanceId == instanceId);
        }

        if (query.ElementId is { } elementId)
        {
            tasks = tasks.Where(t => t.ElementId == elementId);
        }

        tasks = query.Locked switch
        {
            true => tasks.Where(t => t.LockExpiresAt >= at),
            false => tasks.Where(t => t.LockExpiresAt == null || t.LockExpiresAt < at),
            null => tasks,
        };
        tasks = query.WithRetriesLeft switch
        {
            true => tasks.Where(t => t.Retries == null || t.Retries > 0),
            false => tasks.Where(t => t.Retries != null && t.Retries <= 0),
            null => tasks,
        };
        var rows = await tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    private static ExternalTaskInfo ToInfo(ExternalTaskRow t) => new(
        t.Id, t.Topic, t.InstanceId, t.NodeId, t.ElementId, t.DefinitionId, t.DefinitionKey, t.BusinessKey, t.Priority,
        DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt), t.WorkerId,
        t.LockExpiresAt is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
        t.Retries, t.ErrorMessage, t.ErrorDetails);
}
