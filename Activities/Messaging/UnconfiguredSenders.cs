namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// The <see cref="ISmsSender"/> used while no SMS provider is configured (<c>Workflows:Sms</c>): it sends nothing and
/// pretends nothing. The delivery worker keeps such SMS in status <see cref="NotificationStatus.NoProvider"/> and looks
/// at them again every <see cref="NotificationOptions.NoProviderRetryInterval"/>, so they go out once a provider is set up.
/// </summary>
public sealed class UnconfiguredSmsSender : INamedSmsSender
{
    public const string ErrorCode = "sms-not-configured";

    public string Provider => "none";

    public Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken = default)
        => Task.FromResult(new SmsSendResult(SmsSendOutcome.RetryLater, null, ErrorCode, "未配置短信服务商，短信暂不发送 (no SMS provider is configured; the SMS waits)."));
}

/// <summary>The <see cref="IEmailSender"/> used while no SMTP server is configured (<c>Workflows:Email:Host</c>): like <see cref="UnconfiguredSmsSender"/>.</summary>
public sealed class UnconfiguredEmailSender : IEmailSender
{
    public const string ErrorCode = "email-not-configured";

    public Task SendAsync(OutgoingEmail message, CancellationToken cancellationToken = default)
        => throw new EmailDeliveryException(SmsSendOutcome.RetryLater, "未配置邮件服务器，邮件暂不发送 (no SMTP server is configured; the email waits).", ErrorCode);
}
