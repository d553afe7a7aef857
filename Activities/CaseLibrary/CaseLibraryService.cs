using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.CaseLibrary;

/// <summary>
/// The case library (典型案例库): staff select closed complaints as typical cases (anonymised at once, the
/// respondent kept); on the publication day each month the cases selected in earlier months are published.
/// Publication is one conditional update, so two hosts publish each case once.
/// </summary>
public sealed class CaseLibraryService(
    IDbContextFactory<DomainDbContext> contexts,
    WorkingCalendar calendar,
    TimeProvider time,
    IOptions<EmergencyOptions> options)
{
    private static readonly ComplaintStatus[] Finished = [ComplaintStatus.Closed, ComplaintStatus.Surveyed, ComplaintStatus.Archived, ComplaintStatus.Terminated];

    public async Task<CaseLibraryEntry> SelectAsync(string complaintId, string? title, string? commentary, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == complaintId || c.TrackingNumber == complaintId, cancellationToken).ConfigureAwait(false);
        if (complaint is null)
        {
            errors["complaintId"] = [$"没有投诉 {complaintId} (no complaint {complaintId})."];
        }
        else if (!Finished.Contains(complaint.Status))
        {
            errors["complaintId"] = [$"投诉 {complaint.TrackingNumber} 尚未办结，不能作为典型案例 (only finished complaints can be selected)."];
        }
        else if (await db.Set<CaseLibraryEntry>().AnyAsync(e => e.ComplaintId == complaint.Id, cancellationToken).ConfigureAwait(false))
        {
            errors["complaintId"] = [$"投诉 {complaint.TrackingNumber} 已选为典型案例 (already selected)."];
        }

        if (title is { Length: > 200 })
        {
            errors["title"] = ["标题不能超过 200 字 (title is longer than 200 characters)."];
        }

        if (commentary is { Length: > 4000 })
        {
            errors["commentary"] = ["评析不能超过 4000 字 (commentary is longer than 4000 characters)."];
        }

        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        var closure = await db.Set<ClosureRecord>().AsNoTracking().Where(r => r.ComplaintId == complaint!.Id).OrderByDescending(r => r.Round).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var staffNames = await db.Set<StaffMember>().AsNoTracking().Select(s => s.DisplayName).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string> { complaint!.ConsumerName };
        names.AddRange(staffNames);
        var keep = new[] { complaint.RespondentName };
        string M(string? text) => Anonymizer.Mask(text, names, keep);
        var now = time.GetUtcNow();
        var entry = new CaseLibraryEntry
        {
            ComplaintId = complaint.Id,
            Month = calendar.LocalDate(now).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            Title = M(string.IsNullOrWhiteSpace(title) ? $"{complaint.RespondentName}{complaint.ProblemType ?? ""}纠纷案" : title.Trim()),
            ProblemType = complaint.ProblemType,
            Industry = complaint.Industry,
            RespondentName = complaint.RespondentName,
            Facts = M(closure?.BasicFacts is { Length: > 0 } facts ? facts : complaint.Facts + "\n诉求：" + complaint.Request),
            Outcome = M(closure?.Result ?? (complaint.Status == ComplaintStatus.Terminated ? "调解终止" : "已办结")),
            Commentary = string.IsNullOrWhiteSpace(commentary) ? null : M(commentary),
            SelectedBy = actor,
            SelectedAt = now,
        };
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Publishes, on or after the publication day, every case selected in an earlier month and not yet published.</summary>
    public async Task<int> PublishDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = calendar.LocalDate(now);
        if (today.Day < options.Value.CaseLibraryPublishDay)
        {
            return 0;
        }

        var current = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CaseLibraryEntry>().Where(e => e.PublishedAt == null && e.Month.CompareTo(current) < 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.PublishedAt, now), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CaseLibraryEntry>> PublishedAsync(string? month, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CaseLibraryEntry>().AsNoTracking().Where(e => e.PublishedAt != null && (month == null || e.Month == month))
            .OrderByDescending(e => e.Month).ThenBy(e => e.Id).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CaseLibraryEntry>> SelectedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CaseLibraryEntry>().AsNoTracking().OrderByDescending(e => e.Id).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
