using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Odr;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>A business's line of a month's disclosure as the public page shows it: figures only, no personal data.</summary>
public sealed record DisclosureLine(string BusinessName, int Received, int PreviousReceived, double? Growth, int Mediated, double? MediationSuccessRate, bool Odr, int? OdrOffered, double? OdrSettledRate);

public sealed record DisclosureMonth(string Month, DisclosureStatus Status, DateTimeOffset DraftedAt, string? ReviewedBy, DateTimeOffset? ReviewedAt, DateTimeOffset? PublishedAt, IReadOnlyList<DisclosureLine> Lines);

/// <summary>
/// Public complaint disclosure (投诉公示): per business and month, counted from the complaints archived that month only
/// (<see cref="Complaint.ArchivedAt"/>, months in the calendar's time zone; reports not counted): complaints, growth
/// over the month before, mediation success rate and, for ODR businesses, the share they settled themselves (先行和解率).
/// An administrator drafts a month, reviews it and publishes it; only published months are public.
/// </summary>
public static class DisclosureApi
{
    public static IEndpointRouteBuilder MapDisclosureApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/disclosures").WithTags("Disclosure").RequireAuthorization(Policies.Administrator);
        admin.MapGet("/{month}", GetDraftAsync).WithName("GetDisclosure").WithSummary("A month's disclosure in any state (administrators).");
        admin.MapPost("/{month}/draft", DraftAsync).WithName("DraftDisclosure").WithSummary("Counts the month from the archive into a draft (again, while not published).");
        admin.MapPost("/{month}/review", ReviewAsync).WithName("ReviewDisclosure").WithSummary("Marks the month's draft reviewed.");
        admin.MapPost("/{month}/publish", PublishAsync).WithName("PublishDisclosure").WithSummary("Publishes a reviewed month.");

        var open = endpoints.MapGroup("/api/public/disclosures").WithTags("Disclosure").AllowAnonymous().RequireRateLimiting(RateLimits.Tracking);
        open.MapGet("", PublishedMonthsAsync).WithName("ListPublishedDisclosures").WithSummary("The months published, newest first.");
        open.MapGet("/{month}", PublishedAsync).WithName("GetPublishedDisclosure").WithSummary("A published month's disclosure; 404 until published.");
        return endpoints;
    }

    private static bool TryMonth(string month, out DateOnly first)
        => DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first);

    private static ProblemHttpResult BadMonth(string month)
        => TypedResults.Problem(title: "月份格式应为 yyyy-MM (The month is yyyy-MM)", detail: $"'{month}' is not a month such as 2026-11.", statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["code"] = "invalid-month" });

    private static async Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> DraftAsync(
        string month, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryMonth(month, out var first))
        {
            return BadMonth(month);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<DisclosureEntry>().Where(d => d.Month == month).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Any(d => d.Status == DisclosureStatus.Published))
        {
            return TypedResults.Problem(title: "该月已公示，不能重新统计 (The month is published)", detail: $"{month} was published; a published month is not counted again.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "published" });
        }

        var lines = await CountAsync(db, calendar, first, cancellationToken).ConfigureAwait(false);
        db.RemoveRange(existing);
        var now = time.GetUtcNow();
        foreach (var line in lines)
        {
            line.Month = month;
            line.DraftedAt = now;
            db.Add(line);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Month(month, lines));
    }

    /// <summary>The month's lines from the archive: complaints archived in [first, first + 1 month) and, for growth, the month before.</summary>
    internal static async Task<List<DisclosureEntry>> CountAsync(DomainDbContext db, WorkingCalendar calendar, DateOnly first, CancellationToken cancellationToken)
    {
        DateTimeOffset Start(DateOnly day) => new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), calendar.Zone), TimeSpan.Zero);
        var previous = Start(first.AddMonths(-1));
        var start = Start(first);
        var end = Start(first.AddMonths(1));
        var rows = await db.Set<Complaint>().AsNoTracking()
            .Where(c => !c.IsReport && c.ArchivedAt != null && c.ArchivedAt >= previous && c.ArchivedAt < end)
            .Select(c => new { c.RespondentName, c.OdrBusinessId, c.ArchivedAt, c.MediationSucceeded, c.OdrOutcome })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var businesses = await db.Set<OdrBusiness>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var byName = businesses.SelectMany(b => b.Names().Select(n => (n, b))).GroupBy(x => x.n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().b, StringComparer.Ordinal);
        var names = businesses.ToDictionary(b => b.Id, b => b.Name, StringComparer.Ordinal);

        // A branch's complaints count for its ODR business; other respondents by the name the complaint gives.
        string Business(string respondent, string? odrBusinessId)
            => odrBusinessId is not null && names.TryGetValue(odrBusinessId, out var name) ? name : byName.TryGetValue(respondent, out var b) ? b.Name : respondent;

        var lines = new List<DisclosureEntry>();
        foreach (var group in rows.GroupBy(r => Business(r.RespondentName, r.OdrBusinessId), StringComparer.Ordinal))
        {
            var current = group.Where(r => r.ArchivedAt >= start).ToList();
            if (current.Count == 0)
            {
                continue;
            }

            var odr = businesses.Any(b => b.Name == group.Key);
            var offered = current.Where(r => r.OdrBusinessId is not null).ToList();
            lines.Add(new DisclosureEntry
            {
                Month = "",
                BusinessName = group.Key,
                Received = current.Count,
                PreviousReceived = group.Count(r => r.ArchivedAt < start),
                Mediated = current.Count(r => r.MediationSucceeded is not null),
                MediationSucceeded = current.Count(r => r.MediationSucceeded == true),
                OdrOffered = odr ? offered.Count : null,
                OdrSettled = odr ? offered.Count(r => r.OdrOutcome == "settled") : null,
                Status = DisclosureStatus.Draft,
            });
        }

        return [.. lines.OrderByDescending(l => l.Received).ThenBy(l => l.BusinessName, StringComparer.Ordinal)];
    }

    private static async Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> GetDraftAsync(string month, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var lines = await db.Set<DisclosureEntry>().AsNoTracking().Where(d => d.Month == month).ToListAsync(cancellationToken).ConfigureAwait(false);
        return lines.Count == 0 ? Problems.NotFoundProblem($"{month} 尚未统计 (The month has no draft).") : TypedResults.Ok(Month(month, lines));
    }

    private static Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> ReviewAsync(string month, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
        => MoveAsync(month, DisclosureStatus.Draft, DisclosureStatus.Reviewed, http, contexts, time, cancellationToken);

    private static Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> PublishAsync(string month, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
        => MoveAsync(month, DisclosureStatus.Reviewed, DisclosureStatus.Published, http, contexts, time, cancellationToken);

    private static async Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> MoveAsync(
        string month, DisclosureStatus from, DisclosureStatus to, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var lines = await db.Set<DisclosureEntry>().Where(d => d.Month == month).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (lines.Count == 0)
        {
            return Problems.NotFoundProblem($"{month} 尚未统计 (The month has no draft).");
        }

        if (lines.Any(l => l.Status != from))
        {
            return TypedResults.Problem(title: to == DisclosureStatus.Reviewed ? "只能审核草稿 (Only a draft is reviewed)" : "只能公示已审核的月份 (Only a reviewed month is published)",
                detail: $"{month} is {lines[0].Status}; {to} follows {from}.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["code"] = "wrong-state" });
        }

        var who = StaffUser.From(http.User)?.UserName ?? "admin";
        var now = time.GetUtcNow();
        foreach (var line in lines)
        {
            line.Status = to;
            if (to == DisclosureStatus.Reviewed)
            {
                line.ReviewedBy = who;
                line.ReviewedAt = now;
            }
            else
            {
                line.PublishedBy = who;
                line.PublishedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Month(month, lines));
    }

    private static async Task<Ok<List<string>>> PublishedMonthsAsync(IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var months = await db.Set<DisclosureEntry>().AsNoTracking().Where(d => d.Status == DisclosureStatus.Published).Select(d => d.Month).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(months.OrderDescending(StringComparer.Ordinal).ToList());
    }

    private static async Task<Results<Ok<DisclosureMonth>, ProblemHttpResult>> PublishedAsync(string month, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var lines = await db.Set<DisclosureEntry>().AsNoTracking().Where(d => d.Month == month && d.Status == DisclosureStatus.Published).ToListAsync(cancellationToken).ConfigureAwait(false);
        return lines.Count == 0 ? Problems.NotFoundProblem($"{month} 尚未公示 (The month is not published).") : TypedResults.Ok(Month(month, lines));
    }

    private static DisclosureMonth Month(string month, List<DisclosureEntry> lines)
    {
        static double? Rate(int count, int of) => of == 0 ? null : Math.Round((double)count / of, 4);
        var first = lines.FirstOrDefault();
        return new DisclosureMonth(month, first?.Status ?? DisclosureStatus.Draft, first?.DraftedAt ?? default, first?.ReviewedBy, first?.ReviewedAt, first?.PublishedAt,
            [.. lines.OrderByDescending(l => l.Received).ThenBy(l => l.BusinessName, StringComparer.Ordinal).Select(l => new DisclosureLine(
                l.BusinessName, l.Received, l.PreviousReceived, l.PreviousReceived == 0 ? null : Math.Round((double)(l.Received - l.PreviousReceived) / l.PreviousReceived, 4),
                l.Mediated, Rate(l.MediationSucceeded, l.Mediated), l.OdrOffered is not null, l.OdrOffered, l.OdrOffered is { } o ? Rate(l.OdrSettled ?? 0, o) : null))]);
    }
}
