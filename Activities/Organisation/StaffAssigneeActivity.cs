using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>Who gets a task now: the A/B partner of an absent person, the duty officer out of hours, else the preferred person or the least-loaded member of the role.</summary>
[Activity("staff.assignee", DisplayName = "确定任务接收人 (Task assignee)", Category = "组织人员 (Organisation)",
    Description = "确定现在应接收任务的人：请假时由A/B岗搭档接收，非工作时间由值班人员接收，否则为指定人员或该角色中在办件最少的人。Who should get the task now.")]
[ActivityInput("userName", VariableType.String, DisplayName = "指定人员 (Preferred person)")]
[ActivityInput("unitId", VariableType.String, DisplayName = "单位 (Unit)")]
[ActivityInput("role", VariableType.String, DisplayName = "角色 (Role)", Default = StaffRoles.DeskOfficer,
    Description = "无指定人员时由该角色接收：desk_officer、handler、reviewer、leader")]
[ActivityOutput("assignee", VariableType.String, DisplayName = "接收人 (Assignee)")]
[ActivityOutput("assigneeReason", VariableType.String, DisplayName = "理由 (Reason)")]
public sealed class StaffAssigneeActivity(AssigneeResolver assignees) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = context.GetInput<string>("role") is { Length: > 0 } given ? given.Trim() : StaffRoles.DeskOfficer;
        if (!StaffRoles.All.Contains(role, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Input 'role' of staff.assignee at element '{context.ElementId}' is '{role}'; expected one of {string.Join(", ", StaffRoles.All)}.");
        }

        var choice = await assignees.ResolveAsync(context.GetInput<string>("userName"), context.GetInput<string>("unitId"), role, true, cancellationToken).ConfigureAwait(false);
        context.SetOutput("assignee", choice.UserName);
        context.SetOutput("assigneeReason", choice.Reason);
    }
}
