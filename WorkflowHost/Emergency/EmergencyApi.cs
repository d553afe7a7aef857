using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>
/// Emergency plans and incidents: the incident list and file, plans started by hand, drills (演练) and 舆情 items, and the
/// detection settings with a round run on demand.
/// </summary>
public static class EmergencyApi
{
    public static IEndpointRouteBuilder MapEmergencyApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags(EmergencyAccess.Tag);
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
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<IncidentSummary>>, ProblemHttpResult>> ListIncidentsAsync(
        IncidentStatus? status, IncidentKind? kind, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
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
        if (EmergencyAccess.Staff(http).Problem is { } problem)
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
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
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
            return EmergencyAccess.Invalid(e, drill ? "演练信息有误 (The drill has missing or invalid fields)" : "事件信息有误 (The incident has missing or invalid fields)");
        }
    }

    private static async Task<Results<Created<IncidentSummary>, ValidationProblem, ProblemHttpResult>> StartOpinionAsync(
        OpinionBody body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Leader, RoleNames.DeskOfficer);
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
            return EmergencyAccess.Invalid(e, "舆情信息有误 (The public-opinion item has missing or invalid fields)");
        }
    }

    private static async Task<Results<Ok<EmergencySettings>, ProblemHttpResult>> GetSettingsAsync(HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http).Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await incidents.SettingsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<EmergencySettings>, ValidationProblem, ProblemHttpResult>> SaveSettingsAsync(EmergencySettings body, HttpContext http, IncidentService incidents, CancellationToken cancellationToken)
    {
        var (user, problem) = EmergencyAccess.Staff(http, RoleNames.Administrator);
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
            return EmergencyAccess.Invalid(e, "预警规则有误 (The detection settings are invalid)");
        }
    }

    private static async Task<Results<Ok<DetectionAnswer>, ProblemHttpResult>> RunAsync(HttpContext http, EmergencyScheduler scheduler, CancellationToken cancellationToken)
    {
        if (EmergencyAccess.Staff(http, RoleNames.Administrator).Problem is { } problem)
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
}
