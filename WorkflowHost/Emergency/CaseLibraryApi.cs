using System.Text;
using System.Text.Encodings.Web;
using ComplaintWorkflows.Activities.CaseLibrary;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>The case library (典型案例): selection by staff, publication, and its public page and JSON (no sign-in).</summary>
public static class CaseLibraryApi
{
    public static IEndpointRouteBuilder MapCaseLibraryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags(EmergencyAccess.Tag);
        api.MapPost("/case-library/selections", SelectCaseAsync).WithName("SelectTypicalCase")
            .WithSummary("Selects a finished complaint as a typical case; it is anonymised at once and published with its month (leaders, reviewers, administrators).");
        api.MapGet("/case-library/selections", ListSelectionsAsync).WithName("ListTypicalCases").WithSummary("Selected typical cases, published or not (staff).");
        api.MapPost("/admin/case-library/publish", PublishAsync).WithName("PublishTypicalCases").WithSummary("Publishes the cases of past months now (administrators).");
        api.MapGet("/public/cases", PublicCasesAsync).AllowAnonymous().WithName("PublicTypicalCases")
            .WithSummary("Published typical cases (anonymised), optionally of one month; no sign-in.");
        endpoints.MapGet("/cases", CasePageAsync).AllowAnonymous().WithTags(EmergencyAccess.Tag).WithName("TypicalCasesPage")
            .WithSummary("The public page of typical cases (典型案例), server-rendered HTML; no sign-in.");
        return endpoints;
    }

    private static async Task<Results<Created<CaseLibraryEntry>, ValidationProblem, ProblemHttpResult>> SelectCaseAsync(CaseSelectionBody body, HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Leader, RoleNames.Reviewer);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var entry = await cases.SelectAsync(body.ComplaintId ?? "", body.Title, body.Commentary, user!.UserName, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/case-library/selections/{entry.Id}", entry);
        }
        catch (IncidentValidationException e)
        {
            return EmergencyAccess.Invalid(e, "不能选为典型案例 (The case cannot be selected)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseLibraryEntry>>, ProblemHttpResult>> ListSelectionsAsync(HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await cases.SelectedAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<int>, ProblemHttpResult>> PublishAsync(HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await cases.PublishDueAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<IReadOnlyList<PublicCase>>, ValidationProblem>> PublicCasesAsync(string? month, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        if (month is not null && !DutyRosterService.TryParseMonth(month, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM)."] });
        }

        var list = await cases.PublishedAsync(month, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<PublicCase>>([.. list.Select(PublicCase.Of)]);
    }

    private static async Task<ContentHttpResult> CasePageAsync(string? month, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        var valid = month is null || DutyRosterService.TryParseMonth(month, out _);
        var list = valid ? await cases.PublishedAsync(month, cancellationToken).ConfigureAwait(false) : [];
        var h = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>消费投诉典型案例 (Typical cases)</title><style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#222}")
            .Append("article{border-top:1px solid #ddd;padding:1rem 0}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-bottom:.2rem}.meta{color:#666;font-size:.9rem}h3{font-size:1rem;margin:.6rem 0 .2rem}</style></head><body>")
            .Append("<h1>消费投诉典型案例 <small>Typical consumer complaint cases</small></h1>")
            .Append("<p class=\"meta\">案例中的消费者个人信息已作脱敏处理。Personal data in these cases has been removed.</p>");
        if (!valid)
        {
            html.Append("<p>月份格式应为 yyyy-MM (month must be yyyy-MM).</p>");
        }
        else if (list.Count == 0)
        {
            html.Append("<p>暂无已发布的典型案例。No cases published yet.</p>");
        }

        foreach (var c in list)
        {
            html.Append("<article><h2>").Append(h.Encode(c.Title)).Append("</h2><p class=\"meta\">").Append(h.Encode(c.Month)).Append(" · 被投诉方 ").Append(h.Encode(c.RespondentName));
            if (c.ProblemType is { } type)
            {
                html.Append(" · ").Append(h.Encode(type));
            }

            html.Append("</p><h3>基本情况</h3><p>").Append(h.Encode(c.Facts).Replace("&#xA;", "<br>", StringComparison.Ordinal)).Append("</p><h3>处理结果</h3><p>").Append(h.Encode(c.Outcome)).Append("</p>");
            if (c.Commentary is { } commentary)
            {
                html.Append("<h3>案例评析</h3><p>").Append(h.Encode(commentary)).Append("</p>");
            }

            html.Append("</article>");
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8);
    }
}
