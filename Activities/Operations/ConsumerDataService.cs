using ComplaintWorkflows.Activities.Archive;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.Activities.Surveys;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>An attachment's description in an export (the file itself is not in the JSON).</summary>
public sealed record ExportedAttachment(string Id, string ComplaintId, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, bool FromConsumer);

/// <summary>Everything stored about one phone number, in clear, for the consumer who asked for it.</summary>
public sealed record ConsumerExport(
    string Phone,
    DateTimeOffset ExportedAt,
    IReadOnlyList<Complaint> Complaints,
    IReadOnlyList<ComplaintEvent> Timeline,
    IReadOnlyList<ClosureRecord> ClosureRecords,
    IReadOnlyList<Notification> Notifications,
    IReadOnlyList<SmsSendRecord> SmsSent,
    IReadOnlyList<SmsReceipt> SmsReceipts,
    IReadOnlyList<SmsReply> SmsReplies,
    IReadOnlyList<SurveyInvitation> SurveyInvitations,
    IReadOnlyList<SurveyAnswer> SurveyAnswers,
    IReadOnlyList<ExportedAttachment> Attachments);

/// <summary>What an erasure or a retention batch changed, per record kind.</summary>
public sealed class ErasureCounts
{
    public int Complaints { get; set; }

    public int TimelineEntries { get; set; }

    public int Notifications { get; set; }

    public int Attachments { get; set; }

    public int SmsRecords { get; set; }

    public int SurveyAnswers { get; set; }

    public int ArchiveEntriesRedacted { get; set; }

    public int Journals { get; set; }
}

/// <summary>The consumer's complaints that still run, so their data cannot be erased yet.</summary>
public sealed class ComplaintsStillOpenException(IReadOnlyList<string> complaintIds)
    : InvalidOperationException($"仍在办理的投诉不能删除个人信息，请先办结：{string.Join(", ", complaintIds)} (these complaints are still being handled; close them first)")
{
    public IReadOnlyList<string> ComplaintIds { get; } = complaintIds;
}

/// <summary>
/// A consumer's data by phone number (found through the HMAC lookup columns, never by decrypting): exported as one
/// JSON document, or erased: their complaints anonymised, the texts sent to them, their SMS records and files removed,
/// their archive entries redacted (the chain's hashes stay). The retention cleanup anonymises expired complaints the
/// same way (<see cref="AnonymiseAsync"/>).
/// </summary>
public sealed class ConsumerDataService(IDbContextFactory<DomainDbContext> contexts, TimeProvider time)
{
    /// <summary>The name an anonymised complaint shows.</summary>
    public const string ErasedName = "（已删除）";

    private static readonly ComplaintStatus[] Final = [ComplaintStatus.Refused, ComplaintStatus.Closed, ComplaintStatus.Terminated, ComplaintStatus.Surveyed, ComplaintStatus.Archived];

    public async Task<ConsumerExport> ExportAsync(string phone, CancellationToken cancellationToken = default)
    {
        var number = ComplaintIntakeService.NormalizePhone(phone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.ConsumerPhoneKey == number).OrderBy(c => c.ReceivedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = complaints.Select(c => c.Id).ToList();
        return new ConsumerExport(
            number,
            time.GetUtcNow(),
            complaints,
            await db.Set<ComplaintEvent>().AsNoTracking().Where(e => ids.Contains(e.ComplaintId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<ClosureRecord>().AsNoTracking().Where(r => ids.Contains(r.ComplaintId)).OrderBy(r => r.RecordedAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<Notification>().AsNoTracking().Where(n => n.ComplaintId != null && ids.Contains(n.ComplaintId)).OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<SmsSendRecord>().AsNoTracking().Where(s => s.PhoneNumberKey == number).OrderBy(s => s.FirstAttemptAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<SmsReceipt>().AsNoTracking().Where(s => s.PhoneNumberKey == number).OrderBy(s => s.ReceivedAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<SmsReply>().AsNoTracking().Where(s => s.PhoneNumberKey == number).OrderBy(s => s.ReceivedAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<SurveyInvitation>().AsNoTracking().Where(s => s.PhoneKey == number || ids.Contains(s.ComplaintId)).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<SurveyAnswer>().AsNoTracking().Where(s => ids.Contains(s.ComplaintId)).OrderBy(s => s.AnsweredAt).ToListAsync(cancellationToken).ConfigureAwait(false),
            await db.Set<ComplaintAttachment>().AsNoTracking().Where(a => ids.Contains(a.ComplaintId)).OrderBy(a => a.UploadedAt)
                .Select(a => new ExportedAttachment(a.Id, a.ComplaintId, a.FileName, a.ContentType, a.Size, a.Sha256, a.UploadedAt, a.FromConsumer)).ToListAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Erases everything about the phone number; refuses while one of its complaints is still being handled.</summary>
    /// <exception cref="ComplaintsStillOpenException">A complaint of the number has not ended.</exception>
    public async Task<ErasureCounts> EraseAsync(string phone, CancellationToken cancellationToken = default)
    {
        var number = ComplaintIntakeService.NormalizePhone(phone);
        List<string> ids;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.ConsumerPhoneKey == number)
                .Select(c => new { c.Id, c.Status, c.ProcessInstanceId }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var open = new List<string>();
            foreach (var complaint in complaints)
            {
                if (complaint.ProcessInstanceId is { } instance ? await RunningAsync(db, instance, cancellationToken).ConfigureAwait(false) : !Final.Contains(complaint.Status))
                {
                    open.Add(complaint.Id);
                }
            }

            if (open.Count > 0)
            {
                throw new ComplaintsStillOpenException(open);
            }

            ids = [.. complaints.Select(c => c.Id)];
        }

        var counts = await AnonymiseAsync(ids, "erasure", cancellationToken).ConfigureAwait(false);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.SmsRecords += await db.Set<SmsSendRecord>().Where(s => s.PhoneNumberKey == number).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            counts.SmsRecords += await db.Set<SmsReceipt>().Where(s => s.PhoneNumberKey == number).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            counts.SmsRecords += await db.Set<SmsReply>().Where(s => s.PhoneNumberKey == number).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            var invitations = await db.Set<SurveyInvitation>().Where(s => s.PhoneKey == number).ToListAsync(cancellationToken).ConfigureAwait(false);
            invitations.ForEach(s => s.Phone = null);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return counts;
    }

    /// <summary>
    /// Anonymises complaints in one transaction: the consumer's name, number, address, e-mail and the texts are replaced,
    /// the timeline's texts, notifications, files and survey comments dropped, the process journals deleted and the
    /// archive entries redacted (their hashes kept, so the chain still verifies).
    /// </summary>
    public async Task<ErasureCounts> AnonymiseAsync(IReadOnlyCollection<string> complaintIds, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(complaintIds);
        var counts = new ErasureCounts();
        if (complaintIds.Count == 0)
        {
            return counts;
        }

        var ids = complaintIds.ToList();
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var complaints = await db.Set<Complaint>().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var consumerAccounts = complaints.Select(c => c.ConsumerUserId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var complaint in complaints)
        {
            complaint.ConsumerName = ErasedName;
            complaint.ConsumerPhone = $"erased:{complaint.Id}";
            complaint.ConsumerAddress = null;
            complaint.ConsumerEmail = null;
            complaint.ConsumerUserId = null;
            complaint.Facts = ErasedName;
            complaint.Request = ErasedName;
            complaint.DeskNote = null;
            complaint.IdempotencyKey = null;
            complaint.ContentFingerprint = null;
        }

        counts.Complaints = complaints.Count;
        var events = await db.Set<ComplaintEvent>().Where(e => ids.Contains(e.ComplaintId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            e.Text = ErasedName;

            // The consumer's own entries name their account (whose user name may be their number).
            if (e.Actor.StartsWith("consumer", StringComparison.Ordinal) || consumerAccounts.Any(a => e.Actor.Contains(a, StringComparison.Ordinal)))
            {
                e.Actor = "consumer";
            }
        }

        counts.TimelineEntries = events.Count;
        var records = await db.Set<ClosureRecord>().Where(r => ids.Contains(r.ComplaintId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            record.BasicFacts = ErasedName;
            record.DisputePoints = ErasedName;
            record.MediationProcess = ErasedName;
            record.Result = ErasedName;
        }

        var answers = await db.Set<SurveyAnswer>().Where(s => ids.Contains(s.ComplaintId) && s.Comment != null).ToListAsync(cancellationToken).ConfigureAwait(false);
        answers.ForEach(s => s.Comment = null);
        counts.SurveyAnswers = answers.Count;
        var invitations = await db.Set<SurveyInvitation>().Where(s => ids.Contains(s.ComplaintId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        invitations.ForEach(s => s.Phone = null);
        var archived = await db.Set<ArchiveEntry>().Where(a => ids.Contains(a.ComplaintId) && a.RedactedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in archived)
        {
            entry.Content = ArchiveService.RedactedContent(entry.ComplaintId, reason);
            entry.RedactedAt = now;
        }

        counts.ArchiveEntriesRedacted = archived.Count;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        counts.Notifications = await db.Set<Notification>().Where(n => n.ComplaintId != null && ids.Contains(n.ComplaintId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        counts.Attachments = await db.Set<ComplaintAttachment>().Where(a => ids.Contains(a.ComplaintId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        foreach (var instance in complaints.Select(c => c.ProcessInstanceId).OfType<string>())
        {
            counts.Journals += await db.Database.ExecuteSqlAsync($"DELETE FROM \"wf_journal\" WHERE \"InstanceId\" = {instance}", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    private static async Task<bool> RunningAsync(DomainDbContext db, string instanceId, CancellationToken cancellationToken)
        => await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"wf_instance\" WHERE \"Id\" = {instanceId} AND \"EndedAt\" IS NULL").SingleAsync(cancellationToken).ConfigureAwait(false) > 0;
}
