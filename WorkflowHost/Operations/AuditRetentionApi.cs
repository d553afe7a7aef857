using System.Text.Json;
using ComplaintWorkflows.Activities.Operations;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// <c>/api/admin</c>, administrators only: the audit log, the retention runs (and running one now), and a consumer's data
/// exported or erased on request (by phone number, found through the lookup hashes). Every export, erasure and run
/// writes an audit entry.
/// </summary>
public static class AuditRetentionApi
{
    public const string Tag = "Operations";

    public static IEndpointRouteBuilder MapAuditRetentionApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin").WithTags(Tag).RequireAuthorization(Policies.Administrator);
        api.MapGet("/audit", GetAuditAsync)
            .WithName("GetAuditLog")
            .WithSummary("The administrators' audit log, latest first: filter by actor, action (a code or its first part, e.g. user), target and time (from inclusive, to exclusive); page and pageSize.");
        api.MapGet("/retention/runs", GetRunsAsync)
            .WithName("GetRetentionRuns")
            .WithSummary("The latest retention cleanup runs with what each removed or anonymised.");
        api.MapPost("/retention/run", RunRetentionAsync)
            .WithName("RunRetention")
            .WithSummary("Runs the retention cleanup now (as the daily job does).");
        api.MapGet("/consumers/{phone}/export", ExportAsync)
            .WithName("ExportConsumerData")
            .WithSummary("Everything stored about a phone number, in clear: complaints, timelines, closing records, notifications, SMS, survey invitations and answers, attachments' descriptions.");
        api.MapPost("/consumers/{phone}/erase", EraseAsync)
            .WithName("EraseConsumerData")
            .WithSummary("Erases a phone number's personal data: complaints anonymised, notifications, SMS records and files removed, archive entries redacted. Refused (409) while one of its complaints is still being handled.");
        return endpoints;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> GetAuditAsync(
        AuditLog audit, IOptions<AuditOptions> options, CancellationToken cancellationToken,
        string? actor = null, string? action = null, string? target = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["页码从 1 开始 (page starts at 1)."];
        }

        if (pageSize < 1 || pageSize > options.Value.MaxPageSize)
        {
            errors["pageSize"] = [$"每页条数应在 1 到 {options.Value.MaxPageSize} 之间 (pageSize must be 1 to {options.Value.MaxPageSize}, Workflows:Audit:MaxPageSize)."];
        }

        if (from is not null && to is not null && to <= from)
        {
            errors["to"] = ["结束时间应晚于开始时间 (to must be after from)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await audit.QueryAsync(new AuditQuery(actor, action, target, from, to, page, pageSize), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<IReadOnlyList<RetentionRun>>> GetRunsAsync(RetentionService retention, CancellationToken cancellationToken, int take = 20)
        => TypedResults.Ok(await retention.RunsAsync(Math.Clamp(take, 1, 500), cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<RetentionRun>> RunRetentionAsync(HttpContext http, RetentionService retention, AuditLog audit, IOptions<WorkflowsOptions> workflows, CancellationToken cancellationToken)
    {
        var actor = http.User.Identity?.Name ?? "anonymous";
        var (run, _) = await RetentionRuns.RunAndAuditAsync(retention, audit, actor, workflows.Value.EffectiveNodeName, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(run);
    }

    private static async Task<Results<Ok<ConsumerExport>, ValidationProblem>> ExportAsync(string phone, HttpContext http, ConsumerDataService consumers, AuditLog audit, CancellationToken cancellationToken)
    {
        if (BadPhone(phone) is { } bad)
        {
            return bad;
        }

        var export = await consumers.ExportAsync(phone, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(http.User.Identity?.Name ?? "anonymous", AuditActions.ConsumerExport, PersonalData.MaskPhone(export.Phone), StatusCodes.Status200OK,
            JsonSerializer.Serialize(new { complaints = export.Complaints.Count, notifications = export.Notifications.Count, sms = export.SmsSent.Count + export.SmsReceipts.Count + export.SmsReplies.Count, surveyAnswers = export.SurveyAnswers.Count }),
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(export);
    }

    private static async Task<Results<Ok<ErasureCounts>, ValidationProblem, ProblemHttpResult>> EraseAsync(string phone, HttpContext http, ConsumerDataService consumers, AuditLog audit, CancellationToken cancellationToken)
    {
        if (BadPhone(phone) is { } bad)
        {
            return bad;
        }

        var actor = http.User.Identity?.Name ?? "anonymous";
        var masked = PersonalData.MaskPhone(ComplaintWorkflows.Activities.Complaints.ComplaintIntakeService.NormalizePhone(phone));
        try
        {
            var counts = await consumers.EraseAsync(phone, cancellationToken).ConfigureAwait(false);
            await audit.RecordAsync(actor, AuditActions.ConsumerErase, masked, StatusCodes.Status200OK, JsonSerializer.Serialize(counts), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(counts);
        }
        catch (ComplaintsStillOpenException e)
        {
            await audit.RecordAsync(actor, AuditActions.ConsumerErase, masked, StatusCodes.Status409Conflict, JsonSerializer.Serialize(new { open = e.ComplaintIds }), cancellationToken).ConfigureAwait(false);
            return TypedResults.Problem(title: "投诉仍在办理 (Complaints still open)", detail: e.Message, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["code"] = "complaints-open", ["complaintIds"] = e.ComplaintIds });
        }
    }

    private static ValidationProblem? BadPhone(string phone)
        => ComplaintWorkflows.Activities.Complaints.ComplaintIntakeService.NormalizePhone(phone ?? "") is { Length: >= 5 and <= 20 }
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["路径中的电话号码无效，应为 5 到 20 位数字 (the phone number in the path must have 5 to 20 digits)."] });
}
