using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.RiskNotices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>What one detection round did.</summary>
public sealed record DetectionRound(int Complaints, int IncidentsOpened, int ComplaintsJoined, bool Surge, int RiskNotices);

/// <summary>
/// Finds group complaints and volume surges after intake, off the intake path: each round reads the complaints
/// registered since its cursor (complaint ids are time-ordered, so that is a primary-key range), and for each
/// one looks up the open incident of its respondent and matter (unique index), else counts the consumers
/// against the respondent within the window (respondent index, stopping at the threshold). A surge compares
/// the last hour's intake (received-at index) with the usual hourly level. Incidents open once per situation
/// (unique open key), so two hosts running rounds at the same time raise one. The same pass asks the risk
/// notices whether a respondent now calls for one.
/// </summary>
public sealed class IncidentDetector(
    IDbContextFactory<DomainDbContext> contexts,
    IncidentService incidents,
    RiskNoticeService riskNotices,
    TimeProvider time,
    IOptions<EmergencyOptions> options)
{
    private const string CursorName = "complaints";
    private readonly EmergencyOptions _options = options.Value;
    private Baseline? _baseline;

    public async Task<DetectionRound> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var settings = await incidents.SettingsAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var settled = now - _options.CommitLag;
        List<Seen> batch;
        DetectionCursor? cursor;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            cursor = await db.Set<DetectionCursor>().AsNoTracking().FirstOrDefaultAsync(c => c.Name == CursorName, cancellationToken).ConfigureAwait(false);
            var after = cursor?.LastComplaintId ?? "";
            batch = await db.Set<Complaint>().AsNoTracking()
                .Where(c => c.Id.CompareTo(after) > 0)
                .OrderBy(c => c.Id)
                .Take(_options.BatchSize)
                .Select(c => new Seen(c.Id, c.IsReport, c.RespondentName, c.RespondentAddress, c.ProblemType, c.GoodsOrService, c.ConsumerPhoneKey, c.ReceivedAt, c.RegisteredAt))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only complaints that have settled (their transaction and classification are done) are looked at.
        batch = [.. batch.TakeWhile(c => c.RegisteredAt <= settled)];
        int opened = 0, joined = 0, notices = 0;
        var respondentsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var complaint in batch.Where(c => !c.IsReport))
        {
            var (o, j) = await GroupAsync(complaint, settings, cancellationToken).ConfigureAwait(false);
            opened += o;
            joined += j;
            if (respondentsSeen.Add(complaint.RespondentName)
                && await riskNotices.CheckRespondentAsync(complaint.RespondentName, settings, cancellationToken).ConfigureAwait(false) is not null)
            {
                notices++;
            }
        }

        var surge = batch.Count > 0 && await SurgeAsync(settings, now, cancellationToken).ConfigureAwait(false);
        if (batch.Count > 0)
        {
            await AdvanceAsync(cursor, batch[^1].Id, now, cancellationToken).ConfigureAwait(false);
        }

        await incidents.StartPendingAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        return new DetectionRound(batch.Count, opened + (surge ? 1 : 0), joined, surge, notices);
    }

    /// <summary>The open key of a complaint's group: its respondent and, by the matching rule, its matter.</summary>
    public static string GroupKey(string respondentName, string? matter) => "group:" + Normalise(respondentName) + (matter is null ? "" : ":" + matter);

    private static string? Matter(Seen complaint, GroupMatch match) => match switch
    {
        GroupMatch.RespondentAndProblemType => complaint.ProblemType ?? "",
        GroupMatch.RespondentAndGoodsOrService => complaint.GoodsOrService ?? "",
        _ => null,
    };

    private async Task<(int Opened, int Joined)> GroupAsync(Seen complaint, EmergencySettings settings, CancellationToken cancellationToken)
    {
        var matter = Matter(complaint, settings.GroupMatch);
        var key = GroupKey(complaint.RespondentName, matter);
        if (await incidents.FindOpenAsync(key, cancellationToken).ConfigureAwait(false) is { } open)
        {
            return (0, await incidents.LinkAsync(open.Id, [complaint.Id], cancellationToken).ConfigureAwait(false));
        }

        var since = complaint.ReceivedAt.AddHours(-settings.GroupWindowHours);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<Complaint>().AsNoTracking()
            .Where(c => c.RespondentName == complaint.RespondentName && !c.IsReport && c.ReceivedAt >= since && c.ReceivedAt <= complaint.ReceivedAt);
        query = settings.GroupMatch switch
        {
            GroupMatch.RespondentAndProblemType => query.Where(c => (c.ProblemType ?? "") == matter),
            GroupMatch.RespondentAndGoodsOrService => query.Where(c => (c.GoodsOrService ?? "") == matter),
            _ => query,
        };

        // Counting stops at the threshold: a respondent with thousands of complaints costs no more than one with five.
        var consumers = await query.Select(c => c.ConsumerPhoneKey).Distinct().Take(settings.GroupThreshold).CountAsync(cancellationToken).ConfigureAwait(false);
        if (consumers < settings.GroupThreshold)
        {
            return (0, 0);
        }

        var members = await query.OrderBy(c => c.Id).Select(c => new { c.Id, c.Facts, c.Request }).Take(10_000).ToListAsync(cancellationToken).ConfigureAwait(false);
        var draft = incidents.New(IncidentKind.GroupComplaint, $"{complaint.RespondentName}群体投诉" + (string.IsNullOrEmpty(matter) ? "" : $"（{matter}）"), key, "detector");
        draft.RespondentName = complaint.RespondentName;
        draft.RespondentAddress = complaint.RespondentAddress;
        draft.Matter = string.IsNullOrEmpty(matter) ? null : matter;
        draft.PrepaidCard = members.Any(m => _options.PrepaidCardKeywords.Any(k => m.Facts.Contains(k, StringComparison.Ordinal) || m.Request.Contains(k, StringComparison.Ordinal)));
        draft.UnitId = await incidents.LeadUnitAsync(complaint.RespondentName, complaint.RespondentAddress, cancellationToken).ConfigureAwait(false);
        draft.ComplaintCount = members.Count;
        draft.ConsumerCount = consumers;
        var (_, opened) = await incidents.OpenOrJoinAsync(draft, [.. members.Select(m => m.Id)], cancellationToken).ConfigureAwait(false);
        return (opened ? 1 : 0, opened ? 0 : 1);
    }

    private async Task<bool> SurgeAsync(EmergencySettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hourAgo = now.AddHours(-1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var lastHour = await db.Set<Complaint>().AsNoTracking().Where(c => c.ReceivedAt > hourAgo && c.ReceivedAt <= now && !c.IsReport).CountAsync(cancellationToken).ConfigureAwait(false);
        if (lastHour < settings.SurgeMinimumPerHour)
        {
            return false;
        }

        // The usual level changes slowly: a host reads it again every ten minutes (or when the settings change).
        var baseline = Volatile.Read(ref _baseline);
        if (baseline is null || now - baseline.At > TimeSpan.FromMinutes(10) || baseline.Days != settings.SurgeBaselineDays)
        {
            var from = hourAgo.AddDays(-settings.SurgeBaselineDays);
            var count = await db.Set<Complaint>().AsNoTracking().Where(c => c.ReceivedAt > from && c.ReceivedAt <= hourAgo && !c.IsReport).CountAsync(cancellationToken).ConfigureAwait(false);
            baseline = new Baseline(now, settings.SurgeBaselineDays, count / (settings.SurgeBaselineDays * 24.0));
            Volatile.Write(ref _baseline, baseline);
        }

        if (lastHour < settings.SurgeMultiple * baseline.PerHour)
        {
            return false;
        }

        const string key = "surge";
        if (await incidents.FindOpenAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        var draft = incidents.New(IncidentKind.VolumeSurge, "投诉量激增", key, "detector");
        draft.SurgeCount = lastHour;
        draft.SurgeBaseline = Math.Round(baseline.PerHour, 2);
        draft.ComplaintCount = lastHour;
        var (_, opened) = await incidents.OpenOrJoinAsync(draft, [], cancellationToken).ConfigureAwait(false);
        return opened;
    }

    private async Task AdvanceAsync(DetectionCursor? cursor, string lastId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (cursor is null)
            {
                db.Add(new DetectionCursor { Name = CursorName, LastComplaintId = lastId, UpdatedAt = now });
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            // Moves only forward and only from what this round read (another host may have moved it meanwhile).
            await db.Set<DetectionCursor>()
                .Where(c => c.Name == CursorName && c.Version == cursor.Version && c.LastComplaintId!.CompareTo(lastId) < 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastComplaintId, lastId).SetProperty(c => c.UpdatedAt, now).SetProperty(c => c.Version, cursor.Version + 1), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host created the cursor first; the next round uses it.
        }
    }

    private static string Normalise(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private sealed record Seen(string Id, bool IsReport, string RespondentName, string? RespondentAddress, string? ProblemType, string? GoodsOrService, string ConsumerPhoneKey, DateTimeOffset ReceivedAt, DateTimeOffset RegisteredAt);

    private sealed record Baseline(DateTimeOffset At, int Days, double PerHour);
}
