using ComplaintWorkflows.Activities.Archive;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Surveys;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// The complaint API under <c>/api</c>: intake, search, the complaint file with its timeline, surveys and
/// public tracking. Staff see the complaints of their unit (administrators and the intake centre every
/// unit's); consumers only their own; personal data is masked for roles that do not need it.
/// </summary>
public static class ComplaintApi
{
    public static IEndpointRouteBuilder MapComplaintApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Complaints");
        api.MapPost("/complaints", IntakeAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Intake)
            .PerPhone(RateLimits.Intake, s => s.IntakePerPhone, c => [c.Arguments.OfType<IntakeBody>().FirstOrDefault()?.ConsumerPhone is { } phone ? ComplaintIntakeService.NormalizePhone(phone) : null])
            .WithName("FileComplaint")
            .WithSummary("Files a complaint (consumers on the web, anonymous or signed in; desk officers for calls, letters and walk-ins). Send an Idempotency-Key header: a repeated submission returns the same complaint.");
        api.MapGet("/complaints", SearchAsync)
            .WithName("SearchComplaints")
            .WithSummary("Complaints visible to the caller, filtered (status, unit, handler, category, overdue, date range, text) and paged.");
        api.MapGet("/complaints/{id}", GetFileAsync)
            .WithName("GetComplaintFile")
            .WithSummary("The complaint file: the record, its timeline, closing records, case, survey answers and open tasks.");
        api.MapPost("/complaints/{id}/survey", AnswerSurveyAsync)
            .WithName("AnswerSurvey")
            .WithSummary("The consumer's satisfaction survey answer (six indicators 1-5, comment) for a closed complaint.");
        api.MapGet("/consumers/prefill", PrefillAsync)
            .WithName("PrefillConsumer")
            .WithSummary("A returning consumer's details from their latest complaint, by phone number (desk officers).");
        api.MapGet("/public/track", TrackAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Tracking)
            .PerPhone(RateLimits.Tracking, s => s.TrackingPerPhone, c => ["phone:" + ComplaintIntakeService.NormalizePhone(c.GetArgument<string?>(1) ?? ""), "number:" + c.GetArgument<string?>(0)])
            .WithName("TrackComplaint")
            .WithSummary("Public progress of a complaint by tracking number and the phone number it was filed with.");
        api.MapGet("/archive/verify", VerifyArchiveAsync)
            .WithName("VerifyArchive")
            .WithSummary("Checks the archive's hash chain (administrators).");
        return endpoints;
    }

    private static async Task<Results<Created<IntakeAnswer>, Ok<IntakeAnswer>, ValidationProblem, ProblemHttpResult>> IntakeAsync(
        IntakeBody body, HttpContext http, ComplaintIntakeService intake, IDbContextFactory<DomainDbContext> contexts, Activities.Attachments.AttachmentService attachments, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var user = StaffUser.From(http.User);
        var staffIntake = user is not null && (user.Is(RoleNames.DeskOfficer) || user.Is(RoleNames.Administrator));
        if (staffIntake && body.Channel == ComplaintChannel.MobilePoint && !string.IsNullOrWhiteSpace(body.MobilePointId)
            && await MobilePoints.MobilePointApi.CheckIntakeAsync(contexts, user, body.MobilePointId.Trim(), cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused switch
            {
                ValidationProblem invalid => invalid,
                ProblemHttpResult problem => problem,
                _ => throw new InvalidOperationException("Unexpected answer from the mobile point check."),
            };
        }
        var request = new IntakeRequest
        {
            ConsumerName = body.ConsumerName,
            ConsumerPhone = body.ConsumerPhone,
            ConsumerAddress = body.ConsumerAddress,
            ConsumerEmail = body.ConsumerEmail,
            NotifyBy = body.NotifyBy,
            RespondentName = body.RespondentName,
            RespondentAddress = body.RespondentAddress,
            Request = body.Request,
            Facts = body.Facts,
            Channel = staffIntake && body.Channel is { } channel ? channel : ComplaintChannel.Web,
            ReceivedAt = staffIntake ? body.ReceivedAt : null,
            MobilePointId = staffIntake ? body.MobilePointId : null,
        };
        var recordingId = string.IsNullOrWhiteSpace(body.VoiceRecordingId) ? null : body.VoiceRecordingId.Trim();
        if (recordingId is not null && await attachments.GetRecordingAsync(recordingId, cancellationToken).ConfigureAwait(false) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["voiceRecordingId"] = [$"录音 {recordingId} 不存在或已过期，请重新录音 (no such recording)."] },
                title: "投诉登记信息不完整或有误 (The complaint has missing or invalid fields)");
        }

        try
        {
            var consumerId = user is { IsStaff: false } ? user.UserId : null;
            var result = await intake.RegisterAsync(request, idempotencyKey, consumerId, user?.UserName ?? "consumer", cancellationToken).ConfigureAwait(false);
            if (recordingId is not null)
            {
                await attachments.LinkRecordingAsync(recordingId, result.Complaint.Id, user?.UserName ?? "consumer", fromConsumer: user is not { IsStaff: true }, cancellationToken).ConfigureAwait(false);
            }

            var answer = new IntakeAnswer(result.Complaint.Id, result.Complaint.TrackingNumber, result.Complaint.Status, result.Duplicate);
            return result.Duplicate ? TypedResults.Ok(answer) : TypedResults.Created($"/api/complaints/{answer.Id}", answer);
        }
        catch (IntakeValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "投诉登记信息不完整或有误 (The complaint has missing or invalid fields)");
        }
    }

    private static async Task<Results<Ok<Page<ComplaintSummary>>, ProblemHttpResult>> SearchAsync(
        [AsParameters] ComplaintSearch search, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (!string.IsNullOrWhiteSpace(search.Phone) && !user.Is(RoleNames.DeskOfficer) && !user.Is(RoleNames.Administrator))
        {
            return Problems.Forbidden("只有受理员可以按投诉人电话查找 (Only desk officers may search by a consumer's phone number).");
        }

        (DateTimeOffset ReceivedAt, string Id)? after = null;
        if (!string.IsNullOrEmpty(search.After))
        {
            if (ParseCursor(search.After) is not { } cursor)
            {
                return TypedResults.Problem(title: "翻页参数无效 (Invalid page cursor)", detail: $"after={search.After} is not the 'next' of a page of this search.",
                    statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = "invalid" });
            }

            after = cursor;
        }

        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = await FilterAsync(db, ComplaintAccess.Visible(db.Set<Complaint>().AsNoTracking(), user), search, now, cancellationToken).ConfigureAwait(false);
        var pageSize = Math.Clamp(search.PageSize ?? 20, 1, 100);
        var page = after is null ? Math.Max(search.Page ?? 1, 1) : 1;
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var ordered = query;
        if (after is { } position)
        {
            var (at, id) = position;
            ordered = ordered.Where(c => c.ReceivedAt < at || (c.ReceivedAt == at && c.Id.CompareTo(id) < 0));
        }

        var items = await ordered.OrderByDescending(c => c.ReceivedAt).ThenByDescending(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        var next = items.Count == pageSize ? Cursor(items[^1]) : null;
        return TypedResults.Ok(new Page<ComplaintSummary>(total, page, pageSize, [.. items.Select(c => ComplaintSummary.Of(c, user, now))], next));
    }

    /// <summary>The keyset cursor after a complaint: its receipt time (Unix ms) and id.</summary>
    private static string Cursor(Complaint last) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{last.ReceivedAt.ToUnixTimeMilliseconds()}_{last.Id}");

    private static (DateTimeOffset, string)? ParseCursor(string cursor)
        => cursor.Split('_', 2) is [var ms, var id] && id.Length > 0 && long.TryParse(ms, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var millis)
            && millis <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? (DateTimeOffset.FromUnixTimeMilliseconds(millis), id)
            : null;

    /// <summary>The search's filters (status, unit, handler, category, dates, report, phone, respondent, text, overdue) on a query; used by the search and the Excel export.</summary>
    internal static async Task<IQueryable<Complaint>> FilterAsync(DomainDbContext db, IQueryable<Complaint> query, ComplaintSearch search, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(search.Phone))
        {
            // Compared through the lookup hash: the converter hashes the number as it hashed the stored ones.
            var phone = ComplaintIntakeService.NormalizePhone(search.Phone);
            query = query.Where(c => c.ConsumerPhoneKey == phone);
        }

        if (!string.IsNullOrWhiteSpace(search.Respondent))
        {
            var respondent = search.Respondent.Trim();
            query = query.Where(c => c.RespondentName == respondent);
        }

        if (!string.IsNullOrWhiteSpace(search.Q))
        {
            // A tracking number finds its complaint; any other text is looked up in the respondents' names and the facts.
            var q = search.Q.Trim();
            query = await query.AnyAsync(c => c.TrackingNumber == q, cancellationToken).ConfigureAwait(false)
                ? query.Where(c => c.TrackingNumber == q)
                : ComplaintTextSearch.Containing(db, query, q);
        }

        if (search.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (!string.IsNullOrEmpty(search.UnitId))
        {
            query = query.Where(c => c.UnitId == search.UnitId);
        }

        if (!string.IsNullOrEmpty(search.Handler))
        {
            query = query.Where(c => c.HandlerUserName == search.Handler);
        }

        if (!string.IsNullOrEmpty(search.Category))
        {
            query = query.Where(c => c.ProblemType == search.Category);
        }

        if (search.From is { } from)
        {
            query = query.Where(c => c.ReceivedAt >= from);
        }

        if (search.To is { } to)
        {
            query = query.Where(c => c.ReceivedAt < to);
        }

        if (search.IsReport is { } isReport)
        {
            query = query.Where(c => c.IsReport == isReport);
        }

        if (search.Overdue is true)
        {
            query = ComplaintAccess.Overdue(query, now);
        }

        return query;
    }

    private static async Task<Results<Ok<ComplaintFile>, ProblemHttpResult>> GetFileAsync(
        string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, AttachmentService attachments, TimeProvider time, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id || c.TrackingNumber == id, cancellationToken).ConfigureAwait(false);
        if (complaint is null || !ComplaintAccess.CanSee(complaint, user))
        {
            // The same answer whether it does not exist or belongs to someone else: nothing leaks.
            return Problems.NotFoundProblem($"没有编号为 {id} 的投诉，或您无权查看 (No complaint {id} you may see).");
        }

        var events = db.Set<ComplaintEvent>().AsNoTracking().Where(e => e.ComplaintId == complaint.Id);
        if (!user.IsStaff)
        {
            events = events.Where(e => e.Public);
        }

        var timeline = await events.OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var closure = user.IsStaff
            ? await db.Set<ClosureRecord>().AsNoTracking().Where(r => r.ComplaintId == complaint.Id).OrderBy(r => r.Round).ToListAsync(cancellationToken).ConfigureAwait(false)
            : [];
        var cases = user.IsStaff
            ? await db.Set<CaseFile>().AsNoTracking().Where(c => c.ComplaintId == complaint.Id || c.Id == complaint.CaseId).ToListAsync(cancellationToken).ConfigureAwait(false)
            : [];
        var surveys = await db.Set<SurveyAnswer>().AsNoTracking().Where(s => s.ComplaintId == complaint.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = user.IsStaff && complaint.ProcessInstanceId is { } instanceId
            ? (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId), cancellationToken).ConfigureAwait(false)).Select(t => TaskView.Of(t, complaint, time.GetUtcNow())).ToList()
            : [];
        return TypedResults.Ok(new ComplaintFile(
            ComplaintDetail.Of(complaint, user, time.GetUtcNow()),
            [.. timeline.Select(e => new TimelineEntry(e.At, e.Kind, e.Text, user.IsStaff ? e.Actor : null, e.Public))],
            closure,
            [.. cases.Select(c => new CaseSummary(c.Id, c.CaseNumber, c.Source, c.Status, c.OpeningDueAt, c.Decision))],
            [.. surveys.Select(s => new SurveySummary(s.Channel, s.Speed, s.Attitude, s.Communication, s.Fairness, s.Professionalism, s.Overall, s.Comment, s.AnsweredAt))],
            tasks,
            user.IsStaff ? await Emergency.EmergencyApi.IncidentsOfAsync(db, complaint.Id, cancellationToken).ConfigureAwait(false) : [],
            await attachments.ListAsync(complaint.Id, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AnswerSurveyAsync(
        string id, SurveyBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        if (complaint is null || !ComplaintAccess.CanSee(complaint, user) || (user.IsStaff && !user.Is(RoleNames.DeskOfficer) && !user.Is(RoleNames.Administrator)))
        {
            return Problems.NotFoundProblem($"没有编号为 {id} 的投诉，或您无权评价 (No complaint {id} you may answer for).");
        }

        var errors = SurveyAnswers.Validate(body, allRequired: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await SurveyAnswers.CorrelateAsync(engine, complaint.Id, body, user.IsStaff ? "phone" : "web", cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Problem(title: "当前没有待回答的回访 (No survey is waiting)", detail: "This complaint is not waiting for a survey answer (not closed yet, or already answered).",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "no-survey" });
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ConsumerPrefill>, NotFound, ProblemHttpResult>> PrefillAsync(
        string phone, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (!user.Is(RoleNames.DeskOfficer) && !user.Is(RoleNames.Administrator))
        {
            return Problems.Forbidden("只有受理员可以调取投诉人信息 (Only desk officers may look up a consumer's details).");
        }

        var normalized = ComplaintIntakeService.NormalizePhone(phone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var last = await db.Set<Complaint>().AsNoTracking().Where(c => c.ConsumerPhoneKey == normalized).OrderByDescending(c => c.ReceivedAt)
            .Select(c => new ConsumerPrefill(c.ConsumerName, c.ConsumerPhone, c.ConsumerAddress, c.ConsumerEmail, c.TrackingNumber)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return last is null ? TypedResults.NotFound() : TypedResults.Ok(last);
    }

    private static async Task<Results<Ok<PublicProgress>, ProblemHttpResult>> TrackAsync(
        string trackingNumber, string phone, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        var normalized = ComplaintIntakeService.NormalizePhone(phone ?? "");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.TrackingNumber == trackingNumber && c.ConsumerPhoneKey == normalized, cancellationToken).ConfigureAwait(false);
        if (complaint is null)
        {
            return Problems.NotFoundProblem("受理号与联系电话不匹配 (No complaint with this tracking number and phone number).");
        }

        var timeline = await db.Set<ComplaintEvent>().AsNoTracking().Where(e => e.ComplaintId == complaint.Id && e.Public).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new TimelineEntry(e.At, e.Kind, e.Text, null, true)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PublicProgress(complaint.TrackingNumber, complaint.Status, complaint.ReceivedAt, complaint.RespondentName, timeline));
    }

    private static async Task<Results<Ok<ArchiveVerification>, ProblemHttpResult>> VerifyArchiveAsync(HttpContext http, ArchiveService archive, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        return user.Is(RoleNames.Administrator)
            ? TypedResults.Ok(await archive.VerifyAsync(cancellationToken).ConfigureAwait(false))
            : Problems.Forbidden("只有管理员可以校验归档 (Only administrators verify the archive).");
    }
}
