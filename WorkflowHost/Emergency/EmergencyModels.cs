using ComplaintWorkflows.Activities.CaseLibrary;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.RiskNotices;
using ComplaintWorkflows.WorkflowHost.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>An incident as lists show it.</summary>
public sealed record IncidentSummary(
    string Id, string Number, IncidentKind Kind, IncidentStatus Status, string Title, string? Level, string? RespondentName, string? Matter,
    bool PrepaidCard, bool IsDrill, int ComplaintCount, int ConsumerCount, string? OpinionGrade, DateTimeOffset OpenedAt, DateTimeOffset? ReportDueAt,
    DateTimeOffset? ReportedAt, DateTimeOffset? ClosedAt)
{
    public static IncidentSummary Of(EmergencyIncident i) => new(
        i.Id, i.Number, i.Kind, i.Status, i.Title, i.Level, i.RespondentName, i.Matter, i.PrepaidCard, i.IsDrill, i.ComplaintCount, i.ConsumerCount,
        i.OpinionGrade, i.OpenedAt, i.ReportDueAt, i.ReportedAt, i.ClosedAt);
}

/// <summary>A complaint of an incident (the consumer's name masked: the incident file is for coordination).</summary>
public sealed record IncidentComplaintView(string Id, string TrackingNumber, ComplaintStatus Status, string ConsumerName, string RespondentName, string? ProblemType, DateTimeOffset ReceivedAt, DateTimeOffset JoinedAt);

public sealed record IncidentEventView(DateTimeOffset At, string Kind, string Text, string? Actor);

/// <summary>The incident file: the record, its linked complaints, its history and its open tasks.</summary>
public sealed record IncidentFile(
    IncidentSummary Incident, string? Summary, string? Representatives, string? Lessons, string? DrillParticipants, string? OpinionSource, double? SurgeBaseline, int? SurgeCount,
    string? ProcessInstanceId, IReadOnlyList<IncidentComplaintView> Complaints, IReadOnlyList<IncidentEventView> Events, IReadOnlyList<TaskView> OpenTasks);

/// <summary>The incident a complaint belongs to, as its file shows it.</summary>
public sealed record ComplaintIncidentLink(string Id, string Number, string Title, IncidentKind Kind, IncidentStatus Status, string? Level, bool IsDrill);

public sealed record ManualIncidentBody(string? Title, string? RespondentName, string? RespondentAddress, string? Summary, string? Level, bool PrepaidCard, IReadOnlyList<string>? Participants);

public sealed record OpinionBody(string? Title, string? Grade, string? Source, string? Summary, string? RespondentName, bool Drill, IReadOnlyList<string>? Participants);

public sealed record RiskNoticeView(
    string Id, string Number, string RespondentName, string? Industry, int ComplaintCount, RiskNoticeStatus Status, string LetterText, string? RegulatorName,
    string? ReviewedBy, string? ReviewComment, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? ProcessInstanceId)
{
    public static RiskNoticeView Of(RiskNotice n) => new(n.Id, n.Number, n.RespondentName, n.Industry, n.ComplaintCount, n.Status, n.LetterText, n.RegulatorName,
        n.ReviewedBy, n.ReviewComment, n.CreatedAt, n.SentAt, n.ProcessInstanceId);
}

public sealed record TemplateBody(string? Subject, string? Body);

public sealed record TemplateView(string Subject, string Body, IReadOnlyList<string> Placeholders, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record RegulatorBody(string? Industry, string? Name, string? Email, string? Address, string? Contact);

public sealed record CaseSelectionBody(string? ComplaintId, string? Title, string? Commentary);

/// <summary>A published typical case (anonymised; the respondent named).</summary>
public sealed record PublicCase(long Id, string Month, string Title, string? ProblemType, string? Industry, string RespondentName, string Facts, string Outcome, string? Commentary, DateTimeOffset PublishedAt)
{
    public static PublicCase Of(CaseLibraryEntry e) => new(e.Id, e.Month, e.Title, e.ProblemType, e.Industry, e.RespondentName, e.Facts, e.Outcome, e.Commentary, e.PublishedAt ?? e.SelectedAt);
}

public sealed record DetectionAnswer(int Complaints, int IncidentsOpened, int ComplaintsJoined, bool Surge, int RiskNotices, int RosterReminders, int CasesPublished);
