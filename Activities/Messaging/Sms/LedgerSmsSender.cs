using ComplaintWorkflows.Activities.Complaints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>The provider refused our signature or keys (wrong secret, clock off, nonce reused): a configuration problem for an administrator.</summary>
public sealed class SmsSigningException : Exception
{
    public SmsSigningException()
    {
    }

    public SmsSigningException(string message)
        : base(message)
    {
    }

    public SmsSigningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? ErrorCode { get; init; }
}

/// <summary>What one provider call came to.</summary>
public sealed record SmsProviderAnswer(SmsSendResult Result, bool SigningError = false);

/// <summary>
/// The part both providers share: a message id already sent is answered <see cref="SmsSendOutcome.Sent"/> without a
/// call; one whose earlier attempt had no definite answer is first looked up at the provider; the per-number limit is
/// counted in the database before sending; a signing error throws <see cref="SmsSigningException"/>.
/// </summary>
public abstract partial class LedgerSmsSender(SmsSendLedger ledger, IOptions<SmsOptions> options, TimeProvider time, ILogger logger) : INamedSmsSender
{
    protected abstract string ProviderName { get; }

    /// <summary>The provider's key in the notification templates' SMS template codes: <c>aliyun</c>, <c>tencent</c>.</summary>
    public string Provider => ProviderName.ToLowerInvariant();

    protected SmsOptions Options => options.Value;

    protected TimeProvider Time => time;

    protected SmsSendLedger Ledger => ledger;

    /// <summary>The provider's template code for a notification template name (or the code itself).</summary>
    protected abstract string ResolveTemplate(string templateCode);

    protected abstract Task<SmsProviderAnswer> SendToProviderAsync(OutgoingSms message, string phoneNumber, string templateCode, CancellationToken cancellationToken);

    /// <summary>The provider's id of the message if an earlier, unanswered attempt did reach it; null if not (or unknown).</summary>
    protected virtual Task<string?> FindSentAsync(OutgoingSms message, string phoneNumber, SmsSendRecord record, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.MessageId) || message.MessageId.Length > 128)
        {
            throw new ArgumentException("OutgoingSms.MessageId must be 1 to 128 characters: it is the message's identity (OutId).", nameof(message));
        }

        var phone = ComplaintIntakeService.NormalizePhone(message.PhoneNumber ?? "");
        if (phone.Length is < 5 or > 20)
        {
            return new SmsSendResult(SmsSendOutcome.InvalidNumber, ErrorCode: "invalid-number", ErrorMessage: "手机号码为空或格式不正确 (the phone number is empty or malformed).");
        }

        var template = ResolveTemplate(message.TemplateCode);
        var record = await ledger.FindAsync(message.MessageId, cancellationToken).ConfigureAwait(false);
        if (record is { State: SmsSendState.Sent })
        {
            LogAlreadySent(logger, message.MessageId, ProviderName);
            return new SmsSendResult(SmsSendOutcome.Sent, record.ProviderMessageId);
        }

        var now = time.GetUtcNow();
        var inFlightFor = Options.RequestTimeout * 2;
        if (record is { State: SmsSendState.Pending } && record.LastAttemptAt + inFlightFor > now)
        {
            // Another worker is sending this very message now: it must not go out twice.
            LogInProgress(logger, message.MessageId);
            return new SmsSendResult(SmsSendOutcome.RetryLater, ErrorCode: "send-in-progress", ErrorMessage: "该短信正在由另一进程发送 (this message is being sent by another worker).", RetryAfter: Options.Limits.TransientRetryAfter);
        }

        if (record is { State: SmsSendState.Uncertain or SmsSendState.Pending })
        {
            // The last attempt got no answer (or its worker died while sending): it may have gone out. Ask before sending again.
            try
            {
                if (await FindSentAsync(message, phone, record, cancellationToken).ConfigureAwait(false) is { } providerId)
                {
                    await ledger.MarkSentAsync(message.MessageId, providerId, cancellationToken).ConfigureAwait(false);
                    LogFoundSent(logger, message.MessageId, ProviderName);
                    return new SmsSendResult(SmsSendOutcome.Sent, providerId);
                }
            }
            catch (SmsProviderUnavailableException e)
            {
                LogUnavailable(logger, message.MessageId, ProviderName, e.Message);
                return new SmsSendResult(SmsSendOutcome.RetryLater, ErrorCode: "provider-unavailable", ErrorMessage: e.Message, RetryAfter: Options.Limits.TransientRetryAfter);
            }
        }

        var limits = Options.Limits;
        var (count, oldest) = await ledger.SentSinceAsync(phone, template, now - limits.PerNumberWindow, cancellationToken).ConfigureAwait(false);
        if (count >= limits.PerNumberLimit)
        {
            var wait = (oldest!.Value + limits.PerNumberWindow) - now;
            LogLocalLimit(logger, message.MessageId, count, limits.PerNumberWindow);
            return new SmsSendResult(SmsSendOutcome.RetryLater, ErrorCode: "per-number-limit",
                ErrorMessage: $"该号码在 {limits.PerNumberWindow} 内已收到 {count} 条此模板短信 ({count} messages of this template to this number within {limits.PerNumberWindow}; {SmsOptions.Section}:Limits:PerNumberLimit is {limits.PerNumberLimit}).",
                RetryAfter: wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
        }

        if (!await ledger.BeginAttemptAsync(message.MessageId, ProviderName, phone, template, record, cancellationToken).ConfigureAwait(false))
        {
            // Another worker claimed this attempt first: it must not go out twice.
            LogInProgress(logger, message.MessageId);
            return new SmsSendResult(SmsSendOutcome.RetryLater, ErrorCode: "send-in-progress", ErrorMessage: "该短信正在由另一进程发送 (this message is being sent by another worker).", RetryAfter: limits.TransientRetryAfter);
        }

        SmsProviderAnswer answer;
        try
        {
            answer = await SendToProviderAsync(message, phone, template, cancellationToken).ConfigureAwait(false);
        }
        catch (SmsProviderUnavailableException e)
        {
            // Uncertain: the next attempt asks the provider whether this one went out.
            await ledger.MarkUncertainAsync(message.MessageId, "provider-unavailable", CancellationToken.None).ConfigureAwait(false);
            LogUnavailable(logger, message.MessageId, ProviderName, e.Message);
            return new SmsSendResult(SmsSendOutcome.RetryLater, ErrorCode: "provider-unavailable", ErrorMessage: e.Message, RetryAfter: limits.TransientRetryAfter);
        }

        var result = answer.Result;
        if (result.Outcome == SmsSendOutcome.Sent)
        {
            await ledger.MarkSentAsync(message.MessageId, result.ProviderMessageId, cancellationToken).ConfigureAwait(false);
            LogSent(logger, message.MessageId, ProviderName, result.ProviderMessageId);
            return result;
        }

        await ledger.MarkRefusedAsync(message.MessageId, result.ErrorCode, cancellationToken).ConfigureAwait(false);
        LogRefused(logger, message.MessageId, ProviderName, result.Outcome, result.ErrorCode);
        if (answer.SigningError)
        {
            throw new SmsSigningException($"{ProviderName} 短信平台拒绝了请求签名或密钥 (the SMS provider refused our signature or keys): {result.ErrorCode}: {result.ErrorMessage}. 请检查 {SmsOptions.Section}:{ProviderName} 的密钥和服务器时钟 (check the keys and the server clock).")
            {
                ErrorCode = result.ErrorCode,
            };
        }

        return result;
    }

    /// <summary>How long to wait after a rate limit, from the provider's words and our own count.</summary>
    protected async Task<TimeSpan> RateLimitWaitAsync(RateLimitScope scope, string phoneNumber, string templateCode, CancellationToken cancellationToken)
    {
        var limits = Options.Limits;
        switch (scope)
        {
            case RateLimitScope.Minute:
                return limits.MinuteLimitRetryAfter;
            case RateLimitScope.Hour:
                return limits.HourLimitRetryAfter;
            case RateLimitScope.Day:
                var now = time.GetUtcNow();
                var (_, oldest) = await ledger.SentSinceAsync(phoneNumber, templateCode, now - limits.PerNumberWindow, cancellationToken).ConfigureAwait(false);
                var wait = oldest is { } o ? o + limits.PerNumberWindow - now : limits.PerNumberWindow;
                return wait < limits.MinuteLimitRetryAfter ? limits.MinuteLimitRetryAfter : wait;
            default:
                return limits.TransientRetryAfter;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId} was already sent through {Provider}; not sent again")]
    private static partial void LogAlreadySent(ILogger logger, string messageId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId}: an earlier unanswered attempt did reach {Provider}; not sent again")]
    private static partial void LogFoundSent(ILogger logger, string messageId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {MessageId}: {Provider} unavailable, retrying later: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string messageId, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId} waits: {Count} messages of its template went to the number within {Window}")]
    private static partial void LogLocalLimit(ILogger logger, string messageId, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId} is being sent by another worker; not sent again")]
    private static partial void LogInProgress(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId} sent through {Provider} as {ProviderMessageId}")]
    private static partial void LogSent(ILogger logger, string messageId, string provider, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {MessageId} refused by {Provider}: {Outcome} {ErrorCode}")]
    private static partial void LogRefused(ILogger logger, string messageId, string provider, SmsSendOutcome outcome, string? errorCode);
}

/// <summary>Which of the provider's per-number limits was hit.</summary>
public enum RateLimitScope
{
    Unknown,
    Minute,
    Hour,
    Day,
}
