using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Dashboard;

/// <summary>One week or month of a trend: its label (2026-W48, 2026-11), its local start and end, and its KPIs.</summary>
public sealed record TrendPoint(string Label, DateTimeOffset From, DateTimeOffset To, KpiSet Figures);

public sealed record KpiTrend(string Period, IReadOnlyList<TrendPoint> Points);

/// <summary>A complaint in a deadline list, with the deadline that counts now.</summary>
public sealed record DeadlineItem(ComplaintSummary Complaint, DateTimeOffset? DueAt);

public sealed record DeadlineLists(DateTimeOffset Now, TimeSpan DueSoonWindow, int OverdueTotal, int DueSoonTotal, IReadOnlyList<DeadlineItem> Overdue, IReadOnlyList<DeadlineItem> DueSoon);

/// <summary>
/// Dashboard figures beside <c>/api/kpis</c>: KPI trends by week or month, the overdue and about-to-be-overdue
/// lists, and Excel (.xlsx) exports of the KPIs and of the complaint list. Trends and the KPI export follow the KPI
/// rules (leaders, reviewers, administrators); the deadline lists and the complaint export are for all staff,
/// within the complaints they may see, with personal data masked as in the search.
/// </summary>
public static class DashboardApi
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.DefaultTrendPoints <= o.MaxTrendPoints, $"{DashboardOptions.Section}:DefaultTrendPoints 不能大于 MaxTrendPoints.")
            .ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Dashboard");
        api.MapGet("/dashboard/trends", GetTrendsAsync)
            .WithName("GetKpiTrends")
            .WithSummary("KPIs per week (period=week, ISO weeks) or month (period=month) of receipt, in the centre's time zone, from a date (default: the last 12 periods) to now.");
        api.MapGet("/dashboard/deadlines", GetDeadlinesAsync)
            .WithName("GetDeadlineLists")
            .WithSummary("Complaints past their current deadline, and those whose deadline falls within the configured window, soonest first.");
        api.MapGet("/exports/kpis.xlsx", ExportKpisAsync)
            .WithName("ExportKpis")
            .WithSummary("The KPIs of /api/kpis (total, per unit, department and handler) and the monthly trend as an Excel workbook.");
        api.MapGet("/exports/complaints.xlsx", ExportComplaintsAsync)
            .WithName("ExportComplaints")
            .WithSummary("The complaint list with the search's filters as an Excel workbook (personal data masked as in the search).");
        return endpoints;
    }

    private static async Task<Results<Ok<KpiTrend>, ValidationProblem, ProblemHttpResult>> GetTrendsAsync(
        string? period, DateTimeOffset? from, string? unitId, string? handler, HttpContext http, IDbContextFactory<DomainDbContext> contexts,
        IOptions<KpiTargets> targets, IOptions<DashboardOptions> options, IOptions<OrganisationOptions> organisation, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = StaffUser.From(http.User);
        if (KpiApi.Check(user) is { } problem)
        {
            return problem;
        }

        if (period is not (null or "week" or "month"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["period"] = ["周期应为 week 或 month (period must be week or month)."] });
        }

        var now = time.GetUtcNow();
        var zone = organisation.Value.FindTimeZone();
        var periods = Periods(period ?? "month", from, now, zone, options.Value);
        if (periods.Count > options.Value.MaxTrendPoints)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [$"一次最多 {options.Value.MaxTrendPoints} 个周期，请缩短时间范围 (at most {options.Value.MaxTrendPoints} periods)."] });
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new KpiTrend(period ?? "month", await TrendAsync(db, user!, unitId, handler, periods, targets.Value, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<DeadlineLists>, ProblemHttpResult>> GetDeadlinesAsync(
        string? unitId, string? handler, HttpContext http, IDbContextFactory<DomainDbContext> contexts, IOptions<DashboardOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (!user.IsStaff)
        {
            return Problems.Forbidden("仅供工作人员查看 (Staff only).");
        }

        var now = time.GetUtcNow();
        var window = options.Value.DueSoonWindow;
        var max = options.Value.MaxListItems;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var visible = ComplaintAccess.Visible(db.Set<Complaint>().AsNoTracking(), user);
        if (!string.IsNullOrEmpty(unitId))
        {
            visible = visible.Where(c => c.UnitId == unitId);
        }

        if (!string.IsNullOrEmpty(handler))
        {
            visible = visible.Where(c => c.HandlerUserName == handler);
        }

        var overdue = ComplaintAccess.Overdue(visible, now);
        var dueSoon = ComplaintAccess.DueBetween(visible, now, now + window);
        var overdueTotal = await overdue.CountAsync(cancellationToken).ConfigureAwait(false);
        var dueSoonTotal = await dueSoon.CountAsync(cancellationToken).ConfigureAwait(false);

        // Sorted by the deadline that counts, which depends on the status: read the few candidates and sort here.
        var overdueItems = await overdue.OrderBy(c => c.ReceivedAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        var dueSoonItems = await dueSoon.OrderBy(c => c.ReceivedAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        DeadlineItem Item(Complaint c) => new(ComplaintSummary.Of(c, user, now), ComplaintAccess.CurrentDeadline(c));
        return TypedResults.Ok(new DeadlineLists(now, window, overdueTotal, dueSoonTotal,
            [.. overdueItems.Select(Item).OrderBy(i => i.DueAt)],
            [.. dueSoonItems.Select(Item).OrderBy(i => i.DueAt)]));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportKpisAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? unitId, string? handler, HttpContext http, IDbContextFactory<DomainDbContext> contexts,
        IOptions<KpiTargets> targets, IOptions<DashboardOptions> options, IOptions<OrganisationOptions> organisation, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = StaffUser.From(http.User);
        if (KpiApi.Check(user) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var start = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = to ?? now;
        var zone = organisation.Value.FindTimeZone();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var report = KpiApi.Report(await KpiApi.LoadAsync(db, KpiApi.Scope(db, user!, start, end, unitId, handler), targets.Value, cancellationToken).ConfigureAwait(false), start, end, targets.Value);
        var trend = await TrendAsync(db, user!, unitId, handler, Periods("month", null, now, zone, options.Value), targets.Value, cancellationToken).ConfigureAwait(false);

        var units = await db.Set<Unit>().AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken).ConfigureAwait(false);
        var departments = await db.Set<Department>().AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken).ConfigureAwait(false);
        var staff = await db.Set<StaffMember>().AsNoTracking().ToDictionaryAsync(s => s.UserName, s => s.DisplayName, cancellationToken).ConfigureAwait(false);

        var book = new XlsxWorkbook();
        var info = book.AddSheet("说明 About", "项目 Item", "值 Value");
        info.Add(["统计起 From", XlsxCell.Time(Local(start, zone))]);
        info.Add(["统计止 To", XlsxCell.Time(Local(end, zone))]);
        info.Add(["单位 Unit", unitId ?? "全部 all"]);
        info.Add(["承办人 Handler", handler ?? "全部 all"]);
        info.Add(["导出时间 Exported", XlsxCell.Time(Local(now, zone))]);
        KpiSheet(book, "总计 Total", "范围 Scope", [report.Total], _ => "合计 Total");
        KpiSheet(book, "单位 Units", "单位 Unit", report.ByUnit, id => units.GetValueOrDefault(id, id));
        KpiSheet(book, "科室 Departments", "科室 Department", report.ByDepartment, id => departments.GetValueOrDefault(id, id));
        KpiSheet(book, "承办人 Handlers", "承办人 Handler", report.ByHandler, id => staff.GetValueOrDefault(id, id));
        KpiSheet(book, "月度趋势 Monthly", "月份 Month", [.. trend.Select(p => p.Figures with { Group = p.Label })], label => label);
        return File(http, book, $"kpis-{Local(now, zone):yyyyMMdd-HHmm}.xlsx");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportComplaintsAsync(
        [AsParameters] ComplaintSearch search, HttpContext http, IDbContextFactory<DomainDbContext> contexts, IOptions<DashboardOptions> options,
        IOptions<OrganisationOptions> organisation, TimeProvider time, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (!user.IsStaff)
        {
            return Problems.Forbidden("仅供工作人员导出 (Staff only).");
        }

        var now = time.GetUtcNow();
        var zone = organisation.Value.FindTimeZone();
        var max = options.Value.MaxExportRows;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = await ComplaintApi.FilterAsync(db, ComplaintAccess.Visible(db.Set<Complaint>().AsNoTracking(), user), search, now, cancellationToken).ConfigureAwait(false);
        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        if (total > max)
        {
            return TypedResults.Problem(title: "导出条数过多 (Too many complaints to export)",
                detail: $"符合条件的投诉有 {total} 件，超过一次导出的上限 {max} 件，请缩小时间范围或增加筛选条件 ({total} complaints match; at most {max} per export: narrow the search).",
                statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = "export-too-large", ["total"] = total, ["max"] = max });
        }

        var complaints = await query.OrderByDescending(c => c.ReceivedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        var units = await db.Set<Unit>().AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken).ConfigureAwait(false);
        var book = new XlsxWorkbook();
        var rows = book.AddSheet("投诉列表 Complaints", "受理号 Tracking no.", "类型 Kind", "状态 Status", "渠道 Channel", "投诉人 Consumer", "被投诉方 Respondent",
            "问题类别 Problem type", "难度 Tier", "承办单位 Unit", "承办人 Handler", "登记时间 Received", "受理期限 Acceptance due", "办理期限 Handling due", "超期 Overdue", "办结时间 Closed");
        foreach (var c in complaints.Select(c => ComplaintSummary.Of(c, user, now)))
        {
            rows.Add([
                c.TrackingNumber, c.IsReport ? "举报 report" : "投诉 complaint", c.Status.ToString(), c.Channel.ToString(), c.ConsumerName, c.RespondentName,
                c.ProblemType, c.Tier?.ToString(), c.UnitId is null ? null : units.GetValueOrDefault(c.UnitId, c.UnitId), c.Handler,
                XlsxCell.Time(Local(c.ReceivedAt, zone)), XlsxCell.Time(Local(c.AcceptanceDueAt, zone)), XlsxCell.Time(Local(c.HandlingDueAt, zone)),
                c.Overdue ? "是 yes" : "否 no", XlsxCell.Time(Local(c.ClosedAt, zone))]);
        }

        return File(http, book, $"complaints-{Local(now, zone):yyyyMMdd-HHmm}.xlsx");
    }

    private static void KpiSheet(XlsxWorkbook book, string name, string groupHeader, IEnumerable<KpiSet> sets, Func<string, string> label)
    {
        var rows = book.AddSheet(name, groupHeader, "受理量 Received",
            "按时办结率 On time", "按时办结 件", "办结 件", "目标 Target",
            "受理及时率 Accepted in time", "目标 Target",
            "调解成功率 Mediation success", "目标 Target",
            "满意率 Satisfaction", "平均满意度 Avg score", "目标 Target",
            "办结率 Closure", "目标 Target",
            "诉转案处理率 Conversion handled", "目标 Target");
        foreach (var s in sets)
        {
            rows.Add([
                label(s.Group ?? ""), s.Received,
                XlsxCell.Rate(s.OnTime.Rate), s.OnTime.Count, s.OnTime.Of, XlsxCell.Rate(s.OnTime.Target),
                XlsxCell.Rate(s.AcceptanceWithinLimit.Rate), XlsxCell.Rate(s.AcceptanceWithinLimit.Target),
                XlsxCell.Rate(s.MediationSuccess.Rate), XlsxCell.Rate(s.MediationSuccess.Target),
                XlsxCell.Rate(s.Satisfaction.Rate), s.AverageSatisfaction is { } average ? average : null, XlsxCell.Rate(s.Satisfaction.Target),
                XlsxCell.Rate(s.Closure.Rate), XlsxCell.Rate(s.Closure.Target),
                XlsxCell.Rate(s.ConversionHandling.Rate), XlsxCell.Rate(s.ConversionHandling.Target)]);
        }
    }

    private static FileContentHttpResult File(HttpContext http, XlsxWorkbook book, string name)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(book.ToArray(), XlsxWorkbook.ContentType, name);
    }

    /// <summary>The KPIs of each period, one grouped query a period (the counts, not the complaints, leave the database).</summary>
    internal static async Task<IReadOnlyList<TrendPoint>> TrendAsync(DomainDbContext db, StaffUser user, string? unitId, string? handler,
        IReadOnlyList<(string Label, DateTimeOffset From, DateTimeOffset To)> periods, KpiTargets targets, CancellationToken cancellationToken)
    {
        var points = new List<TrendPoint>(periods.Count);
        foreach (var (label, from, to) in periods)
        {
            var data = await KpiApi.LoadAsync(db, KpiApi.Scope(db, user, from, to, unitId, handler), targets, cancellationToken).ConfigureAwait(false);
            points.Add(new TrendPoint(label, from, to, KpiApi.Compute(label, data.Cells, data.Answers, targets)));
        }

        return points;
    }

    /// <summary>Local weeks (Monday to Monday, ISO numbering) or months up to the one containing now; the first contains <paramref name="from"/>.</summary>
    internal static List<(string Label, DateTimeOffset From, DateTimeOffset To)> Periods(string period, DateTimeOffset? from, DateTimeOffset now, TimeZoneInfo zone, DashboardOptions options)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        DateOnly Start(DateOnly day) => period == "week" ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : new DateOnly(day.Year, day.Month, 1);
        DateOnly Next(DateOnly start) => period == "week" ? start.AddDays(7) : start.AddMonths(1);
        var last = Start(today);
        var first = from is { } f
            ? Start(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(f, zone).DateTime))
            : period == "week" ? last.AddDays(-7 * (options.DefaultTrendPoints - 1)) : last.AddMonths(-(options.DefaultTrendPoints - 1));
        var result = new List<(string, DateTimeOffset, DateTimeOffset)>();
        for (var start = first; start <= last && result.Count <= options.MaxTrendPoints; start = Next(start))
        {
            var label = period == "week"
                ? $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):00}"
                : start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            result.Add((label, Instant(start, zone), Instant(Next(start), zone)));
        }

        return result;
    }

    private static DateTimeOffset Instant(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTime? Local(DateTimeOffset? instant, TimeZoneInfo zone) => instant is { } i ? TimeZoneInfo.ConvertTime(i, zone).DateTime : null;
}
