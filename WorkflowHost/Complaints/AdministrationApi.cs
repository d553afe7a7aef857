using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// Administration of the rules the processes follow, without a code change: the working-day calendar (one
/// year at a time), deadline rule sets with effective dates, classification rules (keywords and weights)
/// and retraining the classification model from staff corrections. Administrators only; anyone on the
/// staff may read.
/// </summary>
public static class AdministrationApi
{
    public static IEndpointRouteBuilder MapAdministrationApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin").WithTags("Administration");
        admin.MapGet("/calendar", GetCalendarAsync)
            .WithName("GetCalendar")
            .WithSummary("Every year's holidays and make-up working days, and the years not yet entered.");
        admin.MapPut("/calendar/{year:int}", SaveYearAsync)
            .WithName("SaveCalendarYear")
            .WithSummary("Adds or replaces one year's holidays and make-up working days (from the State Council notice).");
        admin.MapGet("/deadline-rule-sets", GetRuleSetsAsync)
            .WithName("GetDeadlineRuleSets")
            .WithSummary("The deadline rule sets and the dates they take effect.");
        admin.MapPost("/deadline-rule-sets", AddRuleSetAsync)
            .WithName("AddDeadlineRuleSet")
            .WithSummary("Adds a rule set for complaints received from its effective date on.");
        admin.MapGet("/classification/rules", GetRulesAsync)
            .WithName("GetClassificationRules")
            .WithSummary("Classification rules (dimension, label, keyword, weight), optionally of one dimension.");
        admin.MapPost("/classification/rules", AddRuleAsync)
            .WithName("AddClassificationRule")
            .WithSummary("Adds a keyword rule.");
        admin.MapPut("/classification/rules/{id:long}", UpdateRuleAsync)
            .WithName("UpdateClassificationRule")
            .WithSummary("Changes a keyword rule.");
        admin.MapDelete("/classification/rules/{id:long}", DeleteRuleAsync)
            .WithName("DeleteClassificationRule")
            .WithSummary("Removes a keyword rule.");
        admin.MapGet("/classification/terms", GetTermsAsync)
            .WithName("GetClassificationTerms")
            .WithSummary("The domain dictionary: brand, product and legal terms the text model treats as words (used from the next retraining).");
        admin.MapPost("/classification/terms", AddTermAsync)
            .WithName("AddClassificationTerm")
            .WithSummary("Adds a domain term (kind brand, product or legal).");
        admin.MapDelete("/classification/terms/{id:long}", DeleteTermAsync)
            .WithName("DeleteClassificationTerm")
            .WithSummary("Removes a domain term.");
        admin.MapPost("/classification/retrain", RetrainAsync)
            .WithName("RetrainClassification")
            .WithSummary("Retrains the classification model from the staff's corrections.");
        return endpoints;
    }

    private static ProblemHttpResult? Check(HttpContext http, bool write)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (write ? !user.Is(RoleNames.Administrator) : !user.IsStaff)
        {
            return Problems.Forbidden(write ? "只有管理员可以修改规则 (Only administrators change the rules)." : "仅供工作人员查看 (Staff only).");
        }

        return null;
    }

    private static async Task<Results<Ok<CalendarView>, ProblemHttpResult>> GetCalendarAsync(HttpContext http, CalendarService calendar, WorkingCalendar working, CancellationToken cancellationToken)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(new CalendarView(await calendar.GetYearsAsync(cancellationToken).ConfigureAwait(false), working.MissingYearNotices()));

    private static async Task<Results<Ok<CalendarYear>, ValidationProblem, ProblemHttpResult>> SaveYearAsync(int year, CalendarYearInput body, HttpContext http, CalendarService calendar, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await calendar.SaveYearAsync(year, body, http.User.Identity!.Name!, cancellationToken).ConfigureAwait(false));
        }
        catch (CalendarValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "工作日历有误 (The calendar has errors)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadlineRuleSet>>, ProblemHttpResult>> GetRuleSetsAsync(HttpContext http, CalendarService calendar, CancellationToken cancellationToken)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(await calendar.GetRuleSetsAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<DeadlineRuleSet>, ValidationProblem, ProblemHttpResult>> AddRuleSetAsync(DeadlineRuleSet body, HttpContext http, CalendarService calendar, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            var added = await calendar.AddRuleSetAsync(body, http.User.Identity!.Name!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/admin/deadline-rule-sets/{added.Id}", added);
        }
        catch (CalendarValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "期限规则有误 (The rule set has errors)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ClassificationRule>>, ProblemHttpResult>> GetRulesAsync(string? dimension, HttpContext http, ClassificationRuleService rules, CancellationToken cancellationToken)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(await rules.ListAsync(dimension, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<ClassificationRule>, ValidationProblem, ProblemHttpResult>> AddRuleAsync(ClassificationRuleDraft body, HttpContext http, ClassificationRuleService rules, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            var rule = await rules.AddAsync(body, http.User.Identity!.Name!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/admin/classification/rules/{rule.Id}", rule);
        }
        catch (ClassificationRuleValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => new[] { x.Value }), title: "分类规则有误 (The rule has errors)");
        }
    }

    private static async Task<Results<Ok<ClassificationRule>, ValidationProblem, ProblemHttpResult>> UpdateRuleAsync(long id, ClassificationRuleDraft body, HttpContext http, ClassificationRuleService rules, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await rules.UpdateAsync(id, body, http.User.Identity!.Name!, cancellationToken).ConfigureAwait(false));
        }
        catch (ClassificationRuleValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => new[] { x.Value }), title: "分类规则有误 (The rule has errors)");
        }
        catch (ClassificationRuleNotFoundException e)
        {
            return Problems.NotFoundProblem(e.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(long id, HttpContext http, ClassificationRuleService rules, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            await rules.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }
        catch (ClassificationRuleNotFoundException e)
        {
            return Problems.NotFoundProblem(e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ClassificationTerm>>, ProblemHttpResult>> GetTermsAsync(HttpContext http, ClassificationTermService terms, CancellationToken cancellationToken)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(await terms.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<ClassificationTerm>, ValidationProblem, ProblemHttpResult>> AddTermAsync(ClassificationTermDraft body, HttpContext http, ClassificationTermService terms, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            var term = await terms.AddAsync(body, http.User.Identity!.Name!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/admin/classification/terms/{term.Id}", term);
        }
        catch (ClassificationRuleValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => new[] { x.Value }), title: "词条有误 (The term has errors)");
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTermAsync(long id, HttpContext http, ClassificationTermService terms, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        return await terms.DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : Problems.NotFoundProblem($"词条 {id} 不存在 (term {id} not found).");
    }

    private static async Task<Results<Ok<IReadOnlyList<RetrainedModel>>, ProblemHttpResult>> RetrainAsync(HttpContext http, ClassificationModelService models, CancellationToken cancellationToken)
        => Check(http, write: true) is { } problem ? problem : TypedResults.Ok(await models.RetrainAsync(cancellationToken).ConfigureAwait(false));
}

public sealed record CalendarView(IReadOnlyList<CalendarYear> Years, IReadOnlyList<string> Notices);
