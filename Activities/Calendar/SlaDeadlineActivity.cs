using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Computes a deadline on the working-day calendar. Because the descriptor's outputs are static, it declares
/// <c>dueAt</c>, <c>warnAt</c> and <c>ruleSet</c> and also sets, as process variables under its prefix (default: the
/// kind), <c>&lt;prefix&gt;DueAt</c> and <c>&lt;prefix&gt;WarnAt</c> (ISO-8601 with the local offset, for timer
/// events such as <c>&lt;timeDate&gt;${handlingWarnAt}&lt;/timeDate&gt;</c> and task due dates),
/// <c>&lt;prefix&gt;DueDate</c> (the last day, yyyy-MM-dd, for messages), <c>&lt;prefix&gt;RuleSet</c>, and
/// <c>&lt;prefix&gt;Unit</c>, <c>&lt;prefix&gt;StartAt</c>, <c>&lt;prefix&gt;Amount</c> (read by <c>sla.resume</c>).
/// </summary>
[Activity("sla.deadline", DisplayName = "计算期限 (Compute deadline)", Category = "时限 (Deadlines)",
    Description = "按工作日历和投诉收到时生效的规则计算期限（收到当日不计，期限至最后一日 24:00），设置流程变量 <前缀>DueAt、<前缀>WarnAt（预警，默认在 80% 时）、<前缀>DueDate、<前缀>RuleSet（另有 <前缀>Unit/StartAt/Amount 供恢复计时使用），供定时事件 ${handlingWarnAt} 等使用。"
        + " Computes a deadline on the working-day calendar by the rules in force at receipt (the day of receipt does not count; the deadline is 24:00 of the last day) and sets the process variables <prefix>DueAt, <prefix>WarnAt (ISO-8601 with offset, for timers such as ${handlingWarnAt}), <prefix>DueDate, <prefix>RuleSet (and <prefix>Unit/StartAt/Amount for sla.resume); the outputs dueAt, warnAt, ruleSet carry the same values.")]
[ActivityInput("kind", VariableType.String, DisplayName = "期限类型 (Kind)", Required = true,
    Description = "acceptance 受理 | handling 处理 | mediation 调解 | terminationNotice 终止告知 | caseOpening 立案 | caseOpeningExtension 立案延长 | reporterNotice 举报告知 | registration 登记 | channelReply 渠道答复")]
[ActivityInput("startAt", VariableType.String, DisplayName = "起算时间 (Start)", Description = "ISO-8601；默认为现在。Defaults to now.")]
[ActivityInput("receivedAt", VariableType.String, DisplayName = "收到时间 (Received)", Description = "决定适用哪套规则；默认为起算时间。Picks the rule set; defaults to the start.")]
[ActivityInput("tier", VariableType.String, DisplayName = "复杂程度 (Tier)", Description = "simple | general | complex（处理期限与微信/微博答复期限；默认 general）。For handling and channelReply; default general.")]
[ActivityInput("channel", VariableType.String, DisplayName = "渠道 (Channel)", Description = "渠道答复期限必填：Platform12315, Hotline12345, Letter, WeChat, Weibo ... Required for channelReply.")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Description = "默认为期限类型，如 handling → handlingDueAt。Defaults to the kind.")]
[ActivityOutput("dueAt", VariableType.String, DisplayName = "到期时间 (Due)", Description = "= <前缀>DueAt")]
[ActivityOutput("warnAt", VariableType.String, DisplayName = "预警时间 (Warning)", Description = "= <前缀>WarnAt")]
[ActivityOutput("ruleSet", VariableType.String, DisplayName = "适用规则 (Rule set)", Description = "= <前缀>RuleSet")]
public sealed class SlaDeadlineActivity(SlaClock clock, WorkingCalendar calendar) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = SlaVariables.ParseKind(context, context.GetInput<string>("kind")!);
        var prefix = SlaVariables.Prefix(context);
        var start = SlaVariables.InstantInput(context, "startAt") ?? context.Time.GetUtcNow();
        var received = SlaVariables.InstantInput(context, "receivedAt") ?? start;
        SlaDeadline deadline;
        try
        {
            deadline = await clock.ComputeAsync(kind, start, received, context.GetInput<string>("tier"), context.GetInput<string>("channel"), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"sla.deadline at element '{context.ElementId}', input '{ex.ParamName}': {ex.Message}", ex);
        }

        SlaVariables.Write(context, prefix, deadline, calendar.Zone, calendar);
        context.SetOutput("dueAt", SlaClock.Format(deadline.DueAt, calendar.Zone));
        context.SetOutput("warnAt", SlaClock.Format(deadline.WarnAt, calendar.Zone));
        context.SetOutput("ruleSet", deadline.RuleSet);
    }
}
