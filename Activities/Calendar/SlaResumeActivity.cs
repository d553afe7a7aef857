using System.Globalization;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>Restarts a paused deadline's clock: moves <c>&lt;prefix&gt;DueAt</c> and <c>&lt;prefix&gt;WarnAt</c> later by the pause.</summary>
[Activity("sla.resume", DisplayName = "恢复计时 (Resume deadline)", Category = "时限 (Deadlines)",
    Description = "检测、鉴定结束后恢复计时，期限和预警时间顺延暂停的时长（工作日期限按暂停的工作日数顺延）。Restarts the clock; the deadline and warning move later by the pause.")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Required = true)]
public sealed class SlaResumeActivity(SlaClock clock, WorkingCalendar calendar) : IActivity
{
    public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = context.GetInput<string>("variablePrefix")!;
        DateTimeOffset? Read(string name) => context.GetVariable(prefix + name) is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
        if (Read("PausedAt") is not { } pausedAt || Read("DueAt") is not { } due)
        {
            return ValueTask.CompletedTask;
        }

        var unit = Enum.TryParse<DeadlineUnit>(context.GetVariable(prefix + "Unit") as string, out var u) ? u : DeadlineUnit.WorkingDays;
        var (newDue, newWarn) = clock.Resume(unit, due, Read("WarnAt") ?? due, pausedAt, context.Time.GetUtcNow());
        context.SetVariable(prefix + "DueAt", SlaClock.Format(newDue, calendar.Zone));
        context.SetVariable(prefix + "WarnAt", SlaClock.Format(newWarn, calendar.Zone));
        context.SetVariable(prefix + "PausedAt", null);
        return ValueTask.CompletedTask;
    }
}
