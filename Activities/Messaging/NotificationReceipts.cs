using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// Delivery receipts (the provider's SmsReport): finds the sent notification by our message id (the OutId echoed as
/// <c>out_id</c>) or the provider's id (<c>biz_id</c>), and records that it reached the phone, or that it did not (then
/// the desk gets the same task as for an invalid number, and may correct the number and send it again). A receipt
/// delivered twice changes nothing the second time.
/// </summary>
public sealed partial class NotificationReceipts(IDbContextFactory<DomainDbContext> contexts, INotificationFailureHandler failures, TimeProvider time, ILogger<NotificationReceipts> logger)
{
    /// <summary>Records a receipt; false when no sent notification matches it (unknown ids, or already recorded).</summary>
    public async Task<bool> RecordAsync(string? outId, string? providerMessageId, bool delivered, string? errorCode = null, string? errorMessage = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(outId) && string.IsNullOrEmpty(providerMessageId))
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var n = await db.Set<Notification>().AsNoTracking().FirstOrDefaultAsync(
            x => x.Status == NotificationStatus.Sent && ((outId != null && x.MessageId == outId) || (providerMessageId != null && x.ProviderMessageId == providerMessageId)),
            cancellationToken).ConfigureAwait(false);
        if (n is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var code = errorCode is { Length: > 100 } ? errorCode[..100] : errorCode;
        var text = errorMessage is { Length: > 2000 } ? errorMessage[..2000] : errorMessage;

        // Only the first receipt moves it on (a receipt pushed twice, or by two hosts at once, changes nothing more).
        var moved = delivered
            ? await db.Set<Notification>().Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sent).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Status, NotificationStatus.Delivered).SetProperty(x => x.DeliveredAt, at ?? now).SetProperty(x => x.UpdatedAt, now), cancellationToken).ConfigureAwait(false)
            : await db.Set<Notification>().Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sent).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Status, NotificationStatus.InvalidRecipient).SetProperty(x => x.ErrorCode, code).SetProperty(x => x.ErrorMessage, text).SetProperty(x => x.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
        if (moved == 0)
        {
            return false;
        }

        n.ErrorCode = code;
        n.ErrorMessage = text;
        if (!delivered)
        {
            LogUndelivered(logger, n.Id, n.ErrorCode);
            var raised = await failures.RaiseAsync(n, NotificationFailureKind.InvalidRecipient, cancellationToken).ConfigureAwait(false);
            await db.Set<Notification>().Where(x => x.Id == n.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.FailureInstanceId, raised), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} did not reach the phone ({ErrorCode}); a task for staff was raised")]
    private static partial void LogUndelivered(ILogger logger, long id, string? errorCode);
}
