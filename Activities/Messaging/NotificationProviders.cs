using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// Whether this host has a provider for a channel (an SMS provider under <c>Workflows:Sms</c>, an SMTP server under
/// <c>Workflows:Email</c>), and how a message without one waits: in <see cref="NotificationStatus.NoProvider"/>, looked at
/// again every <see cref="NotificationOptions.NoProviderRetryInterval"/>, so it goes out once a provider is set up.
/// </summary>
public sealed class NotificationProviders(ISmsSender sms, IEmailSender email, IOptions<NotificationOptions> options)
{
    public bool IsConfigured(MessageChannel channel) => channel == MessageChannel.Sms ? sms is not UnconfiguredSmsSender : email is not UnconfiguredEmailSender;

    public static string ErrorCode(MessageChannel channel) => channel == MessageChannel.Sms ? UnconfiguredSmsSender.ErrorCode : UnconfiguredEmailSender.ErrorCode;

    public static string ErrorMessage(MessageChannel channel) => channel == MessageChannel.Sms
        ? "未配置短信服务商，短信暂不发送 (no SMS provider is configured)."
        : "未配置邮件服务器，邮件暂不发送 (no SMTP server is configured).";

    /// <summary>The next look at a message due at <paramref name="due"/> that has no provider.</summary>
    public DateTimeOffset NextLook(DateTimeOffset due) => due + options.Value.NoProviderRetryInterval;

    /// <summary>Marks a message about to be stored as waiting for a provider (what the delivery worker would record at its first attempt).</summary>
    public void MarkWaiting(Notification notification, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(notification);
        notification.Status = NotificationStatus.NoProvider;
        notification.NextAttemptAt = NextLook(due);
        notification.ErrorCode = ErrorCode(notification.Channel);
        notification.ErrorMessage = ErrorMessage(notification.Channel);
    }
}
