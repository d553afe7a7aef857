using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Surveys;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// The counts behind the KPIs of the complaints of one unit, department, handler and channel, summed by the
/// database (GROUP BY): a year of complaints is a few hundred rows here, never the complaints themselves.
/// </summary>
internal sealed class KpiCell
{
    public string? UnitId { get; init; }

    public string? DepartmentId { get; init; }

    public string? Handler { get; init; }

    public ComplaintChannel Channel { get; init; }

    public int Received { get; init; }

    public int RegisteredInTime { get; init; }

    public int Accepted { get; init; }

    public int AcceptedInTime { get; init; }

    public int Closed { get; init; }

    public int ClosedOnTime { get; init; }

    public int Mediated { get; init; }

    public int MediationSucceeded { get; init; }

    public int Surveyed { get; init; }

    public int Satisfied { get; init; }

    public long SatisfactionSum { get; init; }

    public int Converted { get; init; }

    public int ConversionHandled { get; init; }

    public int OdrEnded { get; init; }

    public int OdrSettled { get; init; }
}

/// <summary>Survey answers' sums and counts per indicator for one unit, department, handler and answer channel.</summary>
internal sealed class AnswerCell
{
    public string? UnitId { get; init; }

    public string? DepartmentId { get; init; }

    public string? Handler { get; init; }

    public required string AnswerChannel { get; init; }

    public int Answers { get; init; }

    public long SpeedSum { get; init; }

    public int SpeedCount { get; init; }

    public long AttitudeSum { get; init; }

    public int AttitudeCount { get; init; }

    public long CommunicationSum { get; init; }

    public int CommunicationCount { get; init; }

    public long FairnessSum { get; init; }

    public int FairnessCount { get; init; }

    public long ProfessionalismSum { get; init; }

    public int ProfessionalismCount { get; init; }

    public long OverallSum { get; init; }
}

/// <summary>The aggregated counts of one scope: what <see cref="KpiApi.Report"/> and <see cref="KpiApi.Compute"/> work from.</summary>
internal sealed record KpiData(IReadOnlyList<KpiCell> Cells, IReadOnlyList<AnswerCell> Answers);

internal static class KpiAggregation
{
    /// <summary>Sums the scope's complaints per unit, department, handler and channel, and their survey answers, in two grouped queries.</summary>
    public static async Task<KpiData> AggregateAsync(DomainDbContext db, IQueryable<Complaint> scope, int satisfiedFrom, CancellationToken cancellationToken = default)
    {
        var cells = await (
            from c in scope
            join k in db.Set<CaseFile>().AsNoTracking() on c.CaseId equals k.Id into ks
            from k in ks.DefaultIfEmpty()
            group new { c, CaseId = k == null ? null : k.Id, CaseStatus = k == null ? (CaseStatus?)null : k.Status }
                by new { c.UnitId, c.DepartmentId, c.HandlerUserName, c.Channel } into g
            select new KpiCell
            {
                UnitId = g.Key.UnitId,
                DepartmentId = g.Key.DepartmentId,
                Handler = g.Key.HandlerUserName,
                Channel = g.Key.Channel,
                Received = g.Count(),
                RegisteredInTime = g.Sum(x => x.c.RegisteredLate ? 0 : 1),
                Accepted = g.Sum(x => x.c.AcceptedAt != null ? 1 : 0),
                AcceptedInTime = g.Sum(x => x.c.AcceptedAt != null && (x.c.AcceptanceDueAt == null || x.c.AcceptedAt <= x.c.AcceptanceDueAt) ? 1 : 0),
                Closed = g.Sum(x => (x.c.Status == ComplaintStatus.Closed || x.c.Status == ComplaintStatus.Terminated || x.c.Status == ComplaintStatus.Surveyed || x.c.Status == ComplaintStatus.Archived) ? 1 : 0),
                ClosedOnTime = g.Sum(x => (x.c.Status == ComplaintStatus.Closed || x.c.Status == ComplaintStatus.Terminated || x.c.Status == ComplaintStatus.Surveyed || x.c.Status == ComplaintStatus.Archived) && x.c.ClosedOnTime == true ? 1 : 0),
                Mediated = g.Sum(x => x.c.MediationSucceeded != null ? 1 : 0),
                MediationSucceeded = g.Sum(x => x.c.MediationSucceeded == true ? 1 : 0),
                Surveyed = g.Sum(x => x.c.SatisfactionScore != null ? 1 : 0),
                Satisfied = g.Sum(x => x.c.SatisfactionScore != null && x.c.SatisfactionScore >= satisfiedFrom ? 1 : 0),
                SatisfactionSum = g.Sum(x => (long)(x.c.SatisfactionScore ?? 0)),
                Converted = g.Sum(x => x.CaseId != null ? 1 : 0),
                ConversionHandled = g.Sum(x => x.CaseId != null && x.CaseStatus != CaseStatus.Screening ? 1 : 0),
                OdrEnded = g.Sum(x => x.c.OdrBusinessId != null && x.c.OdrOutcome != null ? 1 : 0),
                OdrSettled = g.Sum(x => x.c.OdrOutcome == "settled" ? 1 : 0),
            }).ToListAsync(cancellationToken).ConfigureAwait(false);

        var answers = await (
            from a in db.Set<SurveyAnswer>().AsNoTracking()
            join c in scope on a.ComplaintId equals c.Id
            group a by new { c.UnitId, c.DepartmentId, c.HandlerUserName, a.Channel } into g
            select new AnswerCell
            {
                UnitId = g.Key.UnitId,
                DepartmentId = g.Key.DepartmentId,
                Handler = g.Key.HandlerUserName,
                AnswerChannel = g.Key.Channel,
                Answers = g.Count(),
                SpeedSum = g.Sum(a => (long)(a.Speed ?? 0)),
                SpeedCount = g.Sum(a => a.Speed != null ? 1 : 0),
                AttitudeSum = g.Sum(a => (long)(a.Attitude ?? 0)),
                AttitudeCount = g.Sum(a => a.Attitude != null ? 1 : 0),
                CommunicationSum = g.Sum(a => (long)(a.Communication ?? 0)),
                CommunicationCount = g.Sum(a => a.Communication != null ? 1 : 0),
                FairnessSum = g.Sum(a => (long)(a.Fairness ?? 0)),
                FairnessCount = g.Sum(a => a.Fairness != null ? 1 : 0),
                ProfessionalismSum = g.Sum(a => (long)(a.Professionalism ?? 0)),
                ProfessionalismCount = g.Sum(a => a.Professionalism != null ? 1 : 0),
                OverallSum = g.Sum(a => (long)a.Overall),
            }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new KpiData(cells, answers);
    }
}
