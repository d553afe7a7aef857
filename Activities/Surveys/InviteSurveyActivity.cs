using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>
/// Opens the satisfaction survey of the complaint: an invitation with a signed, expiring web link (for the message
/// that follows), and the survey's waits from configuration unless the process already has them.
/// </summary>
[Activity("survey.invite", DisplayName = "生成回访邀请 (Open survey)", Category = "回访 (Surveys)",
    Description = "生成带签名、有有效期的评价链接，并给出等待答复的时长（来自配置，流程变量可覆盖）。Makes the signed, expiring survey link and the waits (from configuration unless set).")]
[ActivityOutput("surveyUrl", VariableType.String, DisplayName = "评价链接 (Survey link)")]
[ActivityOutput("surveyExpiresAt", VariableType.String, DisplayName = "链接有效期至 (Link valid until)")]
[ActivityOutput("surveyInvitationId", VariableType.String, DisplayName = "邀请编号 (Invitation id)")]
[ActivityOutput("surveyFirstWait", VariableType.String, DisplayName = "首次等待 (Wait before the reminder)", Description = "ISO-8601，如 P3D")]
[ActivityOutput("surveyReminderWait", VariableType.String, DisplayName = "提醒后等待 (Wait after the reminder)", Description = "ISO-8601，如 P2D")]
public sealed class InviteSurveyActivity(IDbContextFactory<DomainDbContext> contexts, SurveyInvitations invitations, IOptions<NotificationOptions> options) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var complaintId = ComplaintContext.ComplaintId(context);
        Complaint complaint;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist.");
        }

        var (invitation, url) = await invitations.CreateAsync(complaint, context.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        var survey = options.Value.Survey;
        context.SetOutput("surveyUrl", url);
        context.SetOutput("surveyExpiresAt", invitations.ExpiryText(invitation.ExpiresAt));
        context.SetOutput("surveyInvitationId", invitation.Id);
        context.SetOutput("surveyFirstWait", context.GetVariable("surveyFirstWait") as string is { Length: > 0 } first ? first : survey.FirstWait);
        context.SetOutput("surveyReminderWait", context.GetVariable("surveyReminderWait") as string is { Length: > 0 } second ? second : survey.ReminderWait);
    }
}
