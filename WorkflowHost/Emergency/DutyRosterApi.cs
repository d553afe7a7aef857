using System.Globalization;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>A day of a month's duty roster as it is saved: the date and who is on duty.</summary>
public sealed record RosterDayBody(DateOnly Date, IReadOnlyList<string>? UserNames);

/// <summary>A unit's duty roster for a month, every day someone is on duty (days left out have nobody).</summary>
public sealed record RosterBody(IReadOnlyList<RosterDayBody>? Days);

/// <summary>
/// The duty roster (值班表), the only API for it: a unit's roster per day for a month or a period, read by the staff;
/// a unit's month replaced as a whole by administrators, or by the unit's own leader or desk officers (the units
/// enter their schedules and are reminded when next month's is incomplete); the reminders sent. Invalid input
/// answers a validation problem naming each field.
/// </summary>
public static class DutyRosterApi
{
    private const string MonthFormat = "月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM).";

    public static IEndpointRouteBuilder MapDutyRosterApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Organisation");
        api.MapGet("/duty-roster", GetRosterAsync).WithName("GetDutyRoster")
            .WithSummary("A unit's duty roster (值班表), every day with who is on duty, for a month (yyyy-MM, default this month) or from/to (at most a year); "
                + "the weekend and holiday days still without anyone; for a month its due date (the 23rd of the month before). Default unit: the caller's. Staff.");
        api.MapPut("/duty-roster/{unitId}/{month}", SaveRosterAsync).WithName("SaveDutyRoster")
            .WithSummary("Replaces a unit's duty roster for a month (yyyy-MM) with the days given, each with its duty officers, active members of the unit "
                + "(administrators; the unit's own leader or desk officers).");
        api.MapGet("/duty-roster/reminders", GetRemindersAsync).WithName("GetDutyRosterReminders")
            .WithSummary("The reminders sent about a month's rosters (to desk officers before the due day, to leaders after it). Staff.");
        return endpoints;
    }

    private static async Task<Results<Ok<UnitRoster>, ValidationProblem, ProblemHttpResult>> GetRosterAsync(
        string? unitId, string? month, DateOnly? from, DateOnly? to, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (start, end) = Period(month, from, to, roster, errors);
        var unit = string.IsNullOrWhiteSpace(unitId) ? user!.UnitId : unitId.Trim();
        if (unit is null)
        {
            errors["unitId"] = ["请指定单位 (unitId is required: you belong to no unit)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "值班表查询条件有误 (The roster query is invalid)");
        }

        return await roster.GetAsync(unit!, start, end, cancellationToken).ConfigureAwait(false) is { } result
            ? TypedResults.Ok(result)
            : Problems.NotFoundProblem($"单位“{unit}”不存在 (No unit {unit}).");
    }

    /// <summary>The period asked for: a month, or from and to together (to not before from, at most a year after), or else this month.</summary>
    private static (DateOnly From, DateOnly To) Period(string? month, DateOnly? from, DateOnly? to, DutyRosterService roster, Dictionary<string, string[]> errors)
    {
        if (month is not null)
        {
            if (from is not null || to is not null)
            {
                errors["month"] = ["请给出月份或起止日期之一 (give either month or from and to)."];
            }
            else if (!DutyRosterService.TryParseMonth(month, out var first))
            {
                errors["month"] = [MonthFormat];
            }
            else
            {
                return (first, first.AddMonths(1).AddDays(-1));
            }

            return default;
        }

        if (from is null && to is null)
        {
            var today = roster.Today();
            var first = new DateOnly(today.Year, today.Month, 1);
            return (first, first.AddMonths(1).AddDays(-1));
        }

        if (from is not { } start || to is not { } end)
        {
            errors[from is null ? "from" : "to"] = ["开始日期和结束日期须同时给出 (from and to go together)."];
        }
        else if (end < start)
        {
            errors["to"] = ["结束日期不能早于开始日期 (to is before from)."];
        }
        else if (end.DayNumber - start.DayNumber > DutyRosterService.MaxPeriodDays)
        {
            errors["to"] = ["一次最多查询一年的值班表 (at most one year at a time)."];
        }
        else
        {
            return (start, end);
        }

        return default;
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
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [MonthFormat] });
        }

        try
        {
            var days = (body.Days ?? []).Select(d => new RosterDay(d.Date, false, d.UserNames ?? [])).ToList();
            return TypedResults.Ok(await roster.SaveAsync(unitId, first, days, cancellationToken).ConfigureAwait(false));
        }
        catch (OrganisationValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "值班表有误 (The duty schedule is invalid)");
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
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [MonthFormat] });
        }

        return TypedResults.Ok(await roster.RemindersAsync(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false));
    }
}
