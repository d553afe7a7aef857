using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>Closes an incident: its open key is released, so a new situation with the same respondent opens a new incident.</summary>
[Activity("emergency.close", DisplayName = "事件结束 (Close incident)", Category = "应急处置 (Emergencies)",
    Description = "总结评估后关闭事件；此后同一被投诉方的新情况另立事件。Closes the incident after the review; a new situation about the same respondent opens a new one.")]
public sealed class EmergencyCloseActivity(IncidentService incidents) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Time.GetUtcNow();
        await incidents.RecordAsync(context, IncidentContext.IncidentId(context), "closed", (context.GetVariable("drill") is true ? "【演练】" : "") + "事件处置结束 (incident closed)", null, "system", incident =>
        {
            incident.Status = IncidentStatus.Closed;
            incident.ClosedAt = now;
            incident.OpenKey = null;
        }, cancellationToken).ConfigureAwait(false);
    }
}
