using System.Globalization;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>The duty roster (值班表) per unit and month, and the reminders sent about it.</summary>
public static class DutyRosterApi
{
    public static IEndpointRouteBuilder MapDutyRosterApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags(EmergencyAccess.Tag);
        api.MapGet("/duty-roster", GetRosterAsync).WithName("GetDutyRoster")
            .WithSummary("A unit's weekend and holiday duty schedule for a month (yyyy-MM), the days still without anyone and the due date (23rd of the month before).");
        api.MapPut("/duty-roster/{unitId}/{month}", SaveRosterAsync).WithName("SaveDutyRoster")
            .WithSummary("Replaces a unit's duty schedule for a month (administrators, the unit's leader or desk officers).");
        api.MapGet("/duty-roster/reminders", GetRemindersAsync).WithName("GetDutyRosterReminders")
            .WithSummary("The reminders sent about a month's schedules (to desk officers before the due day, to leaders after it).");
        return endpoints;
    }

    private static async Task<Results<Ok<UnitRoster>, ValidationProblem, ProblemHttpResult>> GetRosterAsync(string? unitId, string? month, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http);
        if (problem is not null)
        {
            return problem;
        }

        if (!DutyRosterService.TryParseMonth(month, out var first))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM)."] });
        }

        var unit = string.IsNullOrWhiteSpace(unitId) ? user!.UnitId : unitId.Trim();
        if (unit is null || await roster.GetAsync(unit, first, cancellationToken).ConfigureAwait(false) is not { } result)
        {
            return Problems.NotFoundProblem($"单位“{unit}”不存在 (No unit {unit}).");
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<UnitRoster>, ValidationProblem, ProblemHttpResult>> SaveRosterAsync(string unitId, string month, RosterBody body, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
        if (problem is not null)
        {
            return problem;
        }

        if (!user!.Is(RoleNames.Administrator) && user.UnitId != unitId)
        {
            return Problems.Forbidden("只能编排本单位的值班表 (You can only schedule your own unit).");
        }

        if (!DutyRosterService.TryParseMonth(month, out var first))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM)."] });
        }

        try
        {
            var days = (body.Days ?? []).Select(d => new RosterDay(d.Date, false, d.UserNames ?? [])).ToList();
            return TypedResults.Ok(await roster.SaveAsync(unitId, first, days, cancellationToken).ConfigureAwait(false));
        }
        catch (IncidentValidationException e)
        {
            return EmergencyAccess.Invalid(e, "值班表有误 (The duty schedule is invalid)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<RosterReminder>>, ValidationProblem, ProblemHttpResult>> GetRemindersAsync(string? month, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        if (!DutyRosterService.TryParseMonth(month, out var first))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM)."] });
        }

        return TypedResults.Ok(await roster.RemindersAsync(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false));
    }
}
