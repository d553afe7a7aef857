using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>Why a person was chosen for a task.</summary>
public enum AssigneeBasis
{
    /// <summary>The preferred person, present.</summary>
    Preferred,

    /// <summary>The preferred person is absent: the A/B partner (AB岗).</summary>
    Partner,

    /// <summary>Out of office hours: the unit's duty officer of the day (值班).</summary>
    DutyOfficer,

    /// <summary>Out of office hours with no duty officer on the roster: a desk officer of the unit.</summary>
    DeskOfficerOutOfHours,

    /// <summary>Nobody given or available: the least-loaded member of the role in the unit.</summary>
    LeastLoaded,

    /// <summary>Nobody suitable: a person must assign the task.</summary>
    Nobody,
}

/// <summary>The person who should get a task now, and why (Chinese, for the task and the timeline).</summary>
public sealed record AssigneeChoice(string? UserName, string? DisplayName, AssigneeBasis Basis, string Reason);

/// <summary>
/// Decides who gets a task NOW: out of office hours the unit's duty officer of the day (falling back to its
/// desk officers); else the preferred person when present, the A/B partner when not; else the least-loaded
/// present member of the role in the unit.
/// </summary>
public sealed class AssigneeResolver(
    IDbContextFactory<DomainDbContext> contexts,
    IWorkingCalendar calendar,
    TimeProvider time,
    IOptions<OrganisationOptions> options,
    OrganisationCache? cache = null)
{
    private readonly OrganisationOptions _options = options.Value;

    // Compiled once: every dispatch and every assignment reads the loads (per resolver, as a compiled query belongs to one model).
    private readonly ModelBoundQuery<Func<DomainDbContext, List<string>, IAsyncEnumerable<HandlerLoad>>> _loads = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, List<string> names) => db.Set<HandlerLoad>().AsNoTracking().Where(l => names.Contains(l.UserName))));

    /// <summary>
    /// Open complaints per handler (status not Closed, Terminated, Archived, Refused or Surveyed) for the given user names,
    /// 0 for those without any, from the counts the database keeps (<see cref="HandlerLoad"/>).
    /// </summary>
    internal async Task<Dictionary<string, int>> OpenComplaintsAsync(DomainDbContext db, IEnumerable<string> userNames, CancellationToken cancellationToken)
    {
        var names = userNames.Distinct(StringComparer.Ordinal).ToList();
        var result = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return result;
        }

        await foreach (var load in _loads.For(db)(db, names).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            result[load.UserName] = load.OpenComplaints;
        }

        return result;
    }

    /// <param name="preferredUserName">The person who should normally get it (may be empty).</param>
    /// <param name="unitId">The unit whose roster and role pool apply (empty: the preferred person's unit).</param>
    /// <param name="role">The role whose members take it when nobody is given (<see cref="StaffRoles"/>).</param>
    /// <param name="outOfHoursToDuty">Whether out of office hours the duty officer takes it (false for a leader's supervision).</param>
    public async Task<AssigneeChoice> ResolveAsync(string? preferredUserName, string? unitId, string role, bool outOfHoursToDuty = true, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(db, organisation, preferredUserName, unitId, role, outOfHoursToDuty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The leader of a unit for supervision (督办): its leader, else the nearest parent unit's; the leader's A/B
    /// partner while the leader is absent; the absent leader when nobody can stand in. Null when no unit up
    /// the chain has an active leader.
    /// </summary>
    public async Task<AssigneeChoice?> LeaderAsync(string unitId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var unit = organisation.Unit(unitId); unit is not null && seen.Add(unit.Id); unit = organisation.Unit(unit.ParentUnitId))
        {
            if (organisation.Members(unit.Id, StaffRoles.Leader).FirstOrDefault() is not { } leader)
            {
                continue;
            }

            var choice = await ResolveAsync(db, organisation, leader.UserName, unit.Id, StaffRoles.Leader, false, cancellationToken).ConfigureAwait(false);
            return choice.UserName is not null
                ? choice
                : new AssigneeChoice(leader.UserName, leader.DisplayName, AssigneeBasis.Preferred, $"{leader.DisplayName}不在岗且无人替代，仍由其接收");
        }

        return null;
    }

    internal async Task<AssigneeChoice> ResolveAsync(
        DomainDbContext db, OrganisationSnapshot organisation, string? preferredUserName, string? unitId, string role, bool outOfHoursToDuty, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var preferred = organisation.Member(string.IsNullOrWhiteSpace(preferredUserName) ? null : preferredUserName.Trim());
        var unit = organisation.Unit(string.IsNullOrWhiteSpace(unitId) ? preferred?.UnitId : unitId.Trim());
        var absences = organisation.Absences.Where(a => a.From <= now && a.To > now).ToList();
        bool Present(StaffMember m) => m.Active && !absences.Any(a => a.UserName == m.UserName);
        var originally = preferred is null ? "" : $"（原定：{preferred.DisplayName}）";

        if (outOfHoursToDuty && _options.RouteOutOfHoursToDuty && unit is not null && IsOutOfHours(now))
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _options.FindTimeZone()).DateTime);
            var onDuty = organisation.DutyShifts.Where(d => d.UnitId == unit.Id && d.Date == day).Select(d => d.UserName).ToList();
            var dutyOfficers = onDuty.Select(organisation.Member).OfType<StaffMember>().Where(Present).ToList();
            var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (await LeastLoadedAsync(db, dutyOfficers, cancellationToken).ConfigureAwait(false) is { } duty)
            {
                return new AssigneeChoice(duty.UserName, duty.DisplayName, AssigneeBasis.DutyOfficer, $"非工作时间（{date}），由{unit.Name}值班人员{duty.DisplayName}接收{originally}");
            }

            var desk = organisation.Members(unit.Id, StaffRoles.DeskOfficer).Where(Present).ToList();
            if (await LeastLoadedAsync(db, desk, cancellationToken).ConfigureAwait(false) is { } officer)
            {
                return new AssigneeChoice(officer.UserName, officer.DisplayName, AssigneeBasis.DeskOfficerOutOfHours,
                    $"非工作时间且{unit.Name}{date}无值班安排，由受理员{officer.DisplayName}接收{originally}");
            }
        }

        var why = "";
        if (preferred is not null)
        {
            if (Present(preferred))
            {
                return new AssigneeChoice(preferred.UserName, preferred.DisplayName, AssigneeBasis.Preferred, $"由{preferred.DisplayName}办理");
            }

            var absence = absences.FirstOrDefault(a => a.UserName == preferred.UserName);
            var away = absence is null ? "已停用" : $"不在岗（{absence.Reason ?? "请假"}）";
            if (organisation.Member(preferred.PartnerUserName) is { } partner && Present(partner))
            {
                return new AssigneeChoice(partner.UserName, partner.DisplayName, AssigneeBasis.Partner, $"{preferred.DisplayName}{away}，由A/B岗搭档{partner.DisplayName}接收");
            }

            why = $"{preferred.DisplayName}{away}且无可用的A/B岗搭档，";
        }
        else if (!string.IsNullOrWhiteSpace(preferredUserName))
        {
            why = $"指定人员“{preferredUserName.Trim()}”不在人员名册中，";
        }

        if (unit is null)
        {
            return new AssigneeChoice(null, null, AssigneeBasis.Nobody, $"{why}未指定承办单位，请人工指派");
        }

        var pool = organisation.Members(unit.Id, role).Where(Present).ToList();

        // Legal-section reviewers (法制科) review only what is sent to them: desk reviews go to the others first.
        var general = pool.Where(m => !organisation.Departments.Any(d => d.Id == m.DepartmentId && d.IsLegalSection)).ToList();
        pool = general.Count > 0 ? general : pool;
        var loads = await OpenComplaintsAsync(db, pool.Select(p => p.UserName), cancellationToken).ConfigureAwait(false);
        if (Pick(pool, loads) is { } chosen)
        {
            return new AssigneeChoice(chosen.UserName, chosen.DisplayName, AssigneeBasis.LeastLoaded,
                $"{why}由{unit.Name}{StaffRoles.DisplayName(role)}中在办件最少的{chosen.DisplayName}接收（在办{loads[chosen.UserName]}件）");
        }

        return new AssigneeChoice(null, null, AssigneeBasis.Nobody, $"{why}{unit.Name}没有在岗的{StaffRoles.DisplayName(role)}，请人工指派");
    }

    /// <summary>Out of office hours, not counting a short break between office-hour ranges of the same day (lunch).</summary>
    private bool IsOutOfHours(DateTimeOffset now)
    {
        if (calendar.IsOfficeHours(now))
        {
            return false;
        }

        var tolerance = _options.OfficeBreakTolerance;
        return tolerance <= TimeSpan.Zero || !calendar.IsOfficeHours(now - tolerance) || !calendar.IsOfficeHours(now + tolerance);
    }

    private async Task<StaffMember?> LeastLoadedAsync(DomainDbContext db, List<StaffMember> members, CancellationToken cancellationToken)
    {
        if (members.Count == 0)
        {
            return null;
        }

        var loads = await OpenComplaintsAsync(db, members.Select(p => p.UserName), cancellationToken).ConfigureAwait(false);
        return Pick(members, loads);
    }

    /// <summary>The least-loaded member (open complaints relative to their limit), preferring those below their limit.</summary>
    internal StaffMember? Pick(IEnumerable<StaffMember> members, IReadOnlyDictionary<string, int> loads)
        => members
            .OrderBy(m => loads.GetValueOrDefault(m.UserName) >= Limit(m) ? 1 : 0)
            .ThenBy(m => (double)loads.GetValueOrDefault(m.UserName) / Limit(m))
            .ThenBy(m => loads.GetValueOrDefault(m.UserName))
            .ThenBy(m => m.UserName, StringComparer.Ordinal)
            .FirstOrDefault();

    internal int Limit(StaffMember member) => member.MaxOpenComplaints > 0 ? member.MaxOpenComplaints : _options.DefaultMaxOpenComplaints;
}
