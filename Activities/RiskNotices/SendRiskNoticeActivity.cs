using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.RiskNotices;

/// <summary>Sends a reviewed risk notice: the letter as the leader approved it, copied by email to the regulator on record.</summary>
[Activity("risk.send", DisplayName = "发送风险提示函 (Send risk notice)", Category = "风险提示 (Risk notices)",
    Description = "按领导审定的文本发出风险提示函，并以电子邮件抄送该行业的主管部门（行业主管部门名录）。Sends the approved letter and copies it by email to the industry regulator on record.")]
[ActivityInput("letterText", VariableType.String, DisplayName = "函件正文 (Letter)", Required = true)]
[ActivityOutput("copiedTo", VariableType.String, DisplayName = "抄送 (Copied to)")]
public sealed class SendRiskNoticeActivity(IDbContextFactory<DomainDbContext> contexts, INotificationService notifications) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.GetVariable("riskNoticeId") as string ?? context.BusinessKey ?? throw new InvalidOperationException($"risk.send at element '{context.ElementId}': no riskNoticeId.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notice = await db.Set<RiskNotice>().FirstOrDefaultAsync(n => n.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"风险提示函 {id} 不存在 (no risk notice {id}).");
        notice.LetterText = context.GetInput<string>("letterText")!;
        notice.Status = RiskNoticeStatus.Sent;
        notice.SentAt = context.Time.GetUtcNow();
        notice.ReviewedBy = context.GetVariable("completedBy") as string;
        notice.ReviewComment = context.GetVariable("reviewComment") as string;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (notice.RegulatorEmail is { Length: > 0 } email)
        {
            await notifications.EnqueueAsync(new NotificationRequest
            {
                Key = $"risk-notice:{notice.Id}:regulator",
                Template = "risk.notice-copy",
                Recipient = new NotificationRecipient { Email = email, Channel = MessageChannel.Email },
                Values = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["number"] = notice.Number,
                    ["respondentName"] = notice.RespondentName,
                    ["regulatorName"] = notice.RegulatorName ?? "",
                    ["letterText"] = notice.LetterText,
                },
            }, cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("copiedTo", notice.RegulatorName ?? "");
    }
}
