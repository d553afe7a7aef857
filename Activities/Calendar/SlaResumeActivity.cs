using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Restarts a paused deadline's clock: moves <c>&lt;prefix&gt;DueAt</c> and <c>&lt;prefix&gt;WarnAt</c> later by the
/// pause (by the working days paused for a working-day deadline; see <see cref="SlaClock"/>) and clears
/// <c>&lt;prefix&gt;PausedAt</c>. The process then re-arms its timers with the new values (e.g. by re-entering the
/// task the timers are attached to). Resuming a deadline that is not paused changes nothing.
/// </summary>
[Activity("sla.resume", DisplayName = "恢复计时 (Resume deadline)", Category = "时限 (Deadlines)",
    Description = "检测、鉴定结束后恢复计时：期限和预警时间顺延暂停的时长（工作日期限按暂停期间的工作日数顺延，暂停当日不计、恢复当日计入；按小时的期限按实际时长顺延），更新 <前缀>DueAt、<前缀>WarnAt。"
        + " Restarts the clock: <prefix>DueAt and <prefix>WarnAt move later by the pause (working-day deadlines by the working days paused, the pause's first day not counted and its last day counted; hour deadlines by the exact time).")]
[ActivityInput("kind", VariableType.String, DisplayName = "期限类型 (Kind)", Description = "未填变量前缀时用作前缀。Used as the prefix when no prefix is given.")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Description = "sla.deadline 使用的前缀。The prefix sla.deadline used.")]
public sealed class SlaResumeActivity(SlaClock clock, WorkingCalendar calendar) : IActivity
{
    public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = SlaVariables.Prefix(context);
        if (SlaVariables.InstantVariable(context, prefix, SlaVariables.PausedAt) is not { } pausedAt)
        {
            return ValueTask.CompletedTask;
        }

        var due = SlaVariables.InstantVariable(context, prefix, SlaVariables.DueAt)
            ?? throw new InvalidOperationException($"sla.resume at element '{context.ElementId}': '{prefix}{SlaVariables.PausedAt}' is set but '{prefix}{SlaVariables.DueAt}' is not (没有可恢复的期限).");
        var unit = Enum.TryParse<DeadlineUnit>(context.GetVariable(prefix + SlaVariables.Unit) as string, out var u) ? u : DeadlineUnit.WorkingDays;
        var amount = context.GetVariable(prefix + SlaVariables.Amount) is { } a ? Convert.ToInt32(a, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var start = SlaVariables.InstantVariable(context, prefix, SlaVariables.StartAt);

        // Without the start (variables of an older version), the deadline is counted on from the old due instant.
        var deadline = new SlaDeadline(
            start ?? due,
            due,
            SlaVariables.InstantVariable(context, prefix, SlaVariables.WarnAt) ?? due,
            context.GetVariable(prefix + SlaVariables.RuleSet) as string ?? "",
            unit,
            start is null ? 0 : amount);
        var resumed = clock.Resume(deadline, pausedAt, context.Time.GetUtcNow());
        SlaVariables.Write(context, prefix, resumed, calendar.Zone, calendar);
        context.SetVariable(prefix + SlaVariables.PausedAt, null);
        return ValueTask.CompletedTask;
    }
}
