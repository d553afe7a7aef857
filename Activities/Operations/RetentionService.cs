using System.Text.Json;
using ComplaintWorkflows.Activities.Archive;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>What one retention run removed or anonymised, per record kind.</summary>
public sealed class RetentionCounts
{
    /// <summary>Archived complaints anonymised (their archive entries redacted).</summary>
    public int ArchivedComplaints { get; set; }

    public int Notifications { get; set; }

    public int SmsRecords { get; set; }

    /// <summary>Journal rows of ended process instances deleted.</summary>
    public int Journals { get; set; }

    public int Attachments { get; set; }

    /// <summary>Transactions the run took (each at most <see cref="RetentionOptions.BatchSize"/> rows).</summary>
    public int Batches { get; set; }
}

/// <summary>
/// The retention cleanup: per record kind, what is past its retention (<see cref="RetentionOptions"/>) is removed or
/// anonymised, <see cref="RetentionOptions.BatchSize"/> rows per transaction, and the run is recorded in
/// <c>cw_retention_run</c>. Every batch selects what is still due, so a run stopped halfway, or two runs at once,
/// leave nothing half-done and do nothing twice.
/// </summary>
public sealed class RetentionService(IDbContextFactory<DomainDbContext> contexts, ConsumerDataService consumers, IOptions<RetentionOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions CountsJson = new(JsonSerializerDefaults.Web);

    private static readonly NotificationStatus[] Waiting = [NotificationStatus.Pending, NotificationStatus.NoProvider, NotificationStatus.Sending];

    public async Task<(RetentionRun Run, RetentionCounts Counts)> RunAsync(string triggeredBy, string? node, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var run = new RetentionRun { StartedAt = now, TriggeredBy = triggeredBy, Node = node };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Add(run);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var counts = new RetentionCounts();
        try
        {
            if (settings.ArchivedComplaintYears > 0)
            {
                await ArchivedComplaintsAsync(now.AddYears(-settings.ArchivedComplaintYears), settings.BatchSize, counts, cancellationToken).ConfigureAwait(false);
            }

            if (settings.AttachmentDays > 0)
            {
                var cutoff = now.AddDays(-settings.AttachmentDays);
                counts.Attachments += await InBatchesAsync(counts, settings.BatchSize, async db =>
                {
                    var closed = db.Set<Complaint>().Where(c => c.ClosedAt != null && c.ClosedAt < cutoff).Select(c => c.Id);
                    var batch = await db.Set<ComplaintAttachment>().Where(a => closed.Contains(a.ComplaintId)).Select(a => a.Id).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                    return batch.Count == 0 ? 0 : await db.Set<ComplaintAttachment>().Where(a => batch.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }

            if (settings.NotificationDays > 0)
            {
                var cutoff = now.AddDays(-settings.NotificationDays);
                counts.Notifications += await InBatchesAsync(counts, settings.BatchSize, async db =>
                {
                    var batch = await db.Set<Notification>().Where(n => n.CreatedAt < cutoff && !Waiting.Contains(n.Status)).Select(n => n.Id).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                    return batch.Count == 0 ? 0 : await db.Set<Notification>().Where(n => batch.Contains(n.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }

            if (settings.SmsRecordDays > 0)
            {
                var cutoff = now.AddDays(-settings.SmsRecordDays);
                counts.SmsRecords += await InBatchesAsync(counts, settings.BatchSize, async db =>
                {
                    var batch = await db.Set<SmsSendRecord>().Where(s => s.LastAttemptAt < cutoff && s.State != SmsSendState.Pending).Select(s => s.MessageId).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                    return batch.Count == 0 ? 0 : await db.Set<SmsSendRecord>().Where(s => batch.Contains(s.MessageId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                counts.SmsRecords += await InBatchesAsync(counts, settings.BatchSize, async db =>
                {
                    var batch = await db.Set<SmsReceipt>().Where(s => s.ReceivedAt < cutoff).Select(s => s.Id).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                    return batch.Count == 0 ? 0 : await db.Set<SmsReceipt>().Where(s => batch.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                counts.SmsRecords += await InBatchesAsync(counts, settings.BatchSize, async db =>
                {
                    var batch = await db.Set<SmsReply>().Where(s => s.ReceivedAt < cutoff && s.Status != SmsReplyStatus.Received).Select(s => s.Id).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
                    return batch.Count == 0 ? 0 : await db.Set<SmsReply>().Where(s => batch.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }

            if (settings.EndedInstanceJournalDays > 0)
            {
                var cutoff = now.AddDays(-settings.EndedInstanceJournalDays).ToUnixTimeMilliseconds();
                counts.Journals += await InBatchesAsync(counts, settings.BatchSize, db => db.Database.ExecuteSqlAsync(
                    $"DELETE FROM \"wf_journal\" WHERE \"InstanceId\" IN (SELECT \"Id\" FROM \"wf_instance\" WHERE \"EndedAt\" IS NOT NULL AND \"EndedAt\" < {cutoff} AND \"Id\" IN (SELECT \"InstanceId\" FROM \"wf_journal\") LIMIT {settings.BatchSize})",
                    cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            await FinishAsync(run, counts, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await FinishAsync(run, counts, cancellationToken).ConfigureAwait(false);
        return (run, counts);
    }

    /// <summary>The runs, latest first.</summary>
    public async Task<IReadOnlyList<RetentionRun>> RunsAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<RetentionRun>().AsNoTracking().OrderByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ArchivedComplaintsAsync(DateTimeOffset cutoff, int batchSize, RetentionCounts counts, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<string> batch;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                batch = await db.Set<ArchiveEntry>().AsNoTracking().Where(a => a.RedactedAt == null && a.ArchivedAt < cutoff)
                    .OrderBy(a => a.Sequence).Select(a => a.ComplaintId).Take(batchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            if (batch.Count == 0)
            {
                return;
            }

            var done = await consumers.AnonymiseAsync(batch, "retention", cancellationToken).ConfigureAwait(false);
            counts.ArchivedComplaints += done.ArchiveEntriesRedacted;
            counts.Attachments += done.Attachments;
            counts.Notifications += done.Notifications;
            counts.Journals += done.Journals;
            counts.Batches++;
            if (batch.Count < batchSize)
            {
                return;
            }
        }
    }

    /// <summary>Runs one batch after another until a batch finds less than a full batch.</summary>
    private async Task<int> InBatchesAsync(RetentionCounts counts, int batchSize, Func<DomainDbContext, Task<int>> batch, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            int done;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                done = await batch(db).ConfigureAwait(false);
            }

            if (done == 0)
            {
                return total;
            }

            counts.Batches++;
            total += done;
            if (done < batchSize)
            {
                return total;
            }
        }
    }

    private async Task FinishAsync(RetentionRun run, RetentionCounts counts, CancellationToken cancellationToken)
    {
        run.FinishedAt = time.GetUtcNow();
        run.Counts = JsonSerializer.Serialize(counts, CountsJson);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Attach(run);
        db.Entry(run).Property(r => r.FinishedAt).IsModified = true;
        db.Entry(run).Property(r => r.Counts).IsModified = true;
        db.Entry(run).Property(r => r.Error).IsModified = true;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
