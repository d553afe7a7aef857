using System.Text.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>Why a notification needs a person.</summary>
public enum NotificationFailureKind
{
    /// <summary>The phone number or address is wrong: the desk corrects it.</summary>
    InvalidRecipient,

    /// <summary>Balance, suspension, quota, credentials: administrators.</summary>
    AccountProblem,

    /// <summary>Template, signature or content refused: administrators.</summary>
    Rejected,

    /// <summary>Passing failures went on until the attempts were used up: administrators.</summary>
    AttemptsExhausted,

    /// <summary>An email's sending host died between the SMTP send and recording it: it may have gone out; administrators decide.</summary>
    SendUncertain,
}

/// <summary>Raises the task or alert for a failed notification; returns the id of what it raised (a process instance).</summary>
public interface INotificationFailureHandler
{
    Task<string?> RaiseAsync(Notification notification, NotificationFailureKind kind, CancellationToken cancellationToken = default);
}

/// <summary>
/// Delivers due notifications: takes a batch with a lease (lock owner and expiry; <c>FOR UPDATE SKIP LOCKED</c> on
/// PostgreSQL, so hosts sharing the database never take the same row), sends each through <see cref="ISmsSender"/> or
/// <see cref="IEmailSender"/> with its message id as OutId / Message-ID, and records the outcome: sent; retried later
/// with a growing delay (bounded attempts); a task for staff for an invalid number; an alert for account or content
/// problems. A sent notification is never sent again.
/// Email has no provider to ask whether an earlier attempt went out (SMS does: <c>LedgerSmsSender</c>), so the email
/// attempt is recorded first, in a transaction of its own (status <see cref="NotificationStatus.Sending"/>): a host that
/// dies after the SMTP send and before recording it leaves the row <c>Sending</c>, and once its lease has expired the next
/// dispatcher marks it <see cref="NotificationStatus.Uncertain"/> and raises an alert instead of sending it again
/// (at most once: a consumer never gets the same mail twice).
/// </summary>
public sealed partial class NotificationDispatcher(
    IDbContextFactory<DomainDbContext> contexts,
    ISmsSender sms,
    IEmailSender email,
    INotificationFailureHandler failures,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDispatcher> logger,
    DomainMetrics? metrics = null)
{
    private readonly string _host = HostId();

    /// <summary>Delivers what is due now (batch after batch); returns how many notifications were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        await SweepUncertainAsync(cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var notification in batch)
            {
                await DeliverAsync(notification, cancellationToken).ConfigureAwait(false);
                total++;
            }
        }

        return total;
    }

    /// <summary>Emails left <see cref="NotificationStatus.Sending"/> by a host whose lease has expired: uncertain, an alert each, never resent by themselves.</summary>
    private async Task SweepUncertainAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Notification> stale;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            stale = await db.Set<Notification>().AsNoTracking().Where(n => n.Status == NotificationStatus.Sending && n.LockExpiresAt < now)
                .Take(options.Value.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var n in stale)
        {
            const string code = "send-uncertain";
            const string message = "发送邮件的主机在交给邮件服务器后、记录结果前中断，邮件可能已送达，系统不会自动重发；请确认后重新发送或放弃 (the host sending this email stopped after handing it to the SMTP server and before recording the outcome: it may have arrived, so it is not sent again by itself).";
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

            // The lock owner stays: the sending host, if it was only paused, still records Sent when it comes back.
            var claimed = await db.Set<Notification>().Where(x => x.Id == n.Id && x.Status == NotificationStatus.Sending && x.LockExpiresAt < now)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(x => x.Status, NotificationStatus.Uncertain)
                    .SetProperty(x => x.ErrorCode, code)
                    .SetProperty(x => x.ErrorMessage, message)
                    .SetProperty(x => x.UpdatedAt, now), CancellationToken.None).ConfigureAwait(false);
            if (claimed == 0)
            {
                continue; // another host marked it, or its sender recorded the outcome meanwhile
            }

            n.Status = NotificationStatus.Uncertain;
            n.ErrorCode = code;
            n.ErrorMessage = message;
            metrics?.EmailUncertain();
            LogUncertain(logger, n.Id, PersonalDataMask.Contact(n.Recipient));
            try
            {
                if (await failures.RaiseAsync(n, NotificationFailureKind.SendUncertain, cancellationToken).ConfigureAwait(false) is { } raised)
                {
                    await db.Set<Notification>().Where(x => x.Id == n.Id && x.FailureInstanceId == null)
                        .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailureInstanceId, raised), CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRaiseFailed(logger, n.Id, e);
            }
        }
    }

    private async Task<List<Notification>> AcquireAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var owner = _host + ":" + Guid.NewGuid().ToString("N")[..8];
        var until = (now + o.LockDuration).ToUnixTimeMilliseconds();
        var at = now.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var skipLocked = db.Database.IsNpgsql() ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE cw_notification SET "LockOwner" = {0}, "LockExpiresAt" = {1}
            WHERE "Id" IN (
                SELECT n."Id" FROM cw_notification n
                WHERE n."Status" IN ('Pending', 'NoProvider') AND n."NextAttemptAt" <= {2}
                  AND (n."LockExpiresAt" IS NULL OR n."LockExpiresAt" < {2})
                ORDER BY n."NextAttemptAt" LIMIT {3}{{skipLocked}})
            RETURNING "Id" AS "Value"
            """;
        // RETURNING (SQLite 3.35+, PostgreSQL) names the rows just leased, which are then read by key: looking them up by
        // lock owner would scan the whole table, which only grows.
        var ids = await db.Database.SqlQueryRaw<long>(sql, [owner, until, at, o.BatchSize])
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return [];
        }

        return await db.Set<Notification>().AsNoTracking().Where(n => ids.Contains(n.Id) && n.LockOwner == owner).OrderBy(n => n.NextAttemptAt).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Notification n, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var noProvider = n.Channel == MessageChannel.Sms ? sms is UnconfiguredSmsSender : email is UnconfiguredEmailSender;
        if (noProvider)
        {
            await FinishAsync(n, NotificationStatus.NoProvider, u => u
                .SetProperty(x => x.NextAttemptAt, time.GetUtcNow() + o.NoProviderRetryInterval)
                .SetProperty(x => x.ErrorCode, NotificationProviders.ErrorCode(n.Channel))
                .SetProperty(x => x.ErrorMessage, NotificationProviders.ErrorMessage(n.Channel)),
                cancellationToken).ConfigureAwait(false);
            return;
        }

        // The attempt is counted before the send, so a host that dies mid-send leaves it counted; an email's attempt
        // also marks it Sending (committed before the SMTP send): a host dying before it records the outcome leaves it
        // Sending, and it becomes Uncertain (SweepUncertainAsync) instead of being sent a second time.
        var sending = n.Channel == MessageChannel.Email ? NotificationStatus.Sending : n.Status;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var counted = await db.Set<Notification>().Where(x => x.Id == n.Id && x.LockOwner == n.LockOwner && (x.Status == NotificationStatus.Pending || x.Status == NotificationStatus.NoProvider))
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.Status, sending), cancellationToken).ConfigureAwait(false);
            if (counted == 0)
            {
                return; // the lease was lost (expired and taken by another host) or it was sent meanwhile
            }
        }

        n.Attempts++;
        var result = n.Channel == MessageChannel.Sms ? await SendSmsAsync(n, cancellationToken).ConfigureAwait(false) : await SendEmailAsync(n, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        switch (result.Kind)
        {
            case SmsSendOutcome.Sent:
                await FinishAsync(n, NotificationStatus.Sent, u => u
                    .SetProperty(x => x.SentAt, now)
                    .SetProperty(x => x.ProviderMessageId, result.ProviderMessageId)
                    .SetProperty(x => x.Provider, result.Provider)
                    .SetProperty(x => x.ErrorCode, (string?)null)
                    .SetProperty(x => x.ErrorMessage, (string?)null), cancellationToken).ConfigureAwait(false);
                var sentTo = PersonalDataMask.Contact(n.Recipient);
                LogSent(logger, n.Id, n.Channel, sentTo, n.Attempts);
                break;
            case SmsSendOutcome.RetryLater when n.Attempts < o.MaxAttempts:
                var delay = Backoff(n.Attempts, o);
                if (result.RetryAfter is { } after && after > delay)
                {
                    delay = after;
                }

                await FinishAsync(n, NotificationStatus.Pending, u => u
                    .SetProperty(x => x.NextAttemptAt, now + delay)
                    .SetProperty(x => x.ErrorCode, Cut(result.ErrorCode, 100))
                    .SetProperty(x => x.ErrorMessage, Cut(result.ErrorMessage, 2000)), cancellationToken).ConfigureAwait(false);
                LogRetry(logger, n.Id, result.ErrorCode, delay);
                break;
            default:
                var kind = result.Kind switch
                {
                    SmsSendOutcome.InvalidNumber => NotificationFailureKind.InvalidRecipient,
                    SmsSendOutcome.AccountProblem => NotificationFailureKind.AccountProblem,
                    SmsSendOutcome.Rejected => NotificationFailureKind.Rejected,
                    _ => NotificationFailureKind.AttemptsExhausted,
                };
                await FailAsync(n, kind, result, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task FailAsync(Notification n, NotificationFailureKind kind, Outcome result, CancellationToken cancellationToken)
    {
        n.ErrorCode = Cut(result.ErrorCode, 100);
        n.ErrorMessage = Cut(result.ErrorMessage, 2000);
        string? raised = null;
        try
        {
            raised = n.FailureInstanceId ?? await failures.RaiseAsync(n, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRaiseFailed(logger, n.Id, e);
        }

        var status = kind == NotificationFailureKind.InvalidRecipient ? NotificationStatus.InvalidRecipient : NotificationStatus.Failed;
        await FinishAsync(n, status, u => u
            .SetProperty(x => x.ErrorCode, n.ErrorCode)
            .SetProperty(x => x.ErrorMessage, n.ErrorMessage)
            .SetProperty(x => x.FailureInstanceId, raised), cancellationToken).ConfigureAwait(false);
        if (kind == NotificationFailureKind.InvalidRecipient)
        {
            var invalid = PersonalDataMask.Contact(n.Recipient);
            LogInvalidRecipient(logger, n.Id, n.Channel, invalid, n.ErrorCode);
        }
        else
        {
            LogAlert(logger, n.Id, n.Channel, kind, n.ErrorCode, n.ErrorMessage);
        }
    }

    /// <summary>Records the outcome and gives the lease back, only while the lease is still this host's.</summary>
    private async Task FinishAsync(Notification n, NotificationStatus status, Func<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Notification>, Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Notification>> more, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var owner = n.LockOwner;

        // Recording must not be cut short by shutdown: a sent message left unrecorded would be sent again.
        var updated = await db.Set<Notification>().Where(x => x.Id == n.Id && x.LockOwner == owner).ExecuteUpdateAsync(u => more(u
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.LockOwner, (string?)null)
                .SetProperty(x => x.LockExpiresAt, (DateTimeOffset?)null)), CancellationToken.None).ConfigureAwait(false);
        if (updated == 0)
        {
            LogLeaseLost(logger, n.Id);
        }
    }

    private async Task<Outcome> SendSmsAsync(Notification n, CancellationToken cancellationToken)
    {
        if (!ComplaintIntakeService.IsMobile(n.Recipient))
        {
            return new Outcome(SmsSendOutcome.InvalidNumber, null, null, "not-mobile", "号码不是可接收短信的手机号 (the number is not a mobile number that can receive SMS).", null);
        }

        var provider = (sms as INamedSmsSender)?.Provider ?? options.Value.SmsProvider ?? "default";
        var codes = n.SmsTemplateCodes is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];
        if (!codes.TryGetValue(provider, out var code))
        {
            return new Outcome(SmsSendOutcome.Rejected, null, provider, "template-code-missing",
                $"模板“{n.Template}”没有服务商“{provider}”的短信模板编码，请管理员在通知模板中填写 (template '{n.Template}' has no SMS template code for provider '{provider}').", null);
        }

        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(n.Values) ?? [];
        try
        {
            var result = await sms.SendAsync(new OutgoingSms(n.MessageId, n.Recipient, code, parameters), cancellationToken).ConfigureAwait(false);
            if (result.Outcome != SmsSendOutcome.Sent)
            {
                metrics?.SmsError(provider, result.ErrorCode ?? result.Outcome.ToString());
            }

            return new Outcome(result.Outcome, result.ProviderMessageId, provider, result.ErrorCode, result.ErrorMessage, result.RetryAfter);
        }
        catch (Sms.SmsSigningException e)
        {
            // The provider refused our keys or signature: retrying will not help; administrators must fix the settings.
            metrics?.SmsError(provider, e.ErrorCode ?? "signature");
            return new Outcome(SmsSendOutcome.AccountProblem, null, provider, e.ErrorCode ?? "signature", e.Message, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics?.SmsError(provider, e.GetType().Name);
            return new Outcome(SmsSendOutcome.RetryLater, null, provider, e.GetType().Name, e.Message, null);
        }
    }

    private async Task<Outcome> SendEmailAsync(Notification n, CancellationToken cancellationToken)
    {
        try
        {
            await email.SendAsync(new OutgoingEmail(n.MessageId, n.Recipient, n.Subject ?? "", n.HtmlBody ?? "", n.Text), cancellationToken).ConfigureAwait(false);
            return new Outcome(SmsSendOutcome.Sent, null, "smtp", null, null, null);
        }
        catch (EmailDeliveryException e)
        {
            return new Outcome(e.Outcome, null, "smtp", e.ErrorCode ?? "smtp", e.Message, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new Outcome(SmsSendOutcome.RetryLater, null, "smtp", e.GetType().Name, e.Message, null);
        }
    }

    /// <summary>The delay after the n-th failed attempt: the base delay doubled each time, capped.</summary>
    public static TimeSpan Backoff(int attempts, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryBaseDelay.Ticks * factor, options.RetryMaxDelay.Ticks));
        return delay < options.RetryBaseDelay ? options.RetryBaseDelay : delay;
    }

    private static string HostId()
    {
        var id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return id.Length > 110 ? id[^110..] : id;
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private sealed record Outcome(SmsSendOutcome Kind, string? ProviderMessageId, string? Provider, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} sent by {Channel} to {Recipient} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, long id, MessageChannel channel, string recipient, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} not sent ({ErrorCode}); next attempt in {Delay}")]
    private static partial void LogRetry(ILogger logger, long id, string? errorCode, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id}: invalid recipient {Recipient} for {Channel} ({ErrorCode}); a task for staff was raised")]
    private static partial void LogInvalidRecipient(ILogger logger, long id, MessageChannel channel, string recipient, string? errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Id} by {Channel} failed for good ({Kind}, {ErrorCode}: {ErrorMessage}); an alert for administrators was raised")]
    private static partial void LogAlert(ILogger logger, long id, MessageChannel channel, NotificationFailureKind kind, string? errorCode, string? errorMessage);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Id}: raising the staff task or alert failed")]
    private static partial void LogRaiseFailed(ILogger logger, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Id}: the email to {Recipient} may have been sent (its host stopped between the SMTP send and recording it); not sent again, an alert for administrators was raised")]
    private static partial void LogUncertain(ILogger logger, long id, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id}: the lease expired before the outcome was recorded (another host has it now)")]
    private static partial void LogLeaseLost(ILogger logger, long id);
}

/// <summary>Masks contacts for logs: 138****5678, z***@example.com.</summary>
public static class PersonalDataMask
{
    public static string Contact(string? contact)
    {
        if (string.IsNullOrEmpty(contact))
        {
            return "";
        }

        var at = contact.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return contact[..1] + "***" + contact[at..];
        }

        return contact.Length >= 7 ? contact[..3] + new string('*', contact.Length - 7) + contact[^4..] : new string('*', contact.Length);
    }
}
