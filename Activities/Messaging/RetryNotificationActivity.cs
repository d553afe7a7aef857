using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// Ends the staff task of a failed notification: sends it again (to the corrected phone number or address, which
/// also becomes the consumer's contact on the complaint) or gives it up. It is still the same notification (same
/// key and message id), so the consumer gets it once.
/// </summary>
[Activity("notify.retry", DisplayName = "重新发送通知 (Resend notification)", Category = "通知 (Notifications)",
    Description = "处理发送失败的通知：更正号码/邮箱后重新发送，或放弃。Resends a failed notification (to a corrected contact) or gives it up.")]
[ActivityInput("notificationKey", VariableType.String, DisplayName = "通知标识 (Notification key)", Required = true)]
[ActivityInput("action", VariableType.String, DisplayName = "处理 (Action)", Required = true, Description = "resend 或 cancel")]
[ActivityInput("phoneNumber", VariableType.String, DisplayName = "更正后的手机号 (Corrected phone)")]
[ActivityInput("email", VariableType.String, DisplayName = "更正后的邮箱 (Corrected email)")]
[ActivityInput("note", VariableType.String, DisplayName = "说明 (Note)")]
[ActivityOutput("notificationStatus", VariableType.String, DisplayName = "通知状态 (Status)")]
public sealed class RetryNotificationActivity(IDbContextFactory<DomainDbContext> contexts, NotificationSignal signal) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.GetInput<string>("notificationKey")!;
        var action = context.GetInput<string>("action")!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var n = await db.Set<Notification>().FirstOrDefaultAsync(x => x.Key == key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"notify.retry at element '{context.ElementId}': no notification with key '{key}'.");
        var now = context.Time.GetUtcNow();
        if (n.Status is NotificationStatus.Sent or NotificationStatus.Delivered)
        {
            context.SetOutput("notificationStatus", n.Status.ToString());
            return; // already out: never a second message
        }

        var phone = context.GetInput<string>("phoneNumber") is { Length: > 0 } p ? ComplaintIntakeService.NormalizePhone(p) : null;
        var email = context.GetInput<string>("email") is { Length: > 0 } e ? e.Trim() : null;
        string? changed = null;
        if (action == "resend")
        {
            if (n.Channel == MessageChannel.Sms && phone is not null)
            {
                if (!ComplaintIntakeService.IsMobile(phone))
                {
                    throw new BpmnErrorException("contact-invalid", $"“{phone}”不是有效的手机号 (not a mobile number).");
                }

                n.Recipient = phone;
                changed = "手机号";
            }
            else if (n.Channel == MessageChannel.Email && email is not null)
            {
                n.Recipient = email;
                changed = "邮箱";
            }

            // Administrators may have fixed the template's provider codes meanwhile: the resend uses them.
            if (n.Channel == MessageChannel.Sms
                && await db.Set<NotificationTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Key == n.Template, cancellationToken).ConfigureAwait(false) is { } template)
            {
                n.SmsTemplateCodes = System.Text.Json.JsonSerializer.Serialize(template.SmsTemplateCodes);
            }

            n.Status = NotificationStatus.Pending;
            n.Attempts = 0;
            n.NextAttemptAt = now;
            n.ErrorCode = null;
            n.ErrorMessage = null;
            n.FailureInstanceId = null;
        }
        else
        {
            n.Status = NotificationStatus.Cancelled;
        }

        n.UpdatedAt = now;
        if (n.ComplaintId is { } complaintId && n.RecipientUserName is null)
        {
            var complaint = await db.Set<Complaint>().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false);
            if (complaint is not null)
            {
                if (changed is not null)
                {
                    if (n.Channel == MessageChannel.Sms)
                    {
                        complaint.ConsumerPhone = n.Recipient;
                    }
                    else
                    {
                        complaint.ConsumerEmail = n.Recipient;
                    }

                    complaint.Version++;
                }

                db.Add(new ComplaintEvent
                {
                    ComplaintId = complaint.Id,
                    At = now,
                    Kind = action == "resend" ? "notification-resent" : "notification-cancelled",
                    Text = (action == "resend" ? $"通知发送失败，已{(changed is null ? "" : "更正" + changed + "并")}重新发送" : "通知发送失败，工作人员已确认不再发送")
                        + (context.GetInput<string>("note") is { Length: > 0 } note ? "：" + note : ""),
                    Public = false,
                    ProcessInstanceId = context.ProcessInstanceId,
                    ElementId = context.ElementId,
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        signal.WakeFor(n);

        context.SetOutput("notificationStatus", n.Status.ToString());
    }
}
