using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// Sends a notification from an administrator-editable template: to the complaint's consumer on the channel they chose,
/// to a staff member (their phone or email from the organisation), or to a phone number or address. It is stored
/// durably and delivered after the step, once; a step that runs again does not send it again.
/// </summary>
[Activity("notify.send", DisplayName = "发送通知 (Send notification)", Category = "通知 (Notifications)",
    Description = "按模板发送短信或邮件：给投诉人（按其登记时选择的方式）、工作人员（名册中的手机/邮箱）或指定号码/邮箱。同一步骤重试不会重复发送。Sends an SMS or email from a template to the consumer, a staff member or an address; never twice for one step.")]
[ActivityInput("template", VariableType.String, DisplayName = "模板 (Template)", Required = true, Description = "如 complaint.progress、survey.invitation、survey.reminder、staff.task")]
[ActivityInput("to", VariableType.String, DisplayName = "收件人 (Recipient)", Default = "consumer",
    Description = "consumer（投诉人）、工作人员用户名、手机号或邮箱。consumer, a staff user name, a phone number or an email address.")]
[ActivityInput("channel", VariableType.String, DisplayName = "渠道 (Channel)", Description = "sms 或 email；留空按收件人选择。sms or email; empty: the recipient's choice.")]
[ActivityInput("values", VariableType.Map, DisplayName = "模板变量 (Values)", Description = "模板中 {名称} 的取值；投诉的受理号、投诉人、被投诉方、查询链接及回访链接自动提供。Values of the template's placeholders (complaint values are added).")]
[ActivityInput("text", VariableType.String, DisplayName = "正文 (Text)", Description = "模板变量 {text} 的取值。The value of {text}.")]
[ActivityInput("key", VariableType.String, DisplayName = "唯一标识 (Key)", Description = "留空自动生成（实例+节点+次数）。Identity; empty: instance, element and count.")]
[ActivityInput("drill", VariableType.Boolean, DisplayName = "演练 (Drill)", Default = false)]
[ActivityOutput("notificationKey", VariableType.String, DisplayName = "通知标识 (Notification key)", Description = "空表示未发送（投诉人未选择通知方式）。Empty when nothing was sent.")]
[ActivityOutput("notificationChannel", VariableType.String, DisplayName = "通知渠道 (Channel)", Description = "Sms、Email 或 none")]
public sealed class SendNotificationActivity(
    IDbContextFactory<DomainDbContext> contexts,
    NotificationService notifications,
    ConsumerNotifications consumers,
    NotificationSignal signal,
    Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var template = context.GetInput<string>("template")!;
        var to = (context.GetInput<string>("to") is { Length: > 0 } given ? given : "consumer").Trim();
        MessageChannel? channel = context.GetInput<string>("channel") switch
        {
            null or "" => null,
            var c when c.Equals("sms", StringComparison.OrdinalIgnoreCase) => MessageChannel.Sms,
            var c when c.Equals("email", StringComparison.OrdinalIgnoreCase) => MessageChannel.Email,
            var c => throw new InvalidOperationException($"notify.send at element '{context.ElementId}': channel '{c}' is not sms or email."),
        };

        // Stored with the step (the complaint as the step left it): sent exactly when the step is stored, and once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Complaint? complaint = null;
        var complaintId = context.GetVariable("complaintId") as string ?? (to == "consumer" ? context.BusinessKey : null);
        if (complaintId is not null)
        {
            complaint = await work.FindAsync<Complaint>(complaintId, cancellationToken).ConfigureAwait(false);
        }

        if (complaint is not null)
        {
            foreach (var (name, value) in consumers.ComplaintValues(complaint))
            {
                values[name] = value;
            }
        }

        foreach (var name in new[] { "surveyUrl", "surveyExpiresAt" })
        {
            if (context.GetVariable(name) is string v)
            {
                values[name == "surveyExpiresAt" ? "expiresAt" : name] = v;
            }
        }

        if (context.GetInput("values") is IReadOnlyDictionary<string, object?> givenValues)
        {
            foreach (var (name, value) in givenValues)
            {
                values[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }

        if (context.GetInput<string>("text") is { } text)
        {
            values["text"] = text;
        }

        NotificationRecipient? recipient;
        if (to == "consumer")
        {
            recipient = complaint is null
                ? throw new InvalidOperationException($"notify.send at element '{context.ElementId}': 'consumer' needs a complaintId variable naming an existing complaint.")
                : ConsumerNotifications.Consumer(complaint, channel);
        }
        else if (to.Contains('@', StringComparison.Ordinal))
        {
            recipient = new NotificationRecipient { Email = to, Channel = channel ?? MessageChannel.Email };
        }
        else if (to.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' '))
        {
            recipient = new NotificationRecipient { PhoneNumber = to, Channel = channel ?? MessageChannel.Sms };
        }
        else
        {
            recipient = new NotificationRecipient { UserName = to, Channel = channel };
        }

        if (recipient is null)
        {
            // The consumer asked for no messages (or has no contact for the channel).
            context.SetOutput("notificationKey", null);
            context.SetOutput("notificationChannel", "none");
            return;
        }

        var request = new NotificationRequest
        {
            Key = context.GetInput<string>("key") is { Length: > 0 } explicitKey ? explicitKey : ConsumerNotifications.KeyFor(context),
            Template = template,
            Recipient = recipient,
            Values = values,
            Reference = complaint?.Id,
            Drill = context.GetInput("drill") is true,
        };
        var (row, existing) = await notifications.PrepareAsync(work.Db, request, context.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        if (row is not null)
        {
            work.Insert(row);
            work.OnCommitted(() => signal.WakeFor(row));
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("notificationKey", row?.Key ?? existing!.Key);
        context.SetOutput("notificationChannel", (row?.Channel ?? existing!.Channel).ToString());
    }
}
