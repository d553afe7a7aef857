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
        var data = await LoadAsync(db, Scope(db, user!, start, end, unitId, handler), targets.Value, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The scope's counts, summed by the database (see <see cref="KpiAggregation"/>).</summary>
    internal static Task<KpiData> LoadAsync(DomainDbContext db, IQueryable<Complaint> query, KpiTargets targets, CancellationToken cancellationToken)
        => KpiAggregation.AggregateAsync(db, query, targets.SatisfiedFrom, cancellationToken);

    internal static KpiReport Report(KpiData data, DateTimeOffset from, DateTimeOffset to, KpiTargets targets)
    {
        var cells = data.Cells;
        var answers = data.Answers;
        return new KpiReport(from, to, Compute(null, cells, answers, targets),
            [.. cells.GroupBy(r => r.UnitId ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Compute(g.Key, [.. g], [.. answers.Where(a => (a.UnitId ?? "") == g.Key)], targets))],
            [.. cells.Where(r => r.Handler is not null).GroupBy(r => r.Handler!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Compute(g.Key, [.. g], [.. answers.Where(a => a.Handler == g.Key)], targets))],
            [.. cells.Where(r => r.DepartmentId is not null).GroupBy(r => r.DepartmentId!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Compute(g.Key, [.. g], [.. answers.Where(a => a.DepartmentId == g.Key)], targets))],
            [.. cells.GroupBy(r => r.Channel).OrderBy(g => g.Key)
                .Select(g => new ChannelRegistration(g.Key, Figure(g.Sum(r => r.RegisteredInTime), g.Sum(r => r.Received), targets.RegistrationWithinLimit)))]);
    }

    internal static KpiSet Compute(string? group, IReadOnlyList<KpiCell> set, IReadOnlyList<AnswerCell> answers, KpiTargets t)
    {
        int Sum(Func<KpiCell, int> count) => set.Sum(count);
        var surveyed = Sum(r => r.Surveyed);
        return new KpiSet(group, Sum(r => r.Received),
            Figure(Sum(r => r.ClosedOnTime), Sum(r => r.Closed), t.OnTimeRate),
            Figure(Sum(r => r.AcceptedInTime), Sum(r => r.Accepted), t.AcceptanceWithinLimit),
            Figure(Sum(r => r.MediationSucceeded), Sum(r => r.Mediated), t.MediationSuccessRate),
            Figure(Sum(r => r.Satisfied), surveyed, t.SatisfactionRate),
            Figure(Sum(r => r.Closed), Sum(r => r.Accepted), t.ClosureRate),
            Figure(Sum(r => r.ConversionHandled), Sum(r => r.Converted), t.ConversionHandlingRate),
            surveyed == 0 ? null : Math.Round((double)set.Sum(r => r.SatisfactionSum) / surveyed, 2),
            Indicators(answers),
            Figure(Sum(r => r.RegisteredInTime), Sum(r => r.Received), t.RegistrationWithinLimit),
            Figure(Sum(r => r.OdrSettled), Sum(r => r.OdrEnded), t.OdrSettledRate));
    }

    private static SurveyIndicators Indicators(IReadOnlyList<AnswerCell> answers)
    {
        double? Average(Func<AnswerCell, long> sum, Func<AnswerCell, int> count)
            => answers.Sum(count) is > 0 and var n ? Math.Round((double)answers.Sum(sum) / n, 2) : null;
        return new SurveyIndicators(answers.Sum(a => a.Answers),
            Average(a => a.SpeedSum, a => a.SpeedCount), Average(a => a.AttitudeSum, a => a.AttitudeCount), Average(a => a.CommunicationSum, a => a.CommunicationCount),
            Average(a => a.FairnessSum, a => a.FairnessCount), Average(a => a.ProfessionalismSum, a => a.ProfessionalismCount), Average(a => a.OverallSum, a => a.Answers),
            answers.GroupBy(a => a.AnswerChannel, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(a => a.Answers), StringComparer.Ordinal));
    }

    private static KpiFigure Figure(int count, int of, double target)
    {
        double? rate = of == 0 ? null : Math.Round((double)count / of, 4);
        return new KpiFigure(rate, count, of, target, rate is null ? null : rate >= target);
    }

}
