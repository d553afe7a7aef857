using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// The deadline of an incident's report: the upward report by level (I 1 h, II 2 h, III 4 h, IV 24 h by default)
/// or a 舆情 item's investigation report by grade (blue 120 h, yellow 72 h, orange 24 h, red 24 h by default,
/// administrators change them), with the warning at the configured share. Sets <c>&lt;prefix&gt;DueAt</c> and
/// <c>&lt;prefix&gt;WarnAt</c> for the task's due date and its timer events, as <c>sla.deadline</c> does.
/// </summary>
[Activity("emergency.deadline", DisplayName = "报告时限 (Report deadline)", Category = "应急处置 (Emergencies)",
    Description = "计算信息报送时限（按级别）或舆情调查报告时限（按蓝/黄/橙/红等级，默认 120/72/24/24 小时），设置 <前缀>DueAt 与 <前缀>WarnAt（预警）。"
        + " Computes the upward report's deadline by level or a public-opinion item's by grade and sets <prefix>DueAt and <prefix>WarnAt.")]
[ActivityInput("kind", VariableType.String, DisplayName = "类型 (Kind)", Required = true, Description = "report 信息报送 | opinion 舆情调查报告")]
[ActivityInput("level", VariableType.String, DisplayName = "级别 (Level)", Description = "report: I | II | III | IV")]
[ActivityInput("grade", VariableType.String, DisplayName = "舆情等级 (Grade)", Description = "opinion: blue | yellow | orange | red")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Description = "默认为类型 (defaults to the kind)")]
[ActivityOutput("dueAt", VariableType.String, DisplayName = "到期时间 (Due)")]
[ActivityOutput("warnAt", VariableType.String, DisplayName = "预警时间 (Warning)")]
[ActivityOutput("hours", VariableType.Integer, DisplayName = "时限（小时） (Hours)")]
public sealed class EmergencyDeadlineActivity(IncidentService incidents, WorkingCalendar calendar, IOptions<EmergencyOptions> options) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = context.GetInput<string>("kind")!.Trim();
        int hours;
        if (kind == "report")
        {
            var level = IncidentService.NormaliseLevel(context.GetInput<string>("level")) ?? "IV";
            hours = options.Value.ReportDeadlineHours.TryGetValue(level, out var h) ? h
                : throw new InvalidOperationException($"{EmergencyOptions.Section}:ReportDeadlineHours has no entry for level {level} (element '{context.ElementId}').");
        }
        else if (kind == "opinion")
        {
            var grade = context.GetInput<string>("grade");
            var settings = await incidents.SettingsAsync(cancellationToken).ConfigureAwait(false);
            hours = settings.OpinionHours(grade)
                ?? throw new InvalidOperationException($"emergency.deadline at element '{context.ElementId}': grade '{grade}' is not blue, yellow, orange or red (舆情等级无效).");
        }
        else
        {
            throw new InvalidOperationException($"emergency.deadline at element '{context.ElementId}': kind '{kind}' is not report or opinion (类型无效).");
        }

        var prefix = context.GetInput<string>("variablePrefix") is { Length: > 0 } p ? p.Trim() : kind;
        var now = context.Time.GetUtcNow();
        var due = now.AddHours(hours);
        var warn = SlaClock.WarningAt(now, due, options.Value.WarningFraction);
        context.SetVariable(prefix + "DueAt", SlaClock.Format(due, calendar.Zone));
        context.SetVariable(prefix + "WarnAt", SlaClock.Format(warn, calendar.Zone));
        context.SetOutput("dueAt", SlaClock.Format(due, calendar.Zone));
        context.SetOutput("warnAt", SlaClock.Format(warn, calendar.Zone));
        context.SetOutput("hours", (long)hours);
        await incidents.RecordAsync(context, IncidentContext.IncidentId(context), "deadline",
            $"{(kind == "report" ? "信息报送" : "调查报告")}时限 {hours} 小时，至 {SlaClock.Format(due, calendar.Zone)}（预警 {SlaClock.Format(warn, calendar.Zone)}）",
            null, "system", i => i.ReportDueAt = due, cancellationToken).ConfigureAwait(false);
    }
}
