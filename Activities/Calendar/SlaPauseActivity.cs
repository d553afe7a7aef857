using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>Stops a deadline's clock (testing or appraisal, 检测/鉴定, does not count): records <c>&lt;prefix&gt;PausedAt</c>.</summary>
[Activity("sla.pause", DisplayName = "暂停计时 (Pause deadline)", Category = "时限 (Deadlines)",
    Description = "检测、鉴定期间不计入期限：记录暂停时间 <前缀>PausedAt。Stops the clock while testing or appraisal runs; records <prefix>PausedAt.")]
[ActivityInput("variablePrefix", VariableType.String, DisplayName = "变量前缀 (Variable prefix)", Required = true, Description = "如 handling、mediation")]
[ActivityInput("reason", VariableType.String, DisplayName = "原因 (Reason)")]
public sealed class SlaPauseActivity(WorkingCalendar calendar) : IActivity
{
    public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = context.GetInput<string>("variablePrefix")!;
        if (context.GetVariable(prefix + "PausedAt") is null)
        {
            context.SetVariable(prefix + "PausedAt", SlaClock.Format(context.Time.GetUtcNow(), calendar.Zone));
            context.SetVariable(prefix + "PauseReason", context.GetInput<string>("reason"));
        }

        return ValueTask.CompletedTask;
    }
}
