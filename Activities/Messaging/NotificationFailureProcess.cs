using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// Raises a failed notification to people by starting the <c>notification-failure</c> process (business key: the
/// notification's key): for an invalid number or address a task for the desk of the complaint's unit (correct the
/// contact and send again, or give up); for account, content or exhausted attempts a task for administrators.
/// </summary>
public sealed class NotificationFailureProcess(IDbContextFactory<DomainDbContext> contexts, IServiceProvider services, IOptions<NotificationOptions> options) : INotificationFailureHandler
{
    public async Task<string?> RaiseAsync(Notification notification, NotificationFailureKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var o = options.Value;
        Complaint? complaint = null;
        if (notification.ComplaintId is { } complaintId)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false);
        }

        // A consumer's contact is corrected by the desk of the complaint's unit; a staff member's, or an account problem, by administrators.
        var group = kind == NotificationFailureKind.InvalidRecipient && notification.RecipientUserName is null
            ? complaint?.UnitId is { } unit ? $"desk_officer@{unit}" : o.DeskGroup
            : o.AlertGroup;
        var reason = kind switch
        {
            NotificationFailureKind.InvalidRecipient => notification.Channel == MessageChannel.Sms ? "手机号无效，短信无法送达" : "邮箱地址无效，邮件无法送达",
            NotificationFailureKind.AccountProblem => "短信/邮件账户异常（余额、停机、额度或认证）",
            NotificationFailureKind.Rejected => "消息被服务商拒绝（签名、模板或内容）",
            NotificationFailureKind.SendUncertain => "邮件可能已发出（发送主机在记录结果前中断），未自动重发，请确认后处理",
            _ => "多次发送失败，已停止重试",
        };

        // The engine is resolved when needed: it is built after the activities' services.
        var engine = (WorkflowEngine)services.GetService(typeof(WorkflowEngine))!;
        var variables = new Dictionary<string, object?>
        {
            ["notificationKey"] = notification.Key,
            ["failureKind"] = kind switch
            {
                NotificationFailureKind.InvalidRecipient => "invalid-recipient",
                NotificationFailureKind.AccountProblem => "account",
                NotificationFailureKind.Rejected => "rejected",
                NotificationFailureKind.SendUncertain => "uncertain",
                _ => "attempts",
            },
            ["failureReason"] = reason,
            ["channel"] = notification.Channel.ToString(),
            ["template"] = notification.Template,
            ["errorCode"] = notification.ErrorCode,
            ["errorMessage"] = notification.ErrorMessage,
            ["handlingGroup"] = group,
            ["complaintId"] = complaint?.Id,
            ["trackingNumber"] = complaint?.TrackingNumber,
            ["unitId"] = complaint?.UnitId,
            ["recipientUserName"] = notification.RecipientUserName,
        };
        var instance = await engine.StartProcessAsync(o.FailureProcessKey, variables, notification.Key, cancellationToken).ConfigureAwait(false);
        return instance.Id;
    }
}
