using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

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
[ActivityOutput("notifiedCount", VariableType.Integer, DisplayName = "通知人数 (People notified)")]
public sealed class EmergencyNotifyActivity(IncidentService incidents, INotificationService notifications) : IActivity
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
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["incidentNumber"] = incident.Number,
            ["title"] = (incident.IsDrill ? "【演练】" : "") + incident.Title,
            ["level"] = IncidentService.LevelName(context.GetVariable("level") as string ?? incident.Level),
            ["respondent"] = incident.RespondentName ?? "",
            ["consumers"] = incident.ConsumerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["grade"] = IncidentService.GradeName(incident.OpinionGrade),
            ["dueAt"] = context.GetVariable("reportDueAt") as string ?? context.GetVariable("opinionDueAt") as string ?? "",
        };
        foreach (var user in recipients)
        {
            foreach (var channel in new[] { MessageChannel.Sms, MessageChannel.Email })
            {
                await notifications.EnqueueAsync(new NotificationRequest
                {
                    Key = $"incident:{incident.Id}:{purpose}:{user}:{channel}",
                    Template = template,
                    Recipient = new NotificationRecipient { UserName = user, Channel = channel },
                    Values = values,
                    Drill = incident.IsDrill,
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        await incidents.RecordAsync(incident.Id, "notified",
            $"{(incident.IsDrill ? "【演练】" : "")}已通过短信和邮件通知（{purpose}）：{string.Join("、", recipients)}", null, "system", cancellationToken: cancellationToken).ConfigureAwait(false);
        context.SetOutput("notifiedCount", (long)recipients.Count);
    }
}
