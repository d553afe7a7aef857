using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Waits: message and signal subscriptions, instance timers and the start timers of definitions.</summary>
public sealed partial class EfWorkflowStore
{
    public async Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var waits = db.Subscriptions.AsNoTracking().Where(s => s.Kind == (int)SubscriptionKind.Message && s.EventName == name);
        if (correlationKey is not null)
        {
            waits = waits.Where(s => s.CorrelationKey == correlationKey);
        }
        else if (instanceId is not null)
        {
            waits = waits.Where(s => s.InstanceId == instanceId);
        }
        else if (businessKey is not null)
        {
            waits = waits.Where(s => s.BusinessKey == businessKey);
        }

        var rows = await waits.Select(s => new { s.InstanceId, s.SubscriptionId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WaitLocation(r.InstanceId, r.SubscriptionId))];
    }

    public async Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Kind == (int)SubscriptionKind.Signal && s.EventName == name)
            .Select(s => new { s.InstanceId, s.SubscriptionId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WaitLocation(r.InstanceId, r.SubscriptionId))];
    }

    public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
        => TimersAsync(null, now.ToUnixTimeMilliseconds(), max, cancellationToken);

    public Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default)
        => TimersAsync(instanceId, null, int.MaxValue, cancellationToken);

    private async Task<IReadOnlyList<DueTimer>> TimersAsync(string? instanceId, long? dueBy, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var waits = db.Subscriptions.AsNoTracking().Where(s => s.Kind == (int)SubscriptionKind.Timer);
        if (instanceId is not null)
        {
            waits = waits.Where(s => s.InstanceId == instanceId);
        }

        if (dueBy is { } by)
        {
            waits = waits.Where(s => s.DueAt <= by);
        }

        var timers = (await waits.OrderBy(s => s.DueAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => new DueTimer(DateTimeOffset.FromUnixTimeMilliseconds(s.DueAt!.Value), s.InstanceId, s.SubscriptionId, s.DefinitionId, s.ElementId, s.FiredCount))
            .ToList();
        if (instanceId is null)
        {
            var starts = db.StartTimers.AsNoTracking();
            if (dueBy is { } by2)
            {
                starts = starts.Where(t => t.DueAt <= by2);
            }

            timers.AddRange((await starts.OrderBy(t => t.DueAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(t => new DueTimer(DateTimeOffset.FromUnixTimeMilliseconds(t.DueAt), null, 0, t.DefinitionId, t.ElementId, t.FiredCount)));
        }

        return [.. timers.OrderBy(t => t.DueAt).Take(max)];
    }

    public async Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => t.DefinitionId == definitionId && t.ElementId == elementId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.StartTimers.Add(new StartTimerRow { DefinitionId = definitionId, ElementId = elementId, DueAt = dueAt.ToUnixTimeMilliseconds(), FiredCount = firedCount });
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveStartTimersAsync(string definitionId, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => t.DefinitionId == definitionId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = timer.DueAt.ToUnixTimeMilliseconds();
        var claimed = await db.StartTimers
            .Where(t => t.DefinitionId == timer.DefinitionId && t.ElementId == timer.ElementId && t.DueAt == due)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return claimed == 1;
    }
}
