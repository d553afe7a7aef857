using ComplaintWorkflows.Activities.Surveys;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>What the web survey page needs (no personal data: the link alone proves nothing about who holds it).</summary>
public sealed record PublicSurveyPage(
    string TrackingNumber,
    string RespondentName,
    DateTimeOffset? ClosedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<PublicSurveyIndicator> Indicators,
    IReadOnlyList<PublicSurveyScale> Scale);

public sealed record PublicSurveyIndicator(string Key, string Label);

public sealed record PublicSurveyScale(int Value, string Label);

/// <summary>
/// The survey link of an email or SMS, without sign-in: <c>GET /api/public/survey?token=</c> for the page and
/// <c>POST</c> for the answer (six indicators 1-5 and a comment), which takes the same path as
/// <c>POST /api/complaints/{id}/survey</c>. A malformed, forged, expired, used or closed link gets a Problem Details
/// answer saying which.
/// </summary>
public static class PublicSurveyApi
{
    public static IEndpointRouteBuilder MapPublicSurveyApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/public").WithTags("Surveys");
        api.MapGet("/survey", GetAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Survey)
            .WithName("GetPublicSurvey")
            .WithSummary("The survey a signed link stands for: the complaint's tracking number and respondent, the link's expiry, the six indicators and the scale.");
        api.MapPost("/survey", AnswerAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Survey)
            .WithName("AnswerPublicSurvey")
            .WithSummary("Answers the survey of a signed link (six indicators 1-5, comment); the link cannot be used again.");
        return endpoints;
    }

    private static async Task<Results<Ok<PublicSurveyPage>, ProblemHttpResult>> GetAsync(string? token, SurveyInvitations invitations, CancellationToken cancellationToken)
    {
        var lookup = await invitations.FindByTokenAsync(token, cancellationToken).ConfigureAwait(false);
        if (lookup.Survey is not { } survey)
        {
            return Problem(lookup.Problem!);
        }

        return TypedResults.Ok(new PublicSurveyPage(
            survey.Complaint.TrackingNumber,
            survey.Complaint.RespondentName,
            survey.Complaint.ClosedAt,
            survey.Invitation.ExpiresAt,
            [.. SurveyAnswers.Indicators.Select(i => new PublicSurveyIndicator(i.Key, i.Label))],
            [.. SurveyAnswers.Scale.Select(s => new PublicSurveyScale(s.Value, s.Label))]));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        string? token, SurveyBody body, SurveyInvitations invitations, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var lookup = await invitations.FindByTokenAsync(token, cancellationToken).ConfigureAwait(false);
        if (lookup.Survey is not { } survey)
        {
            return Problem(lookup.Problem!);
        }

        var errors = SurveyAnswers.Validate(body, allRequired: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "评价不完整或有误 (The survey answer is incomplete or invalid)");
        }

        if (!await SurveyAnswers.CorrelateAsync(engine, survey.Complaint.Id, body, "web", cancellationToken).ConfigureAwait(false))
        {
            // Another answer (a second click, an SMS reply) got there first, or the survey moved on.
            var again = await invitations.FindByTokenAsync(token, cancellationToken).ConfigureAwait(false);
            return Problem(again.Problem ?? SurveyInvitations.ProblemClosed);
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Problem(string code) => code switch
    {
        SurveyInvitations.ProblemMalformed => TypedResults.Problem(title: "评价链接无效 (Invalid survey link)",
            detail: "链接不完整或格式不正确，请从短信或邮件中完整复制链接 (the token is missing or malformed; copy the whole link from the message).",
            statusCode: StatusCodes.Status400BadRequest, extensions: Code(code)),
        SurveyInvitations.ProblemForged => TypedResults.Problem(title: "评价链接无效 (Unknown survey link)",
            detail: "没有与此链接对应的回访，链接可能被改动过 (no survey matches this link; it may have been altered).",
            statusCode: StatusCodes.Status404NotFound, extensions: Code(code)),
        SurveyInvitations.ProblemExpired => TypedResults.Problem(title: "评价链接已过期 (Survey link expired)",
            detail: "此评价链接已超过有效期，工作人员将电话回访 (the link has expired; staff will call you).",
            statusCode: StatusCodes.Status410Gone, extensions: Code(code)),
        SurveyInvitations.ProblemUsed => TypedResults.Problem(title: "已评价 (Already answered)",
            detail: "此回访已经评价过，感谢您的反馈；链接不能重复使用 (this survey has been answered; the link cannot be used again).",
            statusCode: StatusCodes.Status409Conflict, extensions: Code(code)),
        _ => TypedResults.Problem(title: "回访已结束 (Survey closed)",
            detail: "此回访已不再接受网上评价（已转电话回访或已结束） (this survey no longer takes answers on the web).",
            statusCode: StatusCodes.Status409Conflict, extensions: Code(SurveyInvitations.ProblemClosed)),
    };

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}
