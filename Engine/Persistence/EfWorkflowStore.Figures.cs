using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>The figures of the engine's health (counts over the whole database, whichever host asks) and its stuck instances.</summary>
public sealed partial class EfWorkflowStore : IEngineFigureStore
{
    public async Task<EngineFigures> QueryFiguresAsync(DateTimeOffset now, TimeSpan overdueAfter, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var overdue = (now - overdueAfter).ToUnixTimeMilliseconds();
        var active = (int)InstanceStatus.Active;
        var running = await db.Instances.CountAsync(i => i.Status == active, cancellationToken).ConfigureAwait(false);
        var due = await db.Jobs.CountAsync(j => j.DueAt <= at && j.Retries > 0, cancellationToken).ConfigureAwait(false);
        var late = await db.Jobs.CountAsync(j => j.DueAt <= overdue && j.Retries > 0, cancellationToken).ConfigureAwait(false);
        var incidents = await db.Instances.CountAsync(i => i.Status == active && i.HasIncident, cancellationToken).ConfigureAwait(false);
        var outbox = await db.Outbox.CountAsync(cancellationToken).ConfigureAwait(false);
        var timers = await db.Subscriptions.CountAsync(s => s.DueAt != null && s.DueAt <= overdue, cancellationToken).ConfigureAwait(false);
        var from = since.ToUnixTimeMilliseconds();
        var started = await db.Instances.CountAsync(i => i.StartedAt >= from, cancellationToken).ConfigureAwait(false);
        var ended = await db.Instances.CountAsync(i => i.EndedAt >= from, cancellationToken).ConfigureAwait(false);
        return new EngineFigures(running, due, late, incidents, outbox, timers, started, ended);
    }

    public async Task<IReadOnlyList<StuckInstance>> QueryStuckInstancesAsync(DateTimeOffset startedBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var active = (int)InstanceStatus.Active;
        var before = startedBefore.ToUnixTimeMilliseconds();

        // Running, no incident, and nothing that will move it: no task, no wait, no job, no external task, no running called instance.
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.Status == active && !i.HasIncident && i.StartedAt < before)
            .Where(i => !db.Tasks.Any(t => t.InstanceId == i.Id)
                && !db.Subscriptions.Any(s => s.InstanceId == i.Id)
                && !db.Jobs.Any(j => j.InstanceId == i.Id)
                && !db.ExternalTasks.Any(t => t.InstanceId == i.Id)
                && !db.Instances.Any(c => c.ParentInstanceId == i.Id && c.Status == active))
            .OrderBy(i => i.StartedAt)
            .Take(max)
            .Select(i => new { i.Id, i.DefinitionKey, i.BusinessKey, i.StartedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StuckInstance(r.Id, r.DefinitionKey, r.BusinessKey, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt)))];
    }
}
