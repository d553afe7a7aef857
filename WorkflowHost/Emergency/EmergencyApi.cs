using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ComplaintWorkflows.Activities.CaseLibrary;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.RiskNotices;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>
/// Emergency plans and incidents, 舆情 items, drills, detection settings, risk notices and the regulator
/// directory, the duty roster, and the case library (its public page and JSON need no sign-in).
/// </summary>
public static class EmergencyApi
{
    private const string Tag = "Emergency";

    public static IEndpointRouteBuilder MapEmergencyApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags(Tag);
        api.MapGet("/emergency/incidents", ListIncidentsAsync).WithName("ListIncidents")
            .WithSummary("Incidents (group complaints, surges, 舆情, manual plans and drills), newest first; status and kind filter.");
        api.MapGet("/emergency/incidents/{id}", GetIncidentAsync).WithName("GetIncidentFile")
            .WithSummary("The incident file: record, linked complaints, history (grading, notifications, upward report, review) and open tasks.");
        api.MapPost("/emergency/incidents", StartIncidentAsync).WithName("StartIncident")
            .WithSummary("Starts the emergency plan by hand for an event reported to the centre (leaders, desk officers, administrators).");
        api.MapPost("/emergency/drills", StartDrillAsync).WithName("StartDrill")
            .WithSummary("Runs the emergency plan as a drill (演练): the same process and tasks, marked, with tasks and notifications for the participants only.");
        api.MapPost("/emergency/opinions", StartOpinionAsync).WithName("StartOpinion")
            .WithSummary("Registers a 舆情 item graded blue/yellow/orange/red and starts its response with the grade's report deadline (optionally as a drill).");
        api.MapGet("/admin/emergency/settings", GetSettingsAsync).WithName("GetEmergencySettings")
            .WithSummary("The detection rules in force: group-complaint threshold, window and matching; surge multiple and floor; risk-notice threshold; 舆情 hours.");
        api.MapPut("/admin/emergency/settings", SaveSettingsAsync).WithName("SaveEmergencySettings")
            .WithSummary("Changes the detection rules (administrators); each rule out of range is refused by name.");
        api.MapPost("/admin/emergency/run", RunAsync).WithName("RunEmergencyRound")
            .WithSummary("Runs one round of detection, risk notices, roster reminders and case-library publication now (administrators).");

        api.MapGet("/risk-notices", ListNoticesAsync).WithName("ListRiskNotices").WithSummary("Risk notices (风险提示函), newest first.");
        api.MapGet("/risk-notices/{id}", GetNoticeAsync).WithName("GetRiskNotice").WithSummary("One risk notice with its letter.");
        api.MapGet("/admin/risk-notice-template", GetTemplateAsync).WithName("GetRiskNoticeTemplate").WithSummary("The risk notice letter template and its placeholders.");
        api.MapPut("/admin/risk-notice-template", SaveTemplateAsync).WithName("SaveRiskNoticeTemplate").WithSummary("Changes the risk notice letter template (administrators).");
        api.MapGet("/admin/regulators", ListRegulatorsAsync).WithName("ListRegulators").WithSummary("The industry regulators on record (行业主管部门名录).");
        api.MapPost("/admin/regulators", AddRegulatorAsync).WithName("AddRegulator").WithSummary("Records an industry's regulator (administrators).");
        api.MapPut("/admin/regulators/{id:long}", UpdateRegulatorAsync).WithName("UpdateRegulator").WithSummary("Changes an industry's regulator (administrators).");
        api.MapDelete("/admin/regulators/{id:long}", DeleteRegulatorAsync).WithName("DeleteRegulator").WithSummary("Removes an industry's regulator (administrators).");

        api.MapGet("/duty-roster", GetRosterAsync).WithName("GetDutyRoster")
            .WithSummary("A unit's weekend and holiday duty schedule for a month (yyyy-MM), the days still without anyone and the due date (23rd of the month before).");
        api.MapPut("/duty-roster/{unitId}/{month}", SaveRosterAsync).WithName("SaveDutyRoster")
            .WithSummary("Replaces a unit's duty schedule for a month (administrators, the unit's leader or desk officers).");
        api.MapGet("/duty-roster/reminders", GetRemindersAsync).WithName("GetDutyRosterReminders")
            .WithSummary("The reminders sent about a month's schedules (to desk officers before the due day, to leaders after it).");

        api.MapPost("/case-library/selections", SelectCaseAsync).WithName("SelectTypicalCase")
            .WithSummary("Selects a finished complaint as a typical case; it is anonymised at once and published with its month (leaders, reviewers, administrators).");
        api.MapGet("/case-library/selections", ListSelectionsAsync).WithName("ListTypicalCases").WithSummary("Selected typical cases, published or not (staff).");
        api.MapPost("/admin/case-library/publish", PublishAsync).WithName("PublishTypicalCases").WithSummary("Publishes the cases of past months now (administrators).");
        api.MapGet("/public/cases", PublicCasesAsync).AllowAnonymous().WithName("PublicTypicalCases")
            .WithSummary("Published typical cases (anonymised), optionally of one month; no sign-in.");
        endpoints.MapGet("/cases", CasePageAsync).AllowAnonymous().WithTags(Tag).WithName("TypicalCasesPage")
            .WithSummary("The public page of typical cases (典型案例), server-rendered HTML; no sign-in.");
        return endpoints;
    }

    // ---- access ----

    private static (StaffUser? User, ProblemHttpResult? Problem) Staff(HttpContext http, params string[] roles)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return (null, Problems.Unauthenticated());
        }

        if (!user.IsStaff || (roles.Length > 0 && !user.Is(RoleNames.Administrator) && !roles.Any(user.Is)))
        {
            return (null, Problems.Forbidden(roles.Length == 0 ? "仅供工作人员使用 (Staff only)." : $"需要以下角色之一：{string.Join("、", roles)} (needs one of these roles)."));
        }

        return (user, null);
    }

    private static ValidationProblem Invalid(IncidentValidationException e, string title) => TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: title);

    // ---- incidents ----

    private static async Task<Results<Ok<IReadOnlyList<IncidentSummary>>, ProblemHttpResult>> ListIncidentsAsync(
        IncidentStatus? status, IncidentKind? kind, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<EmergencyIncident>().AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(i => i.Status == s);
        }

        if (kind is { } k)
        {
            query = query.Where(i => i.Kind == k);
        }

        var list = await query.OrderByDescending(i => i.OpenedAt).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<IncidentSummary>>([.. list.Select(IncidentSummary.Of)]);
    }

    private static async Task<Results<Ok<IncidentFile>, ProblemHttpResult>> GetIncidentAsync(
        string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var incident = await db.Set<EmergencyIncident>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id || i.Number == id, cancellationToken).ConfigureAwait(false);
        if (incident is null)
        {
            return Problems.NotFoundProblem($"没有应急事件 {id} (No incident {id}).");
        }

        var complaints = await db.Set<IncidentComplaint>().AsNoTracking().Where(l => l.IncidentId == incident.Id)
            .Join(db.Set<Complaint>(), l => l.ComplaintId, c => c.Id, (l, c) => new { c, l.JoinedAt })
            .OrderBy(x => x.c.ReceivedAt).Take(5000).ToListAsync(cancellationToken).ConfigureAwait(false);
        var events = await db.Set<IncidentEvent>().AsNoTracking().Where(e => e.IncidentId == incident.Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = incident.ProcessInstanceId is { } instanceId
            ? (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId), cancellationToken).ConfigureAwait(false)).Select(t => TaskView.Of(t, null, time.GetUtcNow())).ToList()
            : [];
        return TypedResults.Ok(new IncidentFile(
            IncidentSummary.Of(incident), incident.Summary, incident.Representatives, incident.Lessons, incident.DrillParticipants, incident.OpinionSource, incident.SurgeBaseline, incident.SurgeCount,
            incident.ProcessInstanceId,
            [.. complaints.Select(x => new IncidentComplaintView(x.c.Id, x.c.TrackingNumber, x.c.Status, PersonalData.MaskName(x.c.ConsumerName), x.c.RespondentName, x.c.ProblemType, x.c.ReceivedAt, x.JoinedAt))],
            [.. events.Select(e => new IncidentEventView(e.At, e.Kind, e.Text, e.Actor))],
            tasks));
    }

    private static Task<Results<Created<IncidentSummary>, ValidationProblem, ProblemHttpResult>> StartIncidentAsync(ManualIncidentBody body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
        => StartAsync(body, drill: false, http, incidents, cancellationToken);

    private static Task<Results<Created<IncidentSummary>, ValidationProblem, ProblemHttpResult>> StartDrillAsync(ManualIncidentBody body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
        => StartAsync(body, drill: true, http, incidents, cancellationToken);

    private static async Task<Results<Created<IncidentSummary>, ValidationProblem, ProblemHttpResult>> StartAsync(
        ManualIncidentBody body, bool drill, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var incident = await incidents.StartManualAsync(new ManualIncidentRequest
            {
                Title = body.Title, RespondentName = body.RespondentName, RespondentAddress = body.RespondentAddress, Summary = body.Summary, Level = body.Level,
                PrepaidCard = body.PrepaidCard, Drill = drill, Participants = body.Participants,
            }, user!.UserName, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/emergency/incidents/{incident.Id}", IncidentSummary.Of(incident));
        }
        catch (IncidentValidationException e)
        {
            return Invalid(e, drill ? "演练信息有误 (The drill has missing or invalid fields)" : "事件信息有误 (The incident has missing or invalid fields)");
        }
    }

    private static async Task<Results<Created<IncidentSummary>, ValidationProblem, ProblemHttpResult>> StartOpinionAsync(
        OpinionBody body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var incident = await incidents.StartOpinionAsync(new OpinionRequest
            {
                Title = body.Title, Grade = body.Grade, Source = body.Source, Summary = body.Summary, RespondentName = body.RespondentName, Drill = body.Drill, Participants = body.Participants,
            }, user!.UserName, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/emergency/incidents/{incident.Id}", IncidentSummary.Of(incident));
        }
        catch (IncidentValidationException e)
        {
            return Invalid(e, "舆情信息有误 (The public-opinion item has missing or invalid fields)");
        }
    }

    private static async Task<Results<Ok<EmergencySettings>, ProblemHttpResult>> GetSettingsAsync(HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await incidents.SettingsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<EmergencySettings>, ValidationProblem, ProblemHttpResult>> SaveSettingsAsync(EmergencySettings body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http, RoleNames.Administrator);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await incidents.SaveSettingsAsync(body, user!.UserName, cancellationToken).ConfigureAwait(false));
        }
        catch (IncidentValidationException e)
        {
            return Invalid(e, "预警规则有误 (The detection settings are invalid)");
        }
    }

    private static async Task<Results<Ok<DetectionAnswer>, ProblemHttpResult>> RunAsync(HttpContext http, EmergencyScheduler scheduler, CancellationToken cancellationToken)
    {
        if (Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        var (d, reminders, published) = await scheduler.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DetectionAnswer(d.Complaints, d.IncidentsOpened, d.ComplaintsJoined, d.Surge, d.RiskNotices, reminders, published));
    }

    /// <summary>The incidents a complaint belongs to, for its file.</summary>
    public static async Task<IReadOnlyList<ComplaintIncidentLink>> IncidentsOfAsync(DomainDbContext db, string complaintId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = await db.Set<IncidentComplaint>().AsNoTracking().Where(l => l.ComplaintId == complaintId)
            .Join(db.Set<EmergencyIncident>(), l => l.IncidentId, i => i.Id, (l, i) => i)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. list.Select(i => new ComplaintIncidentLink(i.Id, i.Number, i.Title, i.Kind, i.Status, i.Level, i.IsDrill))];
    }

    // ---- risk notices ----

    private static async Task<Results<Ok<IReadOnlyList<RiskNoticeView>>, ProblemHttpResult>> ListNoticesAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var list = await db.Set<RiskNotice>().AsNoTracking().OrderByDescending(n => n.CreatedAt).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<RiskNoticeView>>([.. list.Select(RiskNoticeView.Of)]);
    }

    private static async Task<Results<Ok<RiskNoticeView>, ProblemHttpResult>> GetNoticeAsync(string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notice = await db.Set<RiskNotice>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id || n.Number == id, cancellationToken).ConfigureAwait(false);
        return notice is null ? Problems.NotFoundProblem($"没有风险提示函 {id} (No risk notice {id}).") : TypedResults.Ok(RiskNoticeView.Of(notice));
    }

    private static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> GetTemplateAsync(HttpContext http, RiskNoticeService notices, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        var t = await notices.TemplateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TemplateView(t.Subject, t.Body, RiskNoticeService.Placeholders, t.UpdatedAt, t.UpdatedBy));
    }

    private static async Task<Results<Ok<TemplateView>, ValidationProblem, ProblemHttpResult>> SaveTemplateAsync(TemplateBody body, HttpContext http, RiskNoticeService notices, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http, RoleNames.Administrator);
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
            return Invalid(e, "风险提示函模板有误 (The template is invalid)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<IndustryRegulator>>, ProblemHttpResult>> ListRegulatorsAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
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
        if (Staff(http, RoleNames.Administrator).Problem is { } problem)
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
        if (Staff(http, RoleNames.Administrator).Problem is { } problem)
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
        if (Staff(http, RoleNames.Administrator).Problem is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<IndustryRegulator>().Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0
            ? TypedResults.NoContent()
            : Problems.NotFoundProblem($"没有主管部门记录 {id} (No regulator {id}).");
    }

    // ---- duty roster ----

    private static async Task<Results<Ok<UnitRoster>, ValidationProblem, ProblemHttpResult>> GetRosterAsync(string? unitId, string? month, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http);
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
        var (user, problem) = Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
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
            return Invalid(e, "值班表有误 (The duty schedule is invalid)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<RosterReminder>>, ValidationProblem, ProblemHttpResult>> GetRemindersAsync(string? month, HttpContext http, DutyRosterService roster, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        if (!DutyRosterService.TryParseMonth(month, out var first))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["月份格式应为 yyyy-MM，如 2026-12 (month must be yyyy-MM)."] });
        }

        return TypedResults.Ok(await roster.RemindersAsync(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false));
    }

    // ---- case library ----

    private static async Task<Results<Created<CaseLibraryEntry>, ValidationProblem, ProblemHttpResult>> SelectCaseAsync(CaseSelectionBody body, HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        var (user, problem) = Staff(http, RoleNames.Leader, RoleNames.Reviewer);
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
            return Invalid(e, "不能选为典型案例 (The case cannot be selected)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseLibraryEntry>>, ProblemHttpResult>> ListSelectionsAsync(HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        if (Staff(http).Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await cases.SelectedAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<int>, ProblemHttpResult>> PublishAsync(HttpContext http, CaseLibraryService cases, CancellationToken cancellationToken)
    {
        if (Staff(http, RoleNames.Administrator).Problem is { } problem)
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
