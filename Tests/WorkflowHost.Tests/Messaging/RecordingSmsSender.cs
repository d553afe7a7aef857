using System.Collections.Concurrent;
using ComplaintWorkflows.Activities.Messaging;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>
/// Stands in for the SMS provider in scenarios that are not about the provider's wire format (the provider emulator
/// covers that): records every SMS handed to it and answers as the provider would for numbers told to fail.
/// </summary>
public sealed class RecordingSmsSender : INamedSmsSender
{
    private int _ids;

    public string Provider => "aliyun";

    public ConcurrentQueue<OutgoingSms> Sent { get; } = new();

    /// <summary>Numbers the provider refuses, with the outcome it gives.</summary>
    public ConcurrentDictionary<string, SmsSendOutcome> Refuse { get; } = new(StringComparer.Ordinal);

    public Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Refuse.TryGetValue(message.PhoneNumber, out var outcome))
        {
            var code = outcome switch
            {
                SmsSendOutcome.InvalidNumber => "isv.MOBILE_NUMBER_ILLEGAL",
                SmsSendOutcome.RetryLater => "isv.BUSINESS_LIMIT_CONTROL",
                SmsSendOutcome.AccountProblem => "isv.AMOUNT_NOT_ENOUGH",
                _ => "isv.SMS_TEMPLATE_ILLEGAL",
            };
            return Task.FromResult(new SmsSendResult(outcome, null, code, code));
        }

        Sent.Enqueue(message);
        return Task.FromResult(new SmsSendResult(SmsSendOutcome.Sent, "biz" + Interlocked.Increment(ref _ids)));
    }
}
