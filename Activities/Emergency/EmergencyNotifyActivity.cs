using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// Notifies staff of an incident by SMS and email through <see cref="INotificationService"/>, once per person,
/// channel and purpose (the key makes a retried step send nothing twice). In a drill only drill participants
/// are notified, whatever the list says, and every message is marked as a drill.
/// </summary>
[Activity("emergency.notify", DisplayName = "应急通知 (Notify)", Category = "应急处置 (Emergencies)",
    Description = "以短信和电子邮件通知领导小组、办公室等人员（每人每渠道一次）；演练时只通知参演人员并标注【演练】。"
        + " Notifies the listed staff by SMS and email, once per person and channel; in a drill only the participants, marked as a drill.")]
[ActivityInput("recipients", VariableType.String, DisplayName = "通知对象 (Recipients)", Required = true, Description = "用户名，逗号分隔，如 ${leadershipUsers + ',' + officeUsers}")]
[ActivityInput("template", VariableType.String, DisplayName = "通知模板 (Template)", Required = true, Description = "如 emergency.alert、emergency.report-overdue、opinion.alert")]
[ActivityInput("purpose", VariableType.String, DisplayName = "用途 (Purpose)", Required = true, Description = "同一事件同一用途每人只通知一次，如 alert、warning")]
[ActivityInput("text", VariableType.String, DisplayName = "内容 (Text)", Description = "默认为事件摘要 (defaults to a summary of the incident)")]
[ActivityOutput("notifiedCount", VariableType.Integer, DisplayName = "通知人数 (People notified)")]
public sealed class EmergencyNotifyActivity(IDbContextFactory<DomainDbContext> contexts, IncidentService incidents, INotificationService notifications) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incident = await incidents.GetAsync(IncidentContext.IncidentId(context), cancellationToken).ConfigureAwait(false);
        var recipients = IncidentContext.Users(context.GetInput<string>("recipients"));
        if (incident.IsDrill)
        {
            var participants = IncidentContext.Users(incident.DrillParticipants).ToHashSet(StringComparer.Ordinal);
            recipients = [.. recipients.Where(participants.Contains)];
        }

        var template = context.GetInput<string>("template")!;
        var purpose = context.GetInput<string>("purpose")!;
        var level = context.GetVariable("level") as string ?? incident.Level ?? "IV";
        var dueAt = context.GetVariable("opinionDueAt") as string ?? context.GetVariable("reportDueAt") as string;
        var text = context.GetInput<string>("text") is { Length: > 0 } given ? given : Describe(incident, dueAt);
        Dictionary<string, string> names;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            names = await db.Set<StaffMember>().AsNoTracking().Where(m => recipients.Contains(m.UserName)).ToDictionaryAsync(m => m.UserName, m => m.DisplayName, cancellationToken).ConfigureAwait(false);
        }

        var failures = new List<string>();
        foreach (var user in recipients)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["displayName"] = names.GetValueOrDefault(user, user),
                ["level"] = incident.Kind == IncidentKind.PublicOpinion ? IncidentService.GradeName(incident.OpinionGrade) : level,
                ["title"] = incident.Title,
                ["text"] = text,
                ["incidentNumber"] = incident.Number,
            };
            foreach (var channel in new[] { MessageChannel.Sms, MessageChannel.Email })
            {
                try
                {
                    await notifications.EnqueueAsync(new NotificationRequest
                    {
                        Key = $"incident:{incident.Id}:{purpose}:{user}:{channel}",
                        Template = template,
                        Recipient = new NotificationRecipient { UserName = user, Channel = channel },
                        Values = values,
                        Reference = incident.Id,
                        Drill = incident.IsDrill,
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (NotificationRequestException e)
                {
                    // A leader without a mobile number still gets the email: the gap is recorded, the plan goes on.
                    failures.Add($"{names.GetValueOrDefault(user, user)}（{(channel == MessageChannel.Sms ? "短信" : "邮件")}）：{e.Message}");
                }
            }
        }

        await incidents.RecordAsync(context, incident.Id, "notified",
            $"{(incident.IsDrill ? "【演练】" : "")}已通过短信和邮件通知（{purpose}）：{string.Join("、", recipients.Select(u => names.GetValueOrDefault(u, u)))}"
                + (failures.Count == 0 ? "" : "；未能通知：" + string.Join("；", failures)),
            null, "system", cancellationToken: cancellationToken).ConfigureAwait(false);
        context.SetOutput("notifiedCount", (long)recipients.Count);
    }

    private static string Describe(EmergencyIncident incident, string? dueAt)
    {
        var what = incident.Kind switch
        {
            IncidentKind.GroupComplaint => $"被投诉方{incident.RespondentName}，涉及消费者{incident.ConsumerCount}名{(incident.PrepaidCard ? "（预付卡跑路）" : "")}",
            IncidentKind.VolumeSurge => $"近一小时投诉{incident.SurgeCount}件，超出正常处理能力",
            IncidentKind.PublicOpinion => $"来源：{incident.OpinionSource ?? "媒体"}",
            _ => incident.Summary ?? "应急预案已启动",
        };
        return $"{what}；事件编号{incident.Number}" + (dueAt is null ? "" : $"，报告时限{dueAt}") + "。";
    }
}
