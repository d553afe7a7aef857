using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>A/B partner (AB岗) of a staff member; null clears it.</summary>
public sealed record PartnerBody(string? PartnerUserName);

/// <summary>
/// The organisation under <c>/api/admin</c>: units, departments, staff members and their A/B partners, and absences
/// (the partner takes the tasks meanwhile); the duty roster (值班表) is <see cref="Emergency.DutyRosterApi"/>'s. Anyone
/// on the staff may read (the pages' pickers need it); administrators change. Invalid input answers a validation
/// problem naming each field.
/// </summary>
public static class OrganisationAdminApi
{
    public static IEndpointRouteBuilder MapOrganisationAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin").WithTags("Organisation");
        admin.MapGet("/units", (HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => ReadAsync(http, () => organisation.ListUnitsAsync(cancellationToken)))
            .WithName("GetUnits").WithSummary("Every unit: the intake centre, county bureaus and supervision stations, with their regions.");
        admin.MapPost("/units", (Unit body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => CreateAsync(http, () => organisation.AddUnitAsync(body, cancellationToken), u => $"/api/admin/units/{u.Id}"))
            .WithName("AddUnit").WithSummary("Adds a unit.");
        admin.MapPut("/units/{id}", (string id, Unit body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => UpdateAsync(http, () => organisation.UpdateUnitAsync(With(body, id), cancellationToken)))
            .WithName("UpdateUnit").WithSummary("Changes a unit (name, kind, parent, regions, contact, active).");

        admin.MapGet("/departments", (string? unitId, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => ReadAsync(http, () => organisation.ListDepartmentsAsync(unitId, cancellationToken)))
            .WithName("GetDepartments").WithSummary("Departments (科室), optionally of one unit, with what they handle.");
        admin.MapPost("/departments", (Department body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => CreateAsync(http, () => organisation.AddDepartmentAsync(body, cancellationToken), d => $"/api/admin/departments/{d.Id}"))
            .WithName("AddDepartment").WithSummary("Adds a department to a unit.");
        admin.MapPut("/departments/{id}", (string id, Department body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => UpdateAsync(http, () => organisation.UpdateDepartmentAsync(With(body, id), cancellationToken)))
            .WithName("UpdateDepartment").WithSummary("Changes a department.");

        admin.MapGet("/staff", (string? unitId, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => ReadAsync(http, () => organisation.ListStaffAsync(unitId, cancellationToken)))
            .WithName("GetStaff").WithSummary("Staff members (unit, department, roles, skills, A/B partner), optionally of one unit.");
        admin.MapPost("/staff", (StaffMember body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => CreateAsync(http, () => organisation.AddStaffAsync(body, cancellationToken), s => $"/api/admin/staff/{Uri.EscapeDataString(s.UserName)}"))
            .WithName("AddStaffMember").WithSummary("Adds a staff member to the organisation (the sign-in user of the same name is made under /api/admin/users).");
        admin.MapPut("/staff/{userName}", (string userName, StaffMember body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => UpdateAsync(http, () => organisation.UpdateStaffAsync(With(body, userName), cancellationToken)))
            .WithName("UpdateStaffMember").WithSummary("Changes a staff member.");
        admin.MapPut("/staff/{userName}/partner", SetPartnerAsync)
            .WithName("SetStaffPartner").WithSummary("Sets or clears a staff member's A/B partner (AB岗), who takes their tasks while they are absent.");

        admin.MapGet("/absences", (string? userName, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => ReadAsync(http, () => organisation.ListAbsencesAsync(userName, null, cancellationToken)))
            .WithName("GetAbsences").WithSummary("Absences (leave, training, trips), optionally of one member.");
        admin.MapPost("/absences", (Absence body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => CreateAsync(http, () => organisation.AddAbsenceAsync(body, cancellationToken), a => $"/api/admin/absences/{a.Id}"))
            .WithName("AddAbsence").WithSummary("Records an absence; meanwhile the A/B partner gets the member's tasks.");
        admin.MapDelete("/absences/{id:long}", (long id, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
                => DeleteAsync(http, () => organisation.RemoveAbsenceAsync(id, cancellationToken), $"缺勤记录 {id}"))
            .WithName("RemoveAbsence").WithSummary("Removes an absence.");
        return endpoints;
    }

    internal static ProblemHttpResult? Check(HttpContext http, bool write)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (write ? !user.Is(RoleNames.Administrator) : !user.IsStaff)
        {
            return Problems.Forbidden(write ? "只有管理员可以修改组织机构 (Only administrators change the organisation)." : "仅供工作人员查看 (Staff only).");
        }

        return null;
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> ReadAsync<T>(HttpContext http, Func<Task<T>> read)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(await read().ConfigureAwait(false));

    private static async Task<Results<Created<T>, ValidationProblem, ProblemHttpResult>> CreateAsync<T>(HttpContext http, Func<Task<T>> add, Func<T, string> location)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            var added = await add().ConfigureAwait(false);
            return TypedResults.Created(location(added), added);
        }
        catch (OrganisationValidationException e)
        {
            return Invalid(e);
        }
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> UpdateAsync<T>(HttpContext http, Func<Task<T>> update)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await update().ConfigureAwait(false));
        }
        catch (OrganisationValidationException e) when (e.Errors.Values.SelectMany(v => v).Any(m => m.Contains("not found)", StringComparison.Ordinal))
            && e.Errors.Keys.All(k => k is "id" or "userName"))
        {
            return Problems.NotFoundProblem(string.Join(" ", e.Errors.Values.SelectMany(v => v)));
        }
        catch (OrganisationValidationException e)
        {
            return Invalid(e);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, Func<Task<bool>> remove, string what)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        return await remove().ConfigureAwait(false) ? TypedResults.NoContent() : Problems.NotFoundProblem($"{what}不存在 ({what} not found).");
    }

    private static async Task<Results<Ok<StaffMember>, ValidationProblem, ProblemHttpResult>> SetPartnerAsync(string userName, PartnerBody body, HttpContext http, OrganisationService organisation, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        if (await organisation.GetStaffAsync(userName, cancellationToken).ConfigureAwait(false) is not { } member)
        {
            return Problems.NotFoundProblem($"人员“{userName}”不在人员名册中 (staff member {userName} not found).");
        }

        member.PartnerUserName = string.IsNullOrWhiteSpace(body.PartnerUserName) ? null : body.PartnerUserName.Trim();
        try
        {
            return TypedResults.Ok(await organisation.UpdateStaffAsync(member, cancellationToken).ConfigureAwait(false));
        }
        catch (OrganisationValidationException e)
        {
            return Invalid(e);
        }
    }

    private static ValidationProblem Invalid(OrganisationValidationException e)
        => TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "组织机构信息有误 (The organisation data has errors)");

    private static Unit With(Unit unit, string id)
    {
        unit.Id = id;
        return unit;
    }

    private static Department With(Department department, string id)
    {
        department.Id = id;
        return department;
    }

    private static StaffMember With(StaffMember member, string userName)
    {
        member.UserName = userName;
        return member;
    }
}
