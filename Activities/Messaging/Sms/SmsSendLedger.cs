using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// The database's record of what was sent to the provider (table <c>cw_sms_send</c>): one row per message id, so a
/// retried job, another host or a restart never sends a message twice, and the count per number for the limits.
/// </summary>
public sealed class SmsSendLedger(IDbContextFactory<DomainDbContext> contexts, TimeProvider time)
{
    public async Task<SmsSendRecord?> FindAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SmsSendRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.MessageId == messageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Messages of a template sent to a number since an instant, and the oldest of them.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> SentSinceAsync(string phoneNumber, string templateCode, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var sent = await db.Set<SmsSendRecord>().AsNoTracking()
            .Where(r => r.PhoneNumberKey == phoneNumber && r.TemplateCode == templateCode && r.State == SmsSendState.Sent && r.SentAt >= since)
            .Select(r => r.SentAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (sent.Count, sent.Count == 0 ? null : sent.Min());
    }

    /// <summary>
    /// Claims the next attempt of a message (state <see cref="SmsSendState.Pending"/>): false when another host or thread
    /// claimed it first (the row appeared, or its attempt count moved since <paramref name="seen"/> was read), so two
    /// sends of one message never both reach the provider.
    /// </summary>
    public async Task<bool> BeginAttemptAsync(string messageId, string provider, string phoneNumber, string templateCode, SmsSendRecord? seen, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (seen is null)
        {
            db.Add(new SmsSendRecord
            {
                MessageId = messageId, Provider = provider, PhoneNumber = phoneNumber, TemplateCode = templateCode,
                State = SmsSendState.Pending, Attempts = 1, FirstAttemptAt = now, LastAttemptAt = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException)
            {
                if (await db.Set<SmsSendRecord>().AsNoTracking().AnyAsync(r => r.MessageId == messageId, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                throw;
            }
        }

        var attempts = seen.Attempts;
        var state = seen.State;
        var claimed = await db.Set<SmsSendRecord>()
            .Where(r => r.MessageId == messageId && r.Attempts == attempts && r.State == state && r.State != SmsSendState.Sent)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.State, SmsSendState.Pending)
                .SetProperty(r => r.Attempts, attempts + 1)
                .SetProperty(r => r.LastAttemptAt, now)
                .SetProperty(r => r.PhoneNumber, phoneNumber)
                .SetProperty(r => r.PhoneNumberKey, phoneNumber)
                .SetProperty(r => r.TemplateCode, templateCode), cancellationToken).ConfigureAwait(false);
        return claimed == 1;
    }

    public Task MarkSentAsync(string messageId, string? providerMessageId, CancellationToken cancellationToken = default)
        => UpdateAsync(messageId, r =>
        {
            r.State = SmsSendState.Sent;
            r.ProviderMessageId = providerMessageId;
            r.SentAt = time.GetUtcNow();
            r.LastErrorCode = null;
        }, cancellationToken);

    public Task MarkUncertainAsync(string messageId, string? errorCode, CancellationToken cancellationToken = default)
        => UpdateAsync(messageId, r =>
        {
            r.State = SmsSendState.Uncertain;
            r.LastErrorCode = errorCode;
        }, cancellationToken);

    public Task MarkRefusedAsync(string messageId, string? errorCode, CancellationToken cancellationToken = default)
        => UpdateAsync(messageId, r =>
        {
            r.State = SmsSendState.Refused;
            r.LastErrorCode = errorCode;
        }, cancellationToken);

    private async Task UpdateAsync(string messageId, Action<SmsSendRecord> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var record = await db.Set<SmsSendRecord>().FirstAsync(r => r.MessageId == messageId, cancellationToken).ConfigureAwait(false);
        change(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
