using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Stops a deadline's clock (testing or appraisal, 检测/鉴定, does not count): records <c>&lt;prefix&gt;PausedAt</c> and
/// <c>&lt;prefix&gt;PauseReason</c>. Pausing a deadline that is already paused keeps the first pause.
/// </summary>
[Activity("sla.pause", DisplayName = "暂停计时 (Pause deadline)", Category = "时限 (Deadlines)",
    Description = "检测、鉴定期间不计入期限：记录暂停时间 <前缀>PausedAt 与原因 <前缀>PauseReason；已暂停的不重复记录。Stops the clock while testing or appraisal runs: records <prefix>PausedAt and <prefix>PauseReason (a second pause keeps the first).")]
[ActivityInput("kind", VariableType.String, DisplayName = "期限类型 (Kind)", Description = "如 handling、mediation；未填变量前缀时用作前缀。Used as the prefix when no prefix is given.")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Description = "sla.deadline 使用的前缀。The prefix sla.deadline used.")]
[ActivityInput("reason", VariableType.String, DisplayName = "原因 (Reason)", Description = "如 检测/鉴定")]
public sealed class SlaPauseActivity(WorkingCalendar calendar) : IActivity
{
    public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = SlaVariables.Prefix(context);
        if (SlaVariables.InstantVariable(context, prefix, SlaVariables.DueAt) is null)
        {
            throw new InvalidOperationException($"sla.pause at element '{context.ElementId}': there is no deadline '{prefix}{SlaVariables.DueAt}' to pause; compute it with sla.deadline first (没有可暂停的期限).");
        }

        if (SlaVariables.InstantVariable(context, prefix, SlaVariables.PausedAt) is null)
        {
            context.SetVariable(prefix + SlaVariables.PausedAt, SlaClock.Format(context.Time.GetUtcNow(), calendar.Zone));
            context.SetVariable(prefix + SlaVariables.PauseReason, context.GetInput<string>("reason"));
        }

        return ValueTask.CompletedTask;
    }
}
