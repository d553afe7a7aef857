using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>The annual targets the KPIs are shown against (domain.md); the <c>Workflows:Domain:Kpi</c> section.</summary>
public sealed class KpiTargets
{
    public const string Section = "Workflows:Domain:Kpi";

    public double OnTimeRate { get; set; } = 0.98;

    public double AcceptanceWithinLimit { get; set; } = 0.98;

    public double MediationSuccessRate { get; set; } = 0.85;

    public double SatisfactionRate { get; set; } = 0.90;

    public double ClosureRate { get; set; } = 0.90;

    public double ConversionHandlingRate { get; set; } = 1.0;

    /// <summary>Overall survey score counted as satisfied (4 = 满意, 5 = 非常满意).</summary>
    public int SatisfiedFrom { get; set; } = 4;

    /// <summary>Share of complaints registered within the registration limit of their receipt (首接负责制), per channel and in total.</summary>
    public double RegistrationWithinLimit { get; set; } = 1.0;

    /// <summary>Share of the complaints offered to ODR businesses that the business settled itself (先行和解率).</summary>
    public double OdrSettledRate { get; set; } = 0.5;
}

/// <summary>One KPI: the rate (null when there is nothing to count), its numerator and denominator, and the target.</summary>
public sealed record KpiFigure(double? Rate, int Count, int Of, double Target, bool? MeetsTarget);

public sealed record KpiSet(
    string? Group,
    int Received,
    KpiFigure OnTime,
    KpiFigure AcceptanceWithinLimit,
    KpiFigure MediationSuccess,
    KpiFigure Satisfaction,
    KpiFigure Closure,
    KpiFigure ConversionHandling,
    double? AverageSatisfaction,
    SurveyIndicators Survey,
    KpiFigure RegistrationWithinLimit,
    KpiFigure OdrSettled);

/// <summary>The 30-minute registration rule (首接负责制) for one channel: complaints of the channel registered within the limit of their receipt.</summary>
public sealed record ChannelRegistration(ComplaintChannel Channel, KpiFigure WithinLimit);

/// <summary>The six survey indicators averaged over the answers (1-5; null where nobody scored one), and how many answers by which channel.</summary>
public sealed record SurveyIndicators(int Answers, double? Speed, double? Attitude, double? Communication, double? Fairness, double? Professionalism, double? Overall, IReadOnlyDictionary<string, int> ByChannel);

public sealed record KpiReport(DateTimeOffset From, DateTimeOffset To, KpiSet Total, IReadOnlyList<KpiSet> ByUnit, IReadOnlyList<KpiSet> ByHandler, IReadOnlyList<KpiSet> ByDepartment,
    IReadOnlyList<ChannelRegistration> RegistrationByChannel);

/// <summary>KPIs per period, unit and handler: on-time rate, acceptance within limit, mediation success, satisfaction, closure rate, conversion handling rate.</summary>
public static class KpiApi
{
    private static readonly ComplaintStatus[] ClosedStatuses = [ComplaintStatus.Closed, ComplaintStatus.Terminated, ComplaintStatus.Surveyed, ComplaintStatus.Archived];

    public static IEndpointRouteBuilder MapKpiApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api").WithTags("KPIs").MapGet("/kpis", GetAsync)
            .WithName("GetKpis")
            .WithSummary("KPIs of complaints received in [from, to) (default: this month), in total, per unit and per handler, against their targets. Leaders, reviewers and administrators; a unit's staff see their unit.");
        return endpoints;
    }

    private static async Task<Results<Ok<KpiReport>, ProblemHttpResult>> GetAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? unitId, string? handler, HttpContext http, IDbContextFactory<DomainDbContext> contexts,
        IOptions<KpiTargets> targets, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = StaffUser.From(http.User);
        if (Check(user) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var start = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = to ?? now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var data = await LoadAsync(db, Scope(db, user!, start, end, unitId, handler), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Report(data, start, end, targets.Value));
    }

    /// <summary>Who may see KPIs: leaders, reviewers and administrators (a unit's within their unit scope).</summary>
    internal static ProblemHttpResult? Check(StaffUser? user)
        => user is null ? Problems.Unauthenticated()
            : !user.Is(RoleNames.Leader) && !user.Is(RoleNames.Reviewer) && !user.Is(RoleNames.Administrator)
                ? Problems.Forbidden("绩效指标仅供领导、审核员和管理员查看 (KPIs are for leaders, reviewers and administrators).")
                : null;

    /// <summary>The complaints (not reports) the user may see, received in [from, to), of a unit or handler.</summary>
    internal static IQueryable<Complaint> Scope(DomainDbContext db, StaffUser user, DateTimeOffset from, DateTimeOffset to, string? unitId, string? handler)
    {
        var query = ComplaintAccess.Visible(db.Set<Complaint>().AsNoTracking(), user).Where(c => !c.IsReport && c.ReceivedAt >= from && c.ReceivedAt < to);
        if (!string.IsNullOrEmpty(unitId))
        {
            query = query.Where(c => c.UnitId == unitId);
        }

        if (!string.IsNullOrEmpty(handler))
        {
            query = query.Where(c => c.HandlerUserName == handler);
        }

        return query;
    }

    internal static async Task<KpiData> LoadAsync(DomainDbContext db, IQueryable<Complaint> query, CancellationToken cancellationToken)
    {
        var rows = await query.Select(c => new KpiRow(c.Id, c.UnitId, c.DepartmentId, c.HandlerUserName, c.ReceivedAt, c.Status, c.AcceptedAt, c.AcceptanceDueAt, c.ClosedOnTime, c.MediationSucceeded, c.SatisfactionScore, c.CaseId)
            {
                Channel = c.Channel, RegisteredLate = c.RegisteredLate, OfferedToOdr = c.OdrBusinessId != null, OdrOutcome = c.OdrOutcome,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var caseIds = rows.Select(r => r.CaseId).OfType<string>().ToList();
        var cases = await db.Set<CaseFile>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Status, cancellationToken).ConfigureAwait(false);
        var ids = rows.Select(r => r.Id).ToList();
        var answers = (await db.Set<Activities.Surveys.SurveyAnswer>().AsNoTracking().Where(a => ids.Contains(a.ComplaintId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(a => a.ComplaintId, StringComparer.Ordinal);
        return new KpiData(rows, cases, answers);
    }

    internal static KpiReport Report(KpiData data, DateTimeOffset from, DateTimeOffset to, KpiTargets targets)
    {
        var rows = data.Rows;
        return new KpiReport(from, to, Compute(null, rows, data, targets),
            [.. rows.GroupBy(r => r.UnitId ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Compute(g.Key, [.. g], data, targets))],
            [.. rows.Where(r => r.Handler is not null).GroupBy(r => r.Handler!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Compute(g.Key, [.. g], data, targets))],
            [.. rows.Where(r => r.DepartmentId is not null).GroupBy(r => r.DepartmentId!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Compute(g.Key, [.. g], data, targets))],
            [.. rows.GroupBy(r => r.Channel).OrderBy(g => g.Key).Select(g => new ChannelRegistration(g.Key, Figure(g.Count(r => !r.RegisteredLate), g.Count(), targets.RegistrationWithinLimit)))]);
    }

    internal static KpiSet Compute(string? group, IReadOnlyList<KpiRow> set, KpiData data, KpiTargets t)
    {
        var cases = data.Cases;
        var accepted = set.Where(r => r.AcceptedAt is not null).ToList();
        var closed = set.Where(r => ClosedStatuses.Contains(r.Status)).ToList();
        var mediated = set.Where(r => r.MediationSucceeded is not null).ToList();
        var surveyed = set.Where(r => r.Satisfaction is not null).ToList();
        var converted = set.Where(r => r.CaseId is not null && cases.ContainsKey(r.CaseId)).ToList();
        return new KpiSet(group, set.Count,
            Figure(closed.Count(r => r.ClosedOnTime == true), closed.Count, t.OnTimeRate),
            Figure(accepted.Count(r => r.AcceptanceDueAt is null || r.AcceptedAt <= r.AcceptanceDueAt), accepted.Count, t.AcceptanceWithinLimit),
            Figure(mediated.Count(r => r.MediationSucceeded == true), mediated.Count, t.MediationSuccessRate),
            Figure(surveyed.Count(r => r.Satisfaction >= t.SatisfiedFrom), surveyed.Count, t.SatisfactionRate),
            Figure(closed.Count, accepted.Count, t.ClosureRate),
            Figure(converted.Count(r => cases[r.CaseId!] != CaseStatus.Screening), converted.Count, t.ConversionHandlingRate),
            surveyed.Count == 0 ? null : Math.Round(surveyed.Average(r => r.Satisfaction!.Value), 2),
            Indicators([.. set.SelectMany(r => data.Answers[r.Id])]),
            Figure(set.Count(r => !r.RegisteredLate), set.Count, t.RegistrationWithinLimit),
            Figure(set.Count(r => r.OdrOutcome == "settled"), set.Count(r => r.OfferedToOdr && r.OdrOutcome is not null), t.OdrSettledRate));
    }

    private static SurveyIndicators Indicators(List<Activities.Surveys.SurveyAnswer> answers)
    {
        static double? Average(IEnumerable<int?> scores) => scores.OfType<int>().ToList() is { Count: > 0 } given ? Math.Round(given.Average(), 2) : null;
        return new SurveyIndicators(answers.Count,
            Average(answers.Select(a => a.Speed)), Average(answers.Select(a => a.Attitude)), Average(answers.Select(a => a.Communication)),
            Average(answers.Select(a => a.Fairness)), Average(answers.Select(a => a.Professionalism)), Average(answers.Select(a => (int?)a.Overall)),
            answers.GroupBy(a => a.Channel, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    private static KpiFigure Figure(int count, int of, double target)
    {
        double? rate = of == 0 ? null : Math.Round((double)count / of, 4);
        return new KpiFigure(rate, count, of, target, rate is null ? null : rate >= target);
    }

}

internal sealed record KpiRow(string Id, string? UnitId, string? DepartmentId, string? Handler, DateTimeOffset ReceivedAt, ComplaintStatus Status, DateTimeOffset? AcceptedAt, DateTimeOffset? AcceptanceDueAt,
    bool? ClosedOnTime, bool? MediationSucceeded, int? Satisfaction, string? CaseId)
{
    public ComplaintChannel Channel { get; init; }

    /// <summary>Registered later than the registration limit after receipt (首接负责制).</summary>
    public bool RegisteredLate { get; init; }

    public bool OfferedToOdr { get; init; }

    /// <summary>settled, rejected or expired once the business's settlement ended; null before.</summary>
    public string? OdrOutcome { get; init; }
}

internal sealed record KpiData(IReadOnlyList<KpiRow> Rows, IReadOnlyDictionary<string, CaseStatus> Cases, ILookup<string, Activities.Surveys.SurveyAnswer> Answers);
