using System.Globalization;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Computes a deadline on the working-day calendar and sets the process variables <c>&lt;prefix&gt;DueAt</c>,
/// <c>&lt;prefix&gt;WarnAt</c> (ISO-8601 with offset, for timer events such as
/// <c>&lt;timeDate&gt;${handlingWarnAt}&lt;/timeDate&gt;</c> and task due dates), <c>&lt;prefix&gt;RuleSet</c> and
/// <c>&lt;prefix&gt;Unit</c>.
/// </summary>
[Activity("sla.deadline", DisplayName = "计算期限 (Compute deadline)", Category = "时限 (Deadlines)",
    Description = "按工作日历和投诉收到时生效的规则计算期限，设置流程变量 <前缀>DueAt、<前缀>WarnAt（预警，默认在 80% 时）、<前缀>RuleSet。Computes a deadline on the working-day calendar by the rules in force at receipt; sets <prefix>DueAt, <prefix>WarnAt, <prefix>RuleSet.")]
[ActivityInput("kind", VariableType.String, DisplayName = "期限类型 (Kind)", Required = true,
    Description = "acceptance 受理 | handling 处理 | mediation 调解 | terminationNotice 终止告知 | caseOpening 立案 | caseOpeningExtension 立案延长 | reporterNotice 举报告知 | registration 登记 | channelReply 渠道答复")]
[ActivityInput("startAt", VariableType.String, DisplayName = "起算时间 (Start)", Description = "ISO-8601；默认为现在。Defaults to now.")]
[ActivityInput("receivedAt", VariableType.String, DisplayName = "收到时间 (Received)", Description = "决定适用哪套规则；默认为起算时间。Picks the rule set; defaults to the start.")]
[ActivityInput("tier", VariableType.String, DisplayName = "复杂程度 (Tier)", Description = "simple | general | complex")]
[ActivityInput("channel", VariableType.String, DisplayName = "渠道 (Channel)", Description = "Hotline12345, Platform12315, Letter, WeChat, Weibo ...")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Description = "默认为期限类型。Defaults to the kind.")]
[ActivityOutput("dueAt", VariableType.String, DisplayName = "到期时间 (Due)")]
[ActivityOutput("warnAt", VariableType.String, DisplayName = "预警时间 (Warning)")]
[ActivityOutput("ruleSet", VariableType.String, DisplayName = "适用规则 (Rule set)")]
public sealed class SlaDeadlineActivity(SlaClock clock, WorkingCalendar calendar) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kindText = context.GetInput<string>("kind")!;
        if (!Enum.TryParse<DeadlineKind>(kindText, true, out var kind))
        {
            throw new InvalidOperationException($"Input 'kind' of sla.deadline at element '{context.ElementId}': '{kindText}' is not one of {string.Join(", ", Enum.GetNames<DeadlineKind>())}.");
        }

        var start = Instant(context, "startAt") ?? context.Time.GetUtcNow();
        var received = Instant(context, "receivedAt") ?? start;
        var deadline = await clock.ComputeAsync(kind, start, received, context.GetInput<string>("tier"), context.GetInput<string>("channel"), cancellationToken).ConfigureAwait(false);
        var prefix = context.GetInput<string>("variablePrefix") is { Length: > 0 } p ? p : char.ToLowerInvariant(kindText[0]) + kindText[1..];
        var due = SlaClock.Format(deadline.DueAt, calendar.Zone);
        var warn = SlaClock.Format(deadline.WarnAt, calendar.Zone);
        context.SetVariable(prefix + "DueAt", due);
        context.SetVariable(prefix + "WarnAt", warn);
        context.SetVariable(prefix + "RuleSet", deadline.RuleSet);
        context.SetVariable(prefix + "Unit", deadline.Unit.ToString());
        context.SetOutput("dueAt", due);
        context.SetOutput("warnAt", warn);
        context.SetOutput("ruleSet", deadline.RuleSet);
    }

    internal static DateTimeOffset? Instant(ActivityContext context, string input)
    {
        var value = context.GetInput(input);
        return value switch
        {
            null => null,
            DateTimeOffset instant => instant,
            string { Length: 0 } => null,
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) => parsed,
            _ => throw new InvalidOperationException($"Input '{input}' at element '{context.ElementId}' is not an ISO-8601 instant: '{value}'."),
        };
    }
}
