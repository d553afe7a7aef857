using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// <see cref="ISmsSender"/> on Tencent Cloud SMS: SendSms with <c>SessionContext</c> = the message id. Tencent
/// templates take positional parameters: <c>Workflows:Sms:Tencent:TemplateParameters</c> names them in order, or the
/// message's parameter names are <c>1</c>, <c>2</c>, ... Error codes map as <see cref="Classify"/> says.
/// </summary>
public sealed class TencentSmsSender(TencentSmsClient client, SmsSendLedger ledger, IOptions<SmsOptions> options, TimeProvider time, ILogger<TencentSmsSender> logger)
    : LedgerSmsSender(ledger, options, time, logger)
{
    public const string Name = "Tencent";

    protected override string ProviderName => Name;

    protected override string ResolveTemplate(string templateCode)
        => Options.Tencent.Templates.TryGetValue(templateCode, out var id) ? id : templateCode;

    public static (SmsSendOutcome Outcome, bool SigningError, RateLimitScope Scope) Classify(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code switch
        {
            "Ok" => (SmsSendOutcome.Sent, false, RateLimitScope.Unknown),
            _ when code.StartsWith("AuthFailure", StringComparison.Ordinal) => (SmsSendOutcome.AccountProblem, true, RateLimitScope.Unknown),
            "LimitExceeded.PhoneNumberThirtySecondLimit" => (SmsSendOutcome.RetryLater, false, RateLimitScope.Minute),
            "LimitExceeded.PhoneNumberOneHourLimit" => (SmsSendOutcome.RetryLater, false, RateLimitScope.Hour),
            "LimitExceeded.PhoneNumberDailyLimit" or "LimitExceeded.PhoneNumberSameContentDailyLimit" => (SmsSendOutcome.RetryLater, false, RateLimitScope.Day),
            "RequestLimitExceeded" or "LimitExceeded.DeliveryFrequencyLimit" => (SmsSendOutcome.RetryLater, false, RateLimitScope.Unknown),
            _ when code.StartsWith("InternalError", StringComparison.Ordinal) || code.StartsWith("ResourceUnavailable", StringComparison.Ordinal) => (SmsSendOutcome.RetryLater, false, RateLimitScope.Unknown),
            "InvalidParameterValue.IncorrectPhoneNumber" or "FailedOperation.PhoneNumberInBlacklist" or "UnsupportedOperation.UnsupportedRegion" => (SmsSendOutcome.InvalidNumber, false, RateLimitScope.Unknown),
            "FailedOperation.InsufficientBalanceInSmsPackage" or "LimitExceeded.AppDailyLimit" or "LimitExceeded.AppCountryOrRegionDailyLimit" or "LimitExceeded.DailyLimit" => (SmsSendOutcome.AccountProblem, false, RateLimitScope.Unknown),
            _ when code.StartsWith("UnauthorizedOperation", StringComparison.Ordinal) => (SmsSendOutcome.AccountProblem, false, RateLimitScope.Unknown),
            _ => (SmsSendOutcome.Rejected, false, RateLimitScope.Unknown),
        };
    }

    protected override async Task<SmsProviderAnswer> SendToProviderAsync(OutgoingSms message, string phoneNumber, string templateCode, CancellationToken cancellationToken)
    {
        var o = Options.Tencent;
        var parameters = Positional(message, templateCode, o);
        if (parameters is null)
        {
            return new SmsProviderAnswer(new SmsSendResult(SmsSendOutcome.Rejected, ErrorCode: "template-parameters",
                ErrorMessage: $"腾讯云模板参数按位置填写 (Tencent templates take positional parameters): name them in order under {SmsOptions.Section}:Tencent:TemplateParameters:{message.TemplateCode}, or call them 1, 2, ...; this message has {string.Join(", ", message.Parameters.Keys)}."));
        }

        var e164 = phoneNumber.Length == 11 && phoneNumber[0] == '1' ? "+86" + phoneNumber : "+" + phoneNumber;
        var response = await client.SendSmsAsync(new TencentSendSmsRequest([e164], o.SmsSdkAppId!, templateCode, o.SignName!)
        {
            TemplateParamSet = parameters,
            SessionContext = message.MessageId,
        }, cancellationToken).ConfigureAwait(false);
        var status = response.SendStatusSet.Count > 0 ? response.SendStatusSet[0] : null;
        var code = response.ErrorCode ?? status?.Code ?? "InternalError.EmptyResponse";
        var text = response.ErrorMessage ?? status?.Message;
        var (outcome, signing, scope) = Classify(code);
        TimeSpan? retryAfter = outcome == SmsSendOutcome.RetryLater ? await RateLimitWaitAsync(scope, phoneNumber, templateCode, cancellationToken).ConfigureAwait(false) : null;
        var serial = status?.SerialNo;
        return new SmsProviderAnswer(new SmsSendResult(outcome, serial, outcome == SmsSendOutcome.Sent ? null : code, outcome == SmsSendOutcome.Sent ? null : text, retryAfter), signing);
    }

    private static List<string>? Positional(OutgoingSms message, string templateId, TencentSmsOptions o)
    {
        if (o.TemplateParameters.TryGetValue(message.TemplateCode, out var names) || o.TemplateParameters.TryGetValue(templateId, out names))
        {
            var values = new List<string>(names.Length);
            foreach (var name in names)
            {
                if (!message.Parameters.TryGetValue(name, out var value))
                {
                    return null;
                }

                values.Add(value);
            }

            return values;
        }

        var numbered = message.Parameters.Select(p => (Ok: int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n), Index: n, p.Value)).ToList();
        return numbered.All(p => p.Ok) ? [.. numbered.OrderBy(p => p.Index).Select(p => p.Value)] : null;
    }
}
