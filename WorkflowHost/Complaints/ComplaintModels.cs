using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>What a complaint form sends.</summary>
public sealed record IntakeBody(
    string? ConsumerName,
    string? ConsumerPhone,
    string? ConsumerAddress,
    string? ConsumerEmail,
    string? RespondentName,
    string? RespondentAddress,
    string? Request,
    string? Facts,
    ComplaintChannel? Channel = null,
    DateTimeOffset? ReceivedAt = null,
    ComplaintWorkflows.Activities.Messaging.MessageChannel? NotifyBy = null,
    string? MobilePointId = null,
    string? VoiceRecordingId = null);

public sealed record IntakeAnswer(string Id, string TrackingNumber, ComplaintStatus Status, bool Duplicate);

/// <summary>
/// Filters of the complaint list. <c>Phone</c> finds a consumer's complaints by their number's lookup hash (desk
/// officers and administrators); <c>Respondent</c> is a respondent's exact name; <c>Q</c> is a tracking number or
/// words of the respondent's name or the facts. <c>After</c> is the <see cref="Page{T}.Next"/> of the page before
/// (keyset paging, newest first); without it <c>Page</c> counts pages from the first.
/// </summary>
public sealed record ComplaintSearch(
    ComplaintStatus? Status = null,
    string? UnitId = null,
    string? Handler = null,
    string? Category = null,
    bool? Overdue = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? IsReport = null,
    string? Q = null,
    int? Page = null,
    int? PageSize = null,
    string? Phone = null,
    string? Respondent = null,
    string? After = null);

/// <summary>A page of results; <see cref="Next"/> (null on the last page) asks for the page after it (<c>after=</c>).</summary>
public sealed record Page<T>(int Total, int PageNumber, int PageSize, IReadOnlyList<T> Items, string? Next = null);

public sealed record ComplaintSummary(
    string Id,
    string TrackingNumber,
    bool IsReport,
    ComplaintStatus Status,
    ComplaintChannel Channel,
    string ConsumerName,
    string RespondentName,
    string? ProblemType,
    ComplexityTier? Tier,
    string? UnitId,
    string? Handler,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? AcceptanceDueAt,
    DateTimeOffset? HandlingDueAt,
    bool Overdue,
    DateTimeOffset? ClosedAt)
{
    public static ComplaintSummary Of(Complaint c, StaffUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(user);
        return new(c.Id, c.TrackingNumber, c.IsReport, c.Status, c.Channel, user.SeesPersonalData ? c.ConsumerName : PersonalData.MaskName(c.ConsumerName),
            c.RespondentName, c.ProblemType, c.Tier, c.UnitId, c.HandlerUserName, c.ReceivedAt, c.AcceptanceDueAt, c.HandlingDueAt, ComplaintAccess.IsOverdue(c, now), c.ClosedAt);
    }
}

/// <summary>The complaint record as the file shows it (personal data masked where the role does not need it).</summary>
public sealed record ComplaintDetail(
    string Id,
    string TrackingNumber,
    bool IsReport,
    string? LinkedComplaintId,
    ComplaintStatus Status,
    ComplaintChannel Channel,
    string ConsumerName,
    string ConsumerPhone,
    string? ConsumerAddress,
    string? ConsumerEmail,
    string RespondentName,
    string RespondentAddress,
    string Request,
    string Facts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset RegisteredAt,
    bool RegisteredLate,
    string? ProblemType,
    string? GoodsOrService,
    string? Industry,
    ComplexityTier? Tier,
    double? ClassificationConfidence,
    bool SuspectedProfessionalClaimant,
    bool SuspectedGroupComplaint,
    string? UnitId,
    string? DepartmentId,
    string? Handler,
    DateTimeOffset? AcceptanceDueAt,
    DateTimeOffset? HandlingDueAt,
    bool Overdue,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt,
    bool? ClosedOnTime,
    string? RefusalGround,
    bool? MediationSucceeded,
    int? SatisfactionScore,
    string? CaseId,
    int ReturnCount,
    string? RuleSet,
    string? ProcessInstanceId,
    ComplaintWorkflows.Activities.Messaging.MessageChannel? NotifyBy,
    string? MobilePointId,
    string? OdrBusinessId,
    string? OdrOutcome)
{
    public static ComplaintDetail Of(Complaint c, StaffUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(user);
        var full = user.SeesPersonalData || !user.IsStaff;
        var staff = user.IsStaff;
        return new(c.Id, c.TrackingNumber, c.IsReport, staff ? c.LinkedComplaintId : null, c.Status, c.Channel,
            full ? c.ConsumerName : PersonalData.MaskName(c.ConsumerName),
            full ? c.ConsumerPhone : PersonalData.MaskPhone(c.ConsumerPhone),
            full ? c.ConsumerAddress : PersonalData.MaskAddress(c.ConsumerAddress),
            full ? c.ConsumerEmail : null,
            c.RespondentName, c.RespondentAddress, c.Request, c.Facts, c.ReceivedAt, c.RegisteredAt, c.RegisteredLate,
            c.ProblemType, c.GoodsOrService, c.Industry, c.Tier, staff ? c.ClassificationConfidence : null,
            staff && c.SuspectedProfessionalClaimant, staff && c.SuspectedGroupComplaint,
            c.UnitId, c.DepartmentId, staff ? c.HandlerUserName : null, c.AcceptanceDueAt, c.HandlingDueAt, ComplaintAccess.IsOverdue(c, now),
            c.AcceptedAt, c.ClosedAt, c.ClosedOnTime, c.RefusalGround, c.MediationSucceeded, c.SatisfactionScore, staff ? c.CaseId : null, c.ReturnCount, c.RuleSet,
            staff ? c.ProcessInstanceId : null, c.NotifyBy, staff ? c.MobilePointId : null, staff ? c.OdrBusinessId : null, c.OdrOutcome);
    }
}

public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text, string? Actor, bool Public);

public sealed record CaseSummary(string Id, string CaseNumber, string Source, CaseStatus Status, DateTimeOffset? OpeningDueAt, string? Decision);

public sealed record SurveySummary(string Channel, int? Speed, int? Attitude, int? Communication, int? Fairness, int? Professionalism, int Overall, string? Comment, DateTimeOffset AnsweredAt);

public sealed record ComplaintFile(
    ComplaintDetail Complaint,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<ClosureRecord> ClosureRecords,
    IReadOnlyList<CaseSummary> Cases,
    IReadOnlyList<SurveySummary> Surveys,
    IReadOnlyList<TaskView> OpenTasks,
    IReadOnlyList<ComplaintWorkflows.WorkflowHost.Emergency.ComplaintIncidentLink> Incidents,
    IReadOnlyList<ComplaintWorkflows.Activities.Attachments.AttachmentInfo> Attachments);

public sealed record SurveyBody(int? Speed, int? Attitude, int? Communication, int? Fairness, int? Professionalism, int? Overall, string? Comment);

public sealed record ConsumerPrefill(string ConsumerName, string ConsumerPhone, string? ConsumerAddress, string? ConsumerEmail, string LastTrackingNumber);

public sealed record PublicProgress(string TrackingNumber, ComplaintStatus Status, DateTimeOffset ReceivedAt, string RespondentName, IReadOnlyList<TimelineEntry> Timeline);

/// <summary>A user task as the inbox shows it, with the complaint it is about.</summary>
public sealed record TaskView(
    string Id,
    string Name,
    string ElementId,
    string ProcessInstanceId,
    string ProcessKey,
    string? ComplaintId,
    string? TrackingNumber,
    string? RespondentName,
    string? Assignee,
    IReadOnlyList<string> CandidateGroups,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueDate,
    bool Overdue,
    string? FormKey,
    TaskClassification? Classification = null)
{
    public static TaskView Of(TaskInfo task, Complaint? complaint, DateTimeOffset now, TaskClassification? classification = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.ElementId, task.ProcessInstanceId, task.DefinitionKey, complaint?.Id, complaint?.TrackingNumber, complaint?.RespondentName,
            task.Assignee, task.CandidateGroups, task.CreatedAt, task.DueDate, task.DueDate is { } due && due < now, FormCatalog.KeyOf(task.FormKey), classification);
    }
}

/// <summary>On the desk's review of a classification: whether it needs review (below the threshold) and the three best labels.</summary>
public sealed record TaskClassification(bool NeedsReview, double? Confidence, string? TopLabels)
{
    /// <summary>From the process variables the classify activity wrote; null when it wrote none.</summary>
    public static TaskClassification? From(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return variables.GetValueOrDefault("needsReview") is bool needsReview
            ? new TaskClassification(needsReview, variables.GetValueOrDefault("confidence") is double c ? c : null, variables.GetValueOrDefault("topLabels") as string)
            : null;
    }
}
