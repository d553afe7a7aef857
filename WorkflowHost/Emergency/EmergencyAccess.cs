using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>Who may call the emergency, risk-notice, roster and case-library endpoints, and their validation answers.</summary>
internal static class EmergencyAccess
{
    public const string Tag = "Emergency";

    public static (StaffUser? User, ProblemHttpResult? Problem) Staff(HttpContext http, params string[] roles)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return (null, Problems.Unauthenticated());
        }

        if (!user.IsStaff || (roles.Length > 0 && !user.Is(RoleNames.Administrator) && !roles.Any(user.Is)))
        {
            return (null, Problems.Forbidden(roles.Length == 0 ? "仅供工作人员使用 (Staff only)." : $"需要以下角色之一：{string.Join("、", roles)} (needs one of these roles)."));
        }

        return (user, null);
    }

    public static ValidationProblem Invalid(IncidentValidationException e, string title) => TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: title);
}
