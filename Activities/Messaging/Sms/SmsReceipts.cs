using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>Delivery status of a message as the provider reported it.</summary>
public sealed record SmsDeliveryStatus(string OutId, bool Delivered, string? ErrorCode, string? ErrorMessage, DateTimeOffset? ReportTime, DateTimeOffset ReceivedAt);

/// <summary>The delivery receipts (<c>cw_sms_receipt</c>), by our message id (OutId): what notification records show.</summary>
public sealed class SmsReceipts(IDbContextFactory<DomainDbContext> contexts)
{
    /// <summary>The latest receipt of each given message id (ids without one are absent).</summary>
    public async Task<IReadOnlyDictionary<string, SmsDeliveryStatus>> ForOutIdsAsync(IReadOnlyCollection<string> outIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outIds);
        if (outIds.Count == 0)
        {
            return new Dictionary<string, SmsDeliveryStatus>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<SmsReceipt>().AsNoTracking().Where(r => r.OutId != null && outIds.Contains(r.OutId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.OutId!, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.ReportTime ?? r.ReceivedAt).First())
            .ToDictionary(r => r.OutId!, r => new SmsDeliveryStatus(r.OutId!, r.Success, r.ErrorCode, r.ErrorMessage, r.ReportTime, r.ReceivedAt), StringComparer.Ordinal);
    }

    public async Task<SmsDeliveryStatus?> ForOutIdAsync(string outId, CancellationToken cancellationToken = default)
        => (await ForOutIdsAsync([outId], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(outId);
}
