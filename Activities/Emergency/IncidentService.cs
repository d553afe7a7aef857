using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>What starts a plan by hand: a drill (演练) or an event reported to the centre.</summary>
public sealed record ManualIncidentRequest
{
    public string? Title { get; init; }

    public string? RespondentName { get; init; }

    public string? RespondentAddress { get; init; }

    public string? Summary { get; init; }

    /// <summary>I, II, III or IV; empty: IV.</summary>
    public string? Level { get; init; }

    public bool PrepaidCard { get; init; }

    public bool Drill { get; init; }

    /// <summary>For a drill: who takes part (user names); they alone get its tasks and notifications.</summary>
    public IReadOnlyList<string>? Participants { get; init; }
}

/// <summary>A 舆情 item reported to the centre.</summary>
public sealed record OpinionRequest
{
    public string? Title { get; init; }

    /// <summary>blue, yellow, orange or red.</summary>
    public string? Grade { get; init; }

    /// <summary>Where it appeared (media, platform, link).</summary>
    public string? Source { get; init; }

    public string? Summary { get; init; }

    public string? RespondentName { get; init; }

    public bool Drill { get; init; }

    public IReadOnlyList<string>? Participants { get; init; }
}

/// <summary>Input that cannot start a plan, by field.</summary>
public sealed class IncidentValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("应急事件信息有误 (The incident has missing or invalid fields): " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// Opens incidents (once per situation: the open key is unique in the database), links complaints to them,
/// starts their plan process, keeps their record, and holds the administrators' detection settings.
/// </summary>
public sealed partial class IncidentService(
    IDbContextFactory<DomainDbContext> contexts,
    WorkflowEngine engine,
    TimeProvider time,
    WorkingCalendar calendar,
    JurisdictionResolver jurisdiction,
    IOptions<EmergencyOptions> options,
    ILogger<IncidentService> logger,
    RowInserter? rows = null)
{
    private readonly EmergencyOptions _options = options.Value;
    private readonly RowInserter _rows = rows ?? new();
    private SettingsEntry? _settings;

    public EmergencyOptions Options => _options;

    // ---- settings ----

    /// <summary>The detection settings in force (cached for <see cref="EmergencyOptions.SettingsCacheDuration"/>).</summary>
    public async Task<EmergencySettings> SettingsAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref _settings) is { } cached && now - cached.LoadedAt < _options.SettingsCacheDuration)
        {
            return cached.Settings;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var settings = await db.Set<EmergencySettings>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == EmergencySettings.SingletonId, cancellationToken).ConfigureAwait(false)
            ?? EmergencySettings.Defaults(_options);
        Volatile.Write(ref _settings, new SettingsEntry(settings, now));
        return settings;
    }

    /// <summary>Saves the detection settings; every rule out of range is refused by name.</summary>
    public async Task<EmergencySettings> SaveSettingsAsync(EmergencySettings settings, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<EmergencySettings>().FirstOrDefaultAsync(s => s.Id == EmergencySettings.SingletonId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new EmergencySettings();
            db.Add(row);
        }

        db.Entry(row).CurrentValues.SetValues(settings);
        row.Id = EmergencySettings.SingletonId;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _settings, null);
        return row;
    }

    // ---- opening ----

    /// <summary>
    /// Opens the incident for <paramref name="openKey"/> unless one is open (another host may win the race:
    /// then its incident is returned) and links the complaints. Returns the incident and whether this call opened it.
    /// </summary>
    public async Task<(EmergencyIncident Incident, bool Opened)> OpenOrJoinAsync(EmergencyIncident draft, IReadOnlyCollection<string> complaintIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(complaintIds);
        if (draft.OpenKey is { } key && await FindOpenAsync(key, cancellationToken).ConfigureAwait(false) is { } open)
        {
            await LinkAsync(open.Id, complaintIds, cancellationToken).ConfigureAwait(false);
            return (open, false);
        }

        var now = time.GetUtcNow();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Add(draft);
            foreach (var id in complaintIds.Distinct(StringComparer.Ordinal))
            {
                db.Add(new IncidentComplaint { IncidentId = draft.Id, ComplaintId = id, JoinedAt = now });
            }

            db.Add(new IncidentEvent { IncidentId = draft.Id, At = now, Kind = "raised", Text = RaisedText(draft), Actor = draft.OpenedBy });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (draft.OpenKey is not null)
            {
                // Another host opened it first (unique open key): join that one.
                var winner = await FindOpenAsync(draft.OpenKey, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Opening incident '{draft.OpenKey}' failed and no open incident has that key.");
                await LinkAsync(winner.Id, complaintIds, cancellationToken).ConfigureAwait(false);
                return (winner, false);
            }
        }

        await NoteComplaintsAsync(draft, complaintIds, cancellationToken).ConfigureAwait(false);
        LogOpened(logger, draft.Number, draft.Kind, draft.IsDrill);
        await StartPlanAsync(draft, cancellationToken).ConfigureAwait(false);
        return (draft, true);
    }

    /// <summary>Starts a plan by hand: a drill, or an event reported to the centre.</summary>
    public async Task<EmergencyIncident> StartManualAsync(ManualIncidentRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 300)
        {
            errors["title"] = ["请填写事件名称（不超过 300 字） (title is required, at most 300 characters)."];
        }

        if (!string.IsNullOrWhiteSpace(request.Level) && NormaliseLevel(request.Level) is null)
        {
            errors["level"] = ["级别应为 I、II、III 或 IV (level must be I, II, III or IV)."];
        }

        var participants = await CheckParticipantsAsync(request.Drill, request.Participants, errors, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        var incident = New(IncidentKind.Manual, request.Title!.Trim(), openKey: null, actor);
        incident.RespondentName = request.RespondentName?.Trim();
        incident.RespondentAddress = request.RespondentAddress?.Trim();
        incident.Summary = request.Summary?.Trim();
        incident.Level = NormaliseLevel(request.Level);
        incident.PrepaidCard = request.PrepaidCard;
        incident.IsDrill = request.Drill;
        incident.DrillParticipants = participants;
        incident.UnitId = await LeadUnitAsync(incident.RespondentName, incident.RespondentAddress, cancellationToken).ConfigureAwait(false);
        return (await OpenOrJoinAsync(incident, [], cancellationToken).ConfigureAwait(false)).Incident;
    }

    /// <summary>Registers a 舆情 item and starts its response process with the grade's report deadline.</summary>
    public async Task<EmergencyIncident> StartOpinionAsync(OpinionRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 300)
        {
            errors["title"] = ["请填写舆情标题（不超过 300 字） (title is required, at most 300 characters)."];
        }

        if (settings.OpinionHours(request.Grade) is null)
        {
            errors["grade"] = ["舆情等级应为 blue 蓝色、yellow 黄色、orange 橙色或 red 红色 (grade must be blue, yellow, orange or red)."];
        }

        var participants = await CheckParticipantsAsync(request.Drill, request.Participants, errors, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        var incident = New(IncidentKind.PublicOpinion, request.Title!.Trim(), openKey: null, actor);
        incident.OpinionGrade = NormaliseGrade(request.Grade!);
        incident.OpinionSource = request.Source?.Trim();
        incident.Summary = request.Summary?.Trim();
        incident.RespondentName = request.RespondentName?.Trim();
        incident.IsDrill = request.Drill;
        incident.DrillParticipants = participants;
        incident.UnitId = await LeadUnitAsync(incident.RespondentName, null, cancellationToken).ConfigureAwait(false);
        return (await OpenOrJoinAsync(incident, [], cancellationToken).ConfigureAwait(false)).Incident;
    }

    /// <summary>A new incident (not yet stored), numbered from the clock and its id.</summary>
    public EmergencyIncident New(IncidentKind kind, string title, string? openKey, string? actor)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N");
        var local = TimeZoneInfo.ConvertTime(now, calendar.Zone);
        return new EmergencyIncident
        {
            Id = id,
            Number = "YJ" + local.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture) + id[^4..].ToUpperInvariant(),
            Kind = kind,
            Status = IncidentStatus.Open,
            Title = title,
            OpenKey = openKey,
            OpenedAt = now,
            OpenedBy = actor,
        };
    }

    public async Task<EmergencyIncident?> FindOpenAsync(string openKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<EmergencyIncident>().AsNoTracking().FirstOrDefaultAsync(i => i.OpenKey == openKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds complaints to an incident (each once), updates its counts and notes it on each complaint's timeline.</summary>
    public async Task<int> LinkAsync(string incidentId, IReadOnlyCollection<string> complaintIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(complaintIds);
        if (complaintIds.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var wanted = complaintIds.Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var known = await db.Set<IncidentComplaint>().AsNoTracking().Where(l => l.IncidentId == incidentId && wanted.Contains(l.ComplaintId))
            .Select(l => l.ComplaintId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var added = wanted.Except(known, StringComparer.Ordinal).ToList();
        if (added.Count == 0)
        {
            return 0;
        }

        var incident = await db.Set<EmergencyIncident>().AsNoTracking().FirstAsync(i => i.Id == incidentId, cancellationToken).ConfigureAwait(false);
        var joined = 0;
        foreach (var id in added)
        {
            try
            {
                await using var one = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                one.Add(new IncidentComplaint { IncidentId = incidentId, ComplaintId = id, JoinedAt = now });
                one.Add(new ComplaintEvent { ComplaintId = id, At = now, Kind = "incident-joined", Text = $"并入应急事件 {incident.Number}“{incident.Title}” (joined incident)", Public = false });
                one.Add(new IncidentEvent { IncidentId = incidentId, At = now, Kind = "complaint-joined", Text = $"投诉 {id} 并入本事件 (a complaint joined)" });
                await one.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                joined++;
            }
            catch (DbUpdateException)
            {
                // Linked meanwhile by another host: nothing to add.
            }
        }

        await RecountAsync(db, incidentId, cancellationToken).ConfigureAwait(false);
        return joined;
    }

    private static async Task RecountAsync(DomainDbContext db, string incidentId, CancellationToken cancellationToken)
    {
        var phones = await db.Set<IncidentComplaint>().AsNoTracking().Where(l => l.IncidentId == incidentId)
            .Join(db.Set<Complaint>(), l => l.ComplaintId, c => c.Id, (l, c) => c.ConsumerPhoneKey)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var complaints = phones.Count;
        var consumers = phones.Distinct(StringComparer.Ordinal).Count();
        await db.Set<EmergencyIncident>().Where(i => i.Id == incidentId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ComplaintCount, complaints).SetProperty(i => i.ConsumerCount, consumers), cancellationToken).ConfigureAwait(false);
    }

    private async Task NoteComplaintsAsync(EmergencyIncident incident, IReadOnlyCollection<string> complaintIds, CancellationToken cancellationToken)
    {
        if (complaintIds.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in complaintIds.Distinct(StringComparer.Ordinal))
        {
            db.Add(new ComplaintEvent { ComplaintId = id, At = now, Kind = "incident-joined", Text = $"列入应急事件 {incident.Number}“{incident.Title}” (part of incident)", Public = false });
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await RecountAsync(db, incident.Id, cancellationToken).ConfigureAwait(false);
    }

    // ---- the plan process ----

    /// <summary>Starts the incident's plan (the 舆情 process for a public-opinion item) and records its instance.</summary>
    public async Task StartPlanAsync(EmergencyIncident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var key = incident.Kind == IncidentKind.PublicOpinion ? _options.OpinionProcessKey : _options.EmergencyProcessKey;
        var variables = new Dictionary<string, object?>
        {
            ["incidentId"] = incident.Id,
            ["incidentNumber"] = incident.Number,
            ["incidentKind"] = incident.Kind.ToString(),
            ["title"] = incident.Title,
            ["respondentName"] = incident.RespondentName ?? "",
            ["drill"] = incident.IsDrill,
            ["opinionGrade"] = incident.OpinionGrade ?? "",
        };
        var instance = await engine.StartProcessAsync(key, variables, incident.Id, cancellationToken).ConfigureAwait(false);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<EmergencyIncident>().Where(i => i.Id == incident.Id && i.ProcessInstanceId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProcessInstanceId, instance.Id), cancellationToken).ConfigureAwait(false);
        incident.ProcessInstanceId ??= instance.Id;
    }

    /// <summary>Starts the plan of incidents whose host stopped between opening them and starting it.</summary>
    public async Task<int> StartPendingAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - olderThan;
        List<EmergencyIncident> pending;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            pending = await db.Set<EmergencyIncident>().AsNoTracking()
                .Where(i => i.ProcessInstanceId == null && i.Status == IncidentStatus.Open && i.OpenedAt < before)
                .OrderBy(i => i.OpenedAt).Take(20).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var started = 0;
        foreach (var incident in pending)
        {
            var key = incident.Kind == IncidentKind.PublicOpinion ? _options.OpinionProcessKey : _options.EmergencyProcessKey;
            var running = (await engine.GetInstancesAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false)).FirstOrDefault(i => i.BusinessKey == incident.Id);
            if (running is not null)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                await db.Set<EmergencyIncident>().Where(i => i.Id == incident.Id && i.ProcessInstanceId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProcessInstanceId, running.Id), cancellationToken).ConfigureAwait(false);
                continue;
            }

            await StartPlanAsync(incident, cancellationToken).ConfigureAwait(false);
            started++;
        }

        return started;
    }

    // ---- record ----

    public async Task<EmergencyIncident> GetAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<EmergencyIncident>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"应急事件 {incidentId} 不存在 (no incident {incidentId}).");
    }

    /// <summary>
    /// Adds an entry to the incident's record and applies <paramref name="change"/> to the incident, with the step of the
    /// activity <paramref name="context"/> (see <see cref="DomainStepWork"/>): a step that loses a race (the same timer
    /// fired by two pollers or two hosts at once) leaves no entry and is run again on the state the winner left, instead
    /// of failing with an incident on the incident's version the winner changed, or recording the entry twice.
    /// </summary>
    public async Task RecordAsync(ActivityContext context, string incidentId, string kind, string text, string? data, string? actor, Action<EmergencyIncident>? change = null, CancellationToken cancellationToken = default)
    {
        await using var work = DomainStepWork.For(context, contexts, _rows);
        var incident = await work.FindAsync<EmergencyIncident>(incidentId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"应急事件 {incidentId} 不存在 (no incident {incidentId}).");
        if (change is not null)
        {
            change(incident);
            incident.Version++;
            work.Update(incident);
        }

        work.Add(new IncidentEvent { IncidentId = incidentId, At = time.GetUtcNow(), Kind = kind, Text = text, Data = data, Actor = actor });
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The county bureau with jurisdiction over the respondent (the intake centre's when none).</summary>
    public async Task<string?> LeadUnitAsync(string? respondentName, string? respondentAddress, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(respondentName) && string.IsNullOrWhiteSpace(respondentAddress))
        {
            return null;
        }

        var result = await jurisdiction.ResolveAsync(respondentName, respondentAddress, cancellationToken).ConfigureAwait(false);
        return result.CountyUnitId ?? result.UnitId;
    }

    public static string? NormaliseLevel(string? level) => level?.Trim().ToUpperInvariant() switch
    {
        "I" or "1" or "特别重大" => "I",
        "II" or "2" or "重大" => "II",
        "III" or "3" or "较大" => "III",
        "IV" or "4" or "一般" => "IV",
        _ => null,
    };

    public static string LevelName(string? level) => level switch
    {
        "I" => "I级（特别重大）",
        "II" => "II级（重大）",
        "III" => "III级（较大）",
        _ => "IV级（一般）",
    };

    public static string NormaliseGrade(string grade) => grade.Trim().ToLowerInvariant() switch
    {
        "蓝" or "蓝色" => "blue",
        "黄" or "黄色" => "yellow",
        "橙" or "橙色" => "orange",
        "红" or "红色" => "red",
        var g => g,
    };

    public static string GradeName(string? grade) => grade switch
    {
        "blue" => "蓝色",
        "yellow" => "黄色",
        "orange" => "橙色",
        "red" => "红色",
        _ => grade ?? "",
    };

    private async Task<string?> CheckParticipantsAsync(bool drill, IReadOnlyList<string>? participants, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (!drill)
        {
            return null;
        }

        var names = (participants ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            errors["participants"] = ["演练须指定参演人员 (a drill needs its participants)."];
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var known = await db.Set<StaffMember>().AsNoTracking().Where(s => names.Contains(s.UserName) && s.Active).Select(s => s.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
        var unknown = names.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors["participants"] = [$"参演人员不在人员名册中或已停用：{string.Join("、", unknown)} (unknown or inactive staff)."];
        }

        return string.Join(',', names);
    }

    private static string RaisedText(EmergencyIncident incident) => incident.Kind switch
    {
        IncidentKind.GroupComplaint => $"群体投诉预警：{incident.RespondentName} 涉及多名消费者（{incident.Matter ?? "同一事项"}），启动应急预案 (group complaint detected)",
        IncidentKind.VolumeSurge => $"投诉量激增预警：近一小时 {incident.SurgeCount} 件，约为平常的 {(incident.SurgeBaseline is > 0 ? ((double)incident.SurgeCount.GetValueOrDefault() / incident.SurgeBaseline.Value).ToString("0.#", CultureInfo.InvariantCulture) : "∞")} 倍 (volume surge detected)",
        IncidentKind.PublicOpinion => $"舆情登记：{GradeName(incident.OpinionGrade)}预警 {incident.Title} (public-opinion item registered)",
        _ => (incident.IsDrill ? "【演练】" : "") + $"启动应急预案：{incident.Title} (plan started)",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Emergency incident {Number} opened ({Kind}, drill {Drill})")]
    private static partial void LogOpened(ILogger logger, string number, IncidentKind kind, bool drill);

    private sealed record SettingsEntry(EmergencySettings Settings, DateTimeOffset LoadedAt);
}
