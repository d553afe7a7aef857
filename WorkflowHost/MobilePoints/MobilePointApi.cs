using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.MobilePoints;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.MobilePoints;

public sealed record MobilePointBody(string? Name, string? Place, string? UnitId, IReadOnlyList<int>? Weekdays, IReadOnlyList<string>? StaffOnDuty, bool? Active);

public sealed record MobilePointView(string Id, string Name, string Place, string UnitId, IReadOnlyList<int> Weekdays, IReadOnlyList<string> StaffOnDuty, bool Active, DateTimeOffset UpdatedAt, string? UpdatedBy)
{
    public static MobilePointView Of(MobileIntakePoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Name, p.Place, p.UnitId, p.Days(), p.Staff(), p.Active, p.UpdatedAt, p.UpdatedBy);
    }
}

/// <summary>
/// Mobile intake points (流动投诉受理点): administrators keep the list under <c>/api/admin/mobile-points</c>; the staff on
/// duty read their points at <c>/api/mobile-points/mine</c> (the mobile intake page) and file with the channel
/// <c>MobilePoint</c> and the point's id (<see cref="CheckIntakeAsync"/>).
/// </summary>
public static class MobilePointApi
{
    public static IEndpointRouteBuilder MapMobilePointApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/mobile-points").WithTags("Mobile intake points").RequireAuthorization(Policies.Administrator);
        admin.MapGet("", ListAsync).WithName("ListMobilePoints").WithSummary("Every mobile intake point, open or closed.");
        admin.MapPut("/{id}", PutAsync).WithName("PutMobilePoint").WithSummary("Adds or changes a mobile intake point (place, unit, weekdays 1-7, staff on duty).");
        endpoints.MapGroup("/api/mobile-points").WithTags("Mobile intake points").RequireAuthorization(Policies.Staff)
            .MapGet("/mine", MineAsync).WithName("MyMobilePoints").WithSummary("The open points the caller is on duty at (administrators: every open point).");
        return endpoints;
    }

    /// <summary>Why the caller may not file for this point (null: they may): the point must exist, be open, and have the caller on duty (or be filed by an administrator).</summary>
    public static async Task<IResult?> CheckIntakeAsync(IDbContextFactory<DomainDbContext> contexts, StaffUser? user, string pointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var point = await db.Set<MobileIntakePoint>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pointId, cancellationToken).ConfigureAwait(false);
        if (point is not { Active: true })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mobilePointId"] = [$"流动受理点 {pointId} 不存在或已撤销 (No open mobile intake point {pointId})."] },
                title: "投诉登记信息不完整或有误 (The complaint has missing or invalid fields)");
        }

        return user is not null && (user.Is(RoleNames.Administrator) || point.Staff().Contains(user.UserName, StringComparer.Ordinal))
            ? null
            : Problems.Forbidden($"您不在流动受理点“{point.Name}”的值班人员名单中 (You are not on duty at {point.Name}).");
    }

    private static async Task<Ok<List<MobilePointView>>> ListAsync(IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var points = await db.Set<MobileIntakePoint>().AsNoTracking().OrderBy(p => p.UnitId).ThenBy(p => p.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(points.Select(MobilePointView.Of).ToList());
    }

    private static async Task<Results<Ok<List<MobilePointView>>, ProblemHttpResult>> MineAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var points = await db.Set<MobileIntakePoint>().AsNoTracking().Where(p => p.Active).OrderBy(p => p.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(points.Where(p => user.Is(RoleNames.Administrator) || p.Staff().Contains(user.UserName, StringComparer.Ordinal)).Select(MobilePointView.Of).ToList());
    }

    private static async Task<Results<Ok<MobilePointView>, ValidationProblem>> PutAsync(
        string id, MobilePointBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (id.Length is 0 or > 64 || !id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            errors["id"] = ["受理点编号只能包含字母、数字、- 和 _，不超过 64 个字符 (id: letters, digits, - and _, at most 64)."];
        }

        void Text(string field, string? value, int max, string label)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > max)
            {
                errors[field] = [$"请填写{label}（不超过 {max} 字）({field} is required, at most {max} characters)."];
            }
        }

        Text("name", body.Name, 200, "受理点名称");
        Text("place", body.Place, 300, "地点");
        if (string.IsNullOrWhiteSpace(body.UnitId) || !await db.Set<Activities.Organisation.Unit>().AnyAsync(u => u.Id == body.UnitId, cancellationToken).ConfigureAwait(false))
        {
            errors["unitId"] = [$"承办单位 '{body.UnitId}' 不存在 (unitId must name a unit)."];
        }

        var days = body.Weekdays ?? [];
        if (days.Count == 0 || days.Any(d => d is < 1 or > 7))
        {
            errors["weekdays"] = ["请选择每周开放日，1（周一）到 7（周日）(weekdays: at least one of 1 = Monday ... 7 = Sunday)."];
        }

        var staff = (body.StaffOnDuty ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (staff.Count == 0 || staff.Any(s => s.Contains(',', StringComparison.Ordinal)) || string.Join(',', staff).Length > 1000)
        {
            errors["staffOnDuty"] = ["请填写值班人员（用户名）(staffOnDuty: at least one user name)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "流动受理点信息有误 (The mobile intake point is invalid)");
        }

        var point = await db.Set<MobileIntakePoint>().FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (point is null)
        {
            point = new MobileIntakePoint { Id = id, Name = "", Place = "", UnitId = "", Weekdays = "", StaffOnDuty = "" };
            db.Add(point);
        }

        point.Name = body.Name!.Trim();
        point.Place = body.Place!.Trim();
        point.UnitId = body.UnitId!.Trim();
        point.Weekdays = string.Join(',', days.Distinct().Order());
        point.StaffOnDuty = string.Join(',', staff);
        point.Active = body.Active ?? true;
        point.UpdatedAt = time.GetUtcNow();
        point.UpdatedBy = StaffUser.From(http.User)?.UserName;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(MobilePointView.Of(point));
    }
}
