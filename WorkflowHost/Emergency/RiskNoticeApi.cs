using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.RiskNotices;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>Risk notices (风险提示函), their letter template and the industry regulator directory (行业主管部门名录).</summary>
public static class RiskNoticeApi
{
    public static IEndpointRouteBuilder MapRiskNoticeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags(EmergencyAccess.Tag);
        api.MapGet("/risk-notices", ListNoticesAsync).WithName("ListRiskNotices").WithSummary("Risk notices (风险提示函), newest first.");
        api.MapGet("/risk-notices/{id}", GetNoticeAsync).WithName("GetRiskNotice").WithSummary("One risk notice with its letter.");
        api.MapGet("/admin/risk-notice-template", GetTemplateAsync).WithName("GetRiskNoticeTemplate").WithSummary("The risk notice letter template and its placeholders.");
        api.MapPut("/admin/risk-notice-template", SaveTemplateAsync).WithName("SaveRiskNoticeTemplate").WithSummary("Changes the risk notice letter template (administrators).");
        api.MapGet("/admin/regulators", ListRegulatorsAsync).WithName("ListRegulators").WithSummary("The industry regulators on record (行业主管部门名录).");
        api.MapPost("/admin/regulators", AddRegulatorAsync).WithName("AddRegulator").WithSummary("Records an industry's regulator (administrators).");
        api.MapPut("/admin/regulators/{id:long}", UpdateRegulatorAsync).WithName("UpdateRegulator").WithSummary("Changes an industry's regulator (administrators).");
        api.MapDelete("/admin/regulators/{id:long}", DeleteRegulatorAsync).WithName("DeleteRegulator").WithSummary("Removes an industry's regulator (administrators).");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<RiskNoticeView>>, ProblemHttpResult>> ListNoticesAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var list = await db.Set<RiskNotice>().AsNoTracking().OrderByDescending(n => n.CreatedAt).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<RiskNoticeView>>([.. list.Select(RiskNoticeView.Of)]);
    }

    private static async Task<Results<Ok<RiskNoticeView>, ProblemHttpResult>> GetNoticeAsync(string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notice = await db.Set<RiskNotice>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id || n.Number == id, cancellationToken).ConfigureAwait(false);
        return notice is null ? Problems.NotFoundProblem($"没有风险提示函 {id} (No risk notice {id}).") : TypedResults.Ok(RiskNoticeView.Of(notice));
    }

    private static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> GetTemplateAsync(HttpContext http, RiskNoticeService notices, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        var t = await notices.TemplateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TemplateView(t.Subject, t.Body, RiskNoticeService.Placeholders, t.UpdatedAt, t.UpdatedBy));
    }

    private static async Task<Results<Ok<TemplateView>, ValidationProblem, ProblemHttpResult>> SaveTemplateAsync(TemplateBody body, HttpContext http, RiskNoticeService notices, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Administrator);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var t = await notices.SaveTemplateAsync(body.Subject ?? "", body.Body ?? "", user!.UserName, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new TemplateView(t.Subject, t.Body, RiskNoticeService.Placeholders, t.UpdatedAt, t.UpdatedBy));
        }
        catch (IncidentValidationException e)
        {
            return EmergencyAccess.Invalid(e, "风险提示函模板有误 (The template is invalid)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<IndustryRegulator>>, ProblemHttpResult>> ListRegulatorsAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<IndustryRegulator>>(await db.Set<IndustryRegulator>().AsNoTracking().OrderBy(r => r.Industry).ToListAsync(cancellationToken).ConfigureAwait(false));
    }

    private static Dictionary<string, string[]> CheckRegulator(RegulatorBody body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body.Industry) || body.Industry.Trim().Length > 64)
        {
            errors["industry"] = ["请填写行业（不超过 64 字） (industry is required, at most 64 characters)."];
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
        {
            errors["name"] = ["请填写主管部门名称（不超过 200 字） (name is required, at most 200 characters)."];
        }

        if (!string.IsNullOrWhiteSpace(body.Email) && (body.Email.Length > 254 || !body.Email.Contains('@', StringComparison.Ordinal)))
        {
            errors["email"] = ["电子邮箱格式不正确 (email is not an e-mail address)."];
        }

        return errors;
    }

    private static async Task<Results<Created<IndustryRegulator>, ValidationProblem, ProblemHttpResult>> AddRegulatorAsync(RegulatorBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        var errors = CheckRegulator(body);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (errors.Count == 0 && await db.Set<IndustryRegulator>().AnyAsync(r => r.Industry == body.Industry!.Trim(), cancellationToken).ConfigureAwait(false))
        {
            errors["industry"] = [$"行业“{body.Industry!.Trim()}”已有主管部门备案，请修改该条 (already on record; change that entry)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "主管部门信息有误 (The regulator is invalid)");
        }

        var regulator = new IndustryRegulator { Industry = body.Industry!.Trim(), Name = body.Name!.Trim(), Email = body.Email?.Trim(), Address = body.Address?.Trim(), Contact = body.Contact?.Trim() };
        db.Add(regulator);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/admin/regulators/{regulator.Id}", regulator);
    }

    private static async Task<Results<Ok<IndustryRegulator>, ValidationProblem, ProblemHttpResult>> UpdateRegulatorAsync(long id, RegulatorBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        var errors = CheckRegulator(body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "主管部门信息有误 (The regulator is invalid)");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var regulator = await db.Set<IndustryRegulator>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (regulator is null)
        {
            return Problems.NotFoundProblem($"没有主管部门记录 {id} (No regulator {id}).");
        }

        regulator.Industry = body.Industry!.Trim();
        regulator.Name = body.Name!.Trim();
        regulator.Email = body.Email?.Trim();
        regulator.Address = body.Address?.Trim();
        regulator.Contact = body.Contact?.Trim();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(regulator);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRegulatorAsync(long id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<IndustryRegulator>().Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0
            ? TypedResults.NoContent()
            : Problems.NotFoundProblem($"没有主管部门记录 {id} (No regulator {id}).");
    }
}
