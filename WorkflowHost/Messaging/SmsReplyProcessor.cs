using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Messaging;

/// <summary>A reply as the provider pushed it.</summary>
public sealed record InboundSmsReply(string Provider, string ExternalId, string PhoneNumber, string Content, DateTimeOffset? SendTime, string? DestCode, string? SignName);

/// <summary>A delivery receipt as the provider pushed it.</summary>
public sealed record InboundSmsReceipt(string Provider, string BizId, string PhoneNumber, string? OutId, bool Success, string? ErrorCode, string? ErrorMessage, DateTimeOffset? SendTime, DateTimeOffset? ReportTime);

/// <summary>
/// Stores each pushed reply once (by provider and its id, <c>cw_sms_reply</c>) and matches it to the consumer's open
/// satisfaction survey: the complaints of that phone number closed within <c>Workflows:Sms:Replies:MatchWindow</c>
/// before the reply, newest first; the first whose survey still waits gets the answer through the same
/// <c>survey-answer</c> message the web survey sends (<see cref="SurveyAnswers.CorrelateAsync"/>). Unreadable,
/// unmatched and late replies stay in the table for staff. Receipts are stored once per biz id and number.
/// </summary>
public sealed partial class SmsReplyProcessor(IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, NotificationReceipts notifications, IOptions<SmsOptions> options, TimeProvider time, ILogger<SmsReplyProcessor> logger)
{
    /// <summary>Processes one reply; true when it was new (false: a duplicate push of one already processed).</summary>
    public async Task<bool> ProcessAsync(InboundSmsReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var now = time.GetUtcNow();
        var phone = ComplaintIntakeService.NormalizePhone(reply.PhoneNumber);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<SmsReply>().FirstOrDefaultAsync(r => r.Provider == reply.Provider && r.ExternalId == reply.ExternalId, cancellationToken).ConfigureAwait(false);
        if (row is not null && row.Status != SmsReplyStatus.Received)
        {
            LogDuplicate(logger, reply.Provider, reply.ExternalId);
            return false;
        }

        if (row is null)
        {
            row = new SmsReply
            {
                Provider = reply.Provider, ExternalId = reply.ExternalId, PhoneNumber = Cut(phone, 32), Content = Cut(reply.Content, 2000),
                SendTime = reply.SendTime, DestCode = CutOrNull(reply.DestCode, 32), SignName = CutOrNull(reply.SignName, 64), ReceivedAt = now, Status = SmsReplyStatus.Received,
            };
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                if (!await ReplyExistsAsync(reply, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }

                // Another host (or a concurrent push) stored it first: that one processes it.
                LogDuplicate(logger, reply.Provider, reply.ExternalId);
                return false;
            }
        }

        // A reply to a settlement proposal (1 accept, 2 reject) goes to the complaint whose proposal waits; else it is a survey answer.
        if (phone.Length > 0 && Odr.OdrDecisions.ParseReply(reply.Content) is { } accept
            && await Odr.OdrDecisions.PendingAsync(db, db.Set<Complaint>().Where(c => c.ConsumerPhoneKey == phone), cancellationToken).ConfigureAwait(false) is { } pending
            && await Odr.OdrDecisions.CorrelateAsync(engine, pending.Complaint.Id, accept, "sms", cancellationToken).ConfigureAwait(false))
        {
            row.Status = SmsReplyStatus.OdrDecided;
            row.ComplaintId = pending.Complaint.Id;
            row.ProcessedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            var maskedPhone = PersonalData.MaskPhone(phone);
            LogReply(logger, reply.Provider, maskedPhone, row.Status, row.ComplaintId, null);
            return true;
        }

        var reading = SurveyReply.Read(reply.Content, options.Value.Replies.MaxCommentLength);
        var at = reply.SendTime is { } sent && sent <= now ? sent : now;
        var since = at - options.Value.Replies.MatchWindow;
        var candidates = phone.Length == 0 ? [] : await db.Set<Complaint>().AsNoTracking()
            .Where(c => c.ConsumerPhoneKey == phone && c.ClosedAt != null && c.ClosedAt >= since && c.ClosedAt <= now)
            .OrderByDescending(c => c.ClosedAt).Select(c => c.Id).Take(10).ToListAsync(cancellationToken).ConfigureAwait(false);

        row.Score = reading?.Score;
        row.Comment = reading?.Comment;
        row.ComplaintId = candidates.FirstOrDefault();
        if (candidates.Count == 0)
        {
            row.Status = SmsReplyStatus.Unmatched;
        }
        else if (reading is null)
        {
            row.Status = SmsReplyStatus.Unreadable;
        }
        else
        {
            row.Status = SmsReplyStatus.SurveyClosed;
            foreach (var complaintId in candidates)
            {
                if (await AnswerSurveyAsync(complaintId, reading, cancellationToken).ConfigureAwait(false))
                {
                    row.Status = SmsReplyStatus.Answered;
                    row.ComplaintId = complaintId;
                    break;
                }
            }
        }

        row.ProcessedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var masked = PersonalData.MaskPhone(phone);
        LogReply(logger, reply.Provider, masked, row.Status, row.ComplaintId, row.Score);
        return true;
    }

    /// <summary>
    /// Stores a receipt once (true when it was new) and hands it to the notification records (<see cref="NotificationReceipts"/>:
    /// Delivered, or the desk's task when it did not reach the phone), which ignore a receipt they already had: so a
    /// push that failed halfway and comes again finishes what the first one began.
    /// </summary>
    public async Task<bool> StoreReceiptAsync(InboundSmsReceipt receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var isNew = await InsertReceiptAsync(receipt, cancellationToken).ConfigureAwait(false);
        await notifications.RecordAsync(receipt.OutId, receipt.BizId.StartsWith("out:", StringComparison.Ordinal) ? null : receipt.BizId, receipt.Success, receipt.ErrorCode, receipt.ErrorMessage, receipt.ReportTime, cancellationToken).ConfigureAwait(false);
        if (isNew)
        {
            LogReceipt(logger, receipt.Provider, receipt.OutId, receipt.Success, receipt.ErrorCode);
        }

        return isNew;
    }

    private async Task<bool> InsertReceiptAsync(InboundSmsReceipt receipt, CancellationToken cancellationToken)
    {
        var phone = Cut(ComplaintIntakeService.NormalizePhone(receipt.PhoneNumber), 32);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<SmsReceipt>().AnyAsync(r => r.Provider == receipt.Provider && r.BizId == receipt.BizId && r.PhoneNumberKey == phone, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Add(new SmsReceipt
        {
            Provider = receipt.Provider, BizId = Cut(receipt.BizId, 128), PhoneNumber = phone, OutId = CutOrNull(receipt.OutId, 128), Success = receipt.Success,
            ErrorCode = CutOrNull(receipt.ErrorCode, 128), ErrorMessage = CutOrNull(receipt.ErrorMessage, 512), SendTime = receipt.SendTime, ReportTime = receipt.ReportTime,
            ReceivedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            if (!await ReceiptExistsAsync(receipt.Provider, receipt.BizId, phone, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            return false;
        }

        return true;
    }

    /// <summary>The same path as the web survey's answer (<see cref="SurveyAnswers"/>): the overall score and the comment, channel <c>sms</c>.</summary>
    private Task<bool> AnswerSurveyAsync(string complaintId, SurveyReplyReading reading, CancellationToken cancellationToken)
        => SurveyAnswers.CorrelateAsync(engine, complaintId, new SurveyBody(null, null, null, null, null, reading.Score, reading.Comment), "sms", cancellationToken);

    private async Task<bool> ReplyExistsAsync(InboundSmsReply reply, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SmsReply>().AnyAsync(r => r.Provider == reply.Provider && r.ExternalId == reply.ExternalId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ReceiptExistsAsync(string provider, string bizId, string phone, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SmsReceipt>().AnyAsync(r => r.Provider == provider && r.BizId == bizId && r.PhoneNumberKey == phone, cancellationToken).ConfigureAwait(false);
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];

    private static string? CutOrNull(string? value, int length) => string.IsNullOrEmpty(value) ? null : Cut(value, length);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS reply {Provider}/{ExternalId} pushed again; already processed")]
    private static partial void LogDuplicate(ILogger logger, string provider, string externalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS reply from {Phone} via {Provider}: {Status}, complaint {ComplaintId}, score {Score}")]
    private static partial void LogReply(ILogger logger, string provider, string phone, SmsReplyStatus status, string? complaintId, int? score);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS receipt via {Provider} for {OutId}: delivered {Success} ({ErrorCode})")]
    private static partial void LogReceipt(ILogger logger, string provider, string? outId, bool success, string? errorCode);
}
