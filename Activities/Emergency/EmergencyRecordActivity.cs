using System.Globalization;
using System.Text.Json;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// Files what a plan's task produced into the incident's record: the upward report (time, place, people involved,
/// scope, measures), the on-site response, the joint enforcement action, the consumers' representatives, the
/// communication, supervision, de-escalation and the closing review (总结评估) with its lessons.
/// </summary>
[Activity("emergency.record", DisplayName = "登记处置情况 (Record)", Category = "应急处置 (Emergencies)",
    Description = "把任务表单内容登记到事件记录：report 信息报送（时间、地点、涉及人员、范围、措施）、onSite 现场处置、joint 联合执法、representatives 消费者代表、"
        + "communication 信息沟通、supervision 督办、deEscalation 解除响应、review 总结评估（经验教训）、opinionReport 舆情调查报告、warning 预警。"
        + " Files a task's form into the incident record (report, onSite, joint, representatives, communication, supervision, deEscalation, review, opinionReport, warning).")]
[ActivityInput("kind", VariableType.String, DisplayName = "类型 (Kind)", Required = true)]
[ActivityInput("text", VariableType.String, DisplayName = "说明 (Text)", Description = "无表单内容时记入的文字 (text when there is no form)")]
public sealed class EmergencyRecordActivity(IncidentService incidents) : IActivity
{
    /// <summary>The form fields each kind files, with their labels.</summary>
    internal static readonly IReadOnlyDictionary<string, (string Label, string[] Fields)> Kinds = new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
    {
        ["report"] = ("信息报送", ["occurredAt", "place", "peopleInvolved", "scope", "measures", "level"]),
        ["onSite"] = ("现场处置", ["onSiteSummary", "staffSent"]),
        ["joint"] = ("联合执法", ["jointActions", "assetsSecured"]),
        ["representatives"] = ("消费者代表", ["representatives", "representativeContacts"]),
        ["communication"] = ("信息沟通", ["communicationNote", "publicStatement"]),
        ["supervision"] = ("督办", ["supervisionNote"]),
        ["deEscalation"] = ("解除响应", ["deEscalationNote"]),
        ["review"] = ("总结评估", ["summary", "lessons", "planImprovements"]),
        ["opinionReport"] = ("舆情调查报告", ["investigationFindings", "measures", "publicResponse"]),
        ["opinionResponse"] = ("舆情回应", ["communicationNote", "publicStatement"]),
        ["warning"] = ("预警", []),
        ["staffing"] = ("增派人手", ["staffingPlan"]),
    };

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["occurredAt"] = "时间", ["place"] = "地点", ["peopleInvolved"] = "涉及人员", ["scope"] = "范围", ["measures"] = "措施", ["level"] = "级别",
        ["onSiteSummary"] = "现场情况", ["staffSent"] = "到场人员", ["jointActions"] = "联合执法措施", ["assetsSecured"] = "资产保全",
        ["representatives"] = "消费者代表", ["representativeContacts"] = "代表联系方式", ["communicationNote"] = "沟通情况", ["publicStatement"] = "对外发布",
        ["supervisionNote"] = "督办意见", ["deEscalationNote"] = "解除理由", ["summary"] = "总结", ["lessons"] = "经验教训", ["planImprovements"] = "预案改进",
        ["investigationFindings"] = "调查结果", ["publicResponse"] = "回应口径", ["staffingPlan"] = "人员调配",
    };

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = context.GetInput<string>("kind")!.Trim();
        if (!Kinds.TryGetValue(kind, out var spec))
        {
            throw new InvalidOperationException($"emergency.record at element '{context.ElementId}': kind '{kind}' is not one of {string.Join(", ", Kinds.Keys)} (登记类型无效).");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in spec.Fields)
        {
            if (context.GetVariable(field) is { } value && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text)
            {
                values[field] = text.Trim();
            }
        }

        var drill = context.GetVariable("drill") is true;
        var label = drill && kind == "review" ? "演练评估" : spec.Label;
        var body = values.Count == 0 ? context.GetInput<string>("text") ?? "" : string.Join("；", values.Select(v => $"{Labels.GetValueOrDefault(v.Key, v.Key)}：{v.Value}"));
        var now = context.Time.GetUtcNow();
        await incidents.RecordAsync(context, IncidentContext.IncidentId(context), drill && kind == "review" ? "drill-review" : kind,
            $"{(drill ? "【演练】" : "")}{label}：{body}", values.Count == 0 ? null : JsonSerializer.Serialize(values), context.GetVariable("completedBy") as string,
            incident =>
            {
                switch (kind)
                {
                    case "report":
                        incident.ReportedAt = now;
                        incident.Level = IncidentService.NormaliseLevel(values.GetValueOrDefault("level")) ?? incident.Level;
                        break;
                    case "representatives":
                        incident.Representatives = values.GetValueOrDefault("representatives");
                        break;
                    case "opinionReport":
                        incident.ReportedAt = now;
                        break;
                    case "deEscalation":
                        incident.Status = IncidentStatus.DeEscalated;
                        break;
                    case "review":
                        incident.Lessons = values.GetValueOrDefault("lessons");
                        incident.Summary = values.GetValueOrDefault("summary") ?? incident.Summary;
                        break;
                    default:
                        break;
                }
            }, cancellationToken).ConfigureAwait(false);
    }
}
