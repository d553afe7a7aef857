using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>The outbox: entries found and deleted, written with a store operation, and the deliveries recorded for them.</summary>
public sealed partial class EfWorkflowStore
{
    public async Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var before = createdBefore.ToUnixTimeMilliseconds();
        var rows = await db.Outbox.AsNoTracking().Where(o => o.CreatedAt < before).OrderBy(o => o.CreatedAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(o => new OutboxEntry(o.Id, DateTimeOffset.FromUnixTimeMilliseconds(o.CreatedAt), o.Payload))];
    }

    public async Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Outbox.Where(o => o.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Deliveries.Where(d => d.DeliveryId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Deliveries.AsNoTracking().Where(d => d.DeliveryId == deliveryId).Select(d => d.Receiver).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddOutbox(WorkflowDbContext db, OutboxEntry? entry)
    {
        if (entry is not null)
        {
            db.Outbox.Add(new OutboxRow { Id = entry.Id, CreatedAt = entry.CreatedAt.ToUnixTimeMilliseconds(), Payload = entry.Payload });
        }
    }
}
