using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// <see cref="ISmsSender"/> on Alibaba Cloud SMS: SendSms with <c>OutId</c> = the message id; an unanswered earlier
/// attempt is looked up with QuerySendDetails (by number, day and OutId) before sending again. Error codes map to
/// outcomes as <see cref="Classify"/> says.
/// </summary>
public sealed class AliyunSmsSender(AliyunSmsClient client, SmsSendLedger ledger, IOptions<SmsOptions> options, TimeProvider time, ILogger<AliyunSmsSender> logger)
    : LedgerSmsSender(ledger, options, time, logger)
{
    public const string Name = "Aliyun";

    private static readonly string[] SigningErrors =
    [
        "SignatureDoesNotMatch", "InvalidTimeStamp.Expired", "InvalidTimeStamp.Format", "SignatureNonceUsed", "IncompleteSignature",
        "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "MissingAccessKeyId", "MissingSignature", "InvalidSignatureMethod",
    ];

    private static readonly string[] AccountErrors =
    [
        "isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE", "isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL", "isv.ACCOUNT_NOT_EXISTS",
        "isv.ACCOUNT_ABNORMAL", "isv.PRODUCT_UN_SUBSCRIPT", "isv.PRODUCT_UNSUBSCRIBE", "isp.RAM_PERMISSION_DENY",
    ];

    protected override string ProviderName => Name;

    protected override string ResolveTemplate(string templateCode)
        => Options.Aliyun.Templates.TryGetValue(templateCode, out var code) ? code : templateCode;

    /// <summary>The outcome of an Alibaba error code (and the rate-limit scope its message names).</summary>
    public static (SmsSendOutcome Outcome, bool SigningError, RateLimitScope Scope) Classify(string code, string? message)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code == "OK")
        {
            return (SmsSendOutcome.Sent, false, RateLimitScope.Unknown);
        }

        if (code == "isv.BUSINESS_LIMIT_CONTROL")
        {
            // "触发分钟级流控Permits:1", "触发小时级流控Permits:5", "触发天级流控Permits:10".
            var scope = message is null ? RateLimitScope.Unknown
                : message.Contains("分钟", StringComparison.Ordinal) ? RateLimitScope.Minute
                : message.Contains("小时", StringComparison.Ordinal) ? RateLimitScope.Hour
                : message.Contains('天', StringComparison.Ordinal) || message.Contains('日', StringComparison.Ordinal) ? RateLimitScope.Day
                : RateLimitScope.Unknown;
            return (SmsSendOutcome.RetryLater, false, scope);
        }

        if (SigningErrors.Contains(code, StringComparer.Ordinal))
        {
            return (SmsSendOutcome.AccountProblem, true, RateLimitScope.Unknown);
        }

        if (code is "isv.MOBILE_NUMBER_ILLEGAL")
        {
            return (SmsSendOutcome.InvalidNumber, false, RateLimitScope.Unknown);
        }

        if (AccountErrors.Contains(code, StringComparer.Ordinal) || code.StartsWith("Forbidden", StringComparison.Ordinal))
        {
            return (SmsSendOutcome.AccountProblem, false, RateLimitScope.Unknown);
        }

        if (code is "isp.SYSTEM_ERROR" or "isp.GATEWAY_ERROR" or "ServiceUnavailable" or "InternalError" or "Throttling" or "Throttling.User" or "Throttling.Api" or "SignatureNonceUsed.Retry")
        {
            return (SmsSendOutcome.RetryLater, false, RateLimitScope.Unknown);
        }

        // Signature/template not approved, missing or invalid parameters, refused content, and anything unknown.
        return (SmsSendOutcome.Rejected, false, RateLimitScope.Unknown);
    }

    protected override async Task<SmsProviderAnswer> SendToProviderAsync(OutgoingSms message, string phoneNumber, string templateCode, CancellationToken cancellationToken)
    {
        var response = await client.SendSmsAsync(new AliyunSendSmsRequest(phoneNumber, Options.Aliyun.SignName!, templateCode)
        {
            TemplateParam = message.Parameters.Count == 0 ? null : JsonSerializer.Serialize(message.Parameters),
            OutId = message.MessageId,
        }, cancellationToken).ConfigureAwait(false);
        var (outcome, signing, scope) = Classify(response.Code, response.Message);
        TimeSpan? retryAfter = outcome == SmsSendOutcome.RetryLater ? await RateLimitWaitAsync(scope, phoneNumber, templateCode, cancellationToken).ConfigureAwait(false) : null;
        return new SmsProviderAnswer(new SmsSendResult(outcome, response.BizId, outcome == SmsSendOutcome.Sent ? null : response.Code, outcome == SmsSendOutcome.Sent ? null : response.Message, retryAfter), signing);
    }

    protected override async Task<string?> FindSentAsync(OutgoingSms message, string phoneNumber, SmsSendRecord record, CancellationToken cancellationToken)
    {
        // Look at the day of the last attempt and the day before the first (Beijing dates), page by page.
        var days = new[] { AliyunSmsClient.ChinaDate(record.LastAttemptAt), AliyunSmsClient.ChinaDate(record.FirstAttemptAt) }.Distinct();
        foreach (var day in days)
        {
            for (var page = 1; page <= 20; page++)
            {
                var answer = await client.QuerySendDetailsAsync(new AliyunQuerySendDetailsRequest(phoneNumber, day, 50, page), cancellationToken).ConfigureAwait(false);
                if (!answer.IsOk)
                {
                    var (_, signing, _) = Classify(answer.Code, answer.Message);
                    if (signing)
                    {
                        throw new SmsSigningException($"QuerySendDetails refused our signature or keys: {answer.Code}: {answer.Message}.") { ErrorCode = answer.Code };
                    }

                    throw new SmsProviderUnavailableException($"QuerySendDetails answered {answer.Code}: {answer.Message}.");
                }

                if (answer.Details.FirstOrDefault(d => string.Equals(d.OutId, message.MessageId, StringComparison.Ordinal)) is { } found)
                {
                    // QuerySendDetails does not give the BizId back; the OutId is what identifies it.
                    return record.ProviderMessageId ?? "OutId:" + found.OutId;
                }

                if (answer.Details.Count < 50 || page * 50 >= answer.TotalCount)
                {
                    break;
                }
            }
        }

        return null;
    }
}
