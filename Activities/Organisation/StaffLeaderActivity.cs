using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>The unit's leader, for supervision (督办) and approvals.</summary>
[Activity("staff.leader", DisplayName = "确定分管领导 (Unit leader)", Category = "组织人员 (Organisation)",
    Description = "查找单位的分管领导（监管所无领导时取上级区县局），领导不在岗时由其A/B岗搭档接收；用于督办和审批。The unit's leader for supervision; the partner when the leader is absent.")]
[ActivityInput("unitId", VariableType.String, DisplayName = "单位 (Unit)", Required = true)]
[ActivityOutput("leader", VariableType.String, DisplayName = "领导 (Leader)")]
public sealed class StaffLeaderActivity(AssigneeResolver assignees) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var unitId = context.GetInput<string>("unitId")!;
        var leader = await assignees.LeaderAsync(unitId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"单位“{unitId}”及其上级单位没有在岗的分管领导 (no active leader for unit '{unitId}' or its parents): add one in the organisation, then retry element '{context.ElementId}'.");
        context.SetOutput("leader", leader.UserName);
    }
}
