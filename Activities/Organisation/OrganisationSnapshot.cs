using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>The organisation as read at one moment (units, departments, staff, platforms): small enough to hold in memory per decision.</summary>
internal sealed class OrganisationSnapshot
{
    private readonly Dictionary<string, Unit> _units;
    private readonly Dictionary<string, StaffMember> _staff;

    private OrganisationSnapshot(List<Unit> units, List<Department> departments, List<StaffMember> staff, List<PlatformOperator> platforms, List<Absence> absences, List<DutyShift> dutyShifts)
    {
        Absences = absences;
        DutyShifts = dutyShifts;
        Units = units;
        Departments = departments;
        Staff = staff;
        Platforms = platforms;
        _units = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        _staff = staff.ToDictionary(s => s.UserName, StringComparer.Ordinal);
    }

    public IReadOnlyList<Unit> Units { get; }

    public IReadOnlyList<Department> Departments { get; }

    public IReadOnlyList<StaffMember> Staff { get; }

    public IReadOnlyList<PlatformOperator> Platforms { get; }

    /// <summary>Absences (past ones included; callers look at the ones covering their moment).</summary>
    public IReadOnlyList<Absence> Absences { get; }

    /// <summary>Duty shifts of every date.</summary>
    public IReadOnlyList<DutyShift> DutyShifts { get; }

    public static async Task<OrganisationSnapshot> LoadAsync(DomainDbContext db, CancellationToken cancellationToken = default)
    {
        var units = await db.Set<Unit>().AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var departments = await db.Set<Department>().AsNoTracking().OrderBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var staff = await db.Set<StaffMember>().AsNoTracking().OrderBy(s => s.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
        var platforms = await db.Set<PlatformOperator>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        // Absences and duty rosters are small (a unit's staff, a few months of weekends and holidays).
        var absences = await db.Set<Absence>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var duty = await db.Set<DutyShift>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return new OrganisationSnapshot(units, departments, staff, platforms, absences, duty);
    }

    /// <summary>The cached organisation when a cache is given, else read now.</summary>
    public static Task<OrganisationSnapshot> LoadAsync(DomainDbContext db, OrganisationCache? cache, CancellationToken cancellationToken = default)
        => cache is null ? LoadAsync(db, cancellationToken) : cache.GetAsync(db, cancellationToken);

    public Unit? Unit(string? id) => id is not null && _units.TryGetValue(id, out var unit) ? unit : null;

    public StaffMember? Member(string? userName) => userName is not null && _staff.TryGetValue(userName, out var member) ? member : null;

    public string UnitName(string? id) => Unit(id)?.Name ?? id ?? "";

    public string DisplayName(string? userName) => Member(userName)?.DisplayName ?? userName ?? "";

    /// <summary>The county-level unit a unit belongs to (itself for a bureau, the parent bureau for a station).</summary>
    public Unit? County(Unit unit) => unit.Kind switch
    {
        UnitKind.CountyBureau => unit,
        UnitKind.SupervisionStation => Unit(unit.ParentUnitId) is { Kind: UnitKind.CountyBureau } parent ? parent : null,
        _ => null,
    };

    /// <summary>The configured intake centre, else the only (first) active intake-centre unit.</summary>
    public Unit? IntakeCentre(string? configuredId)
        => Unit(configuredId) ?? Units.FirstOrDefault(u => u is { Kind: UnitKind.IntakeCentre, Active: true });

    /// <summary>Active members of a unit holding a role.</summary>
    public IEnumerable<StaffMember> Members(string unitId, string role)
        => Staff.Where(s => s.Active && s.UnitId == unitId && s.HasRole(role));
}
