using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// The organisation's data failed validation: every problem, keyed by the field (camelCase, as the admin API
/// names it), with a message naming what is wrong (Chinese first, English second).
/// </summary>
public sealed class OrganisationValidationException : Exception
{
    public OrganisationValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public OrganisationValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public OrganisationValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public OrganisationValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Field → messages, ready for a validation Problem Details.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>
/// Administration of the organisation (units, departments, staff, absences, platform operators) for the admin API
/// and pages: list, add, update, with validation that names the field. The duty roster is <see cref="DutyRosterService"/>'s.
/// </summary>
public sealed partial class OrganisationService(IDbContextFactory<DomainDbContext> contexts, IOptions<OrganisationOptions> options, OrganisationCache? cache = null)
{
    private readonly OrganisationOptions _options = options.Value;

    // ---- Units ----
    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<Unit>().AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Unit?> GetUnitAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<Unit>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public Task<Unit> AddUnitAsync(Unit unit, CancellationToken cancellationToken = default) => SaveUnitAsync(unit, true, cancellationToken);

    public Task<Unit> UpdateUnitAsync(Unit unit, CancellationToken cancellationToken = default) => SaveUnitAsync(unit, false, cancellationToken);

    private async Task<Unit> SaveUnitAsync(Unit unit, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Errors();
        unit.Regions = Clean(unit.Regions);
        var existing = await ValidateKeyAsync(db.Set<Unit>(), unit.Id, adding, "id", "单位", errors, cancellationToken).ConfigureAwait(false);
        errors.Text("name", unit.Name, "单位名称 (unit name)", 200);
        if (!Enum.IsDefined(unit.Kind))
        {
            errors.Add("kind", $"单位类型“{unit.Kind}”无效，应为 IntakeCentre、CountyBureau 或 SupervisionStation (unknown unit kind).");
        }

        var units = await db.Set<Unit>().AsNoTracking().ToDictionaryAsync(u => u.Id, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(unit.ParentUnitId))
        {
            unit.ParentUnitId = null;
            if (unit.Kind == UnitKind.SupervisionStation)
            {
                errors.Add("parentUnitId", "监管所必须隶属于一个区县局 (a supervision station needs its county bureau as parent).");
            }
        }
        else if (!units.TryGetValue(unit.ParentUnitId, out var parent))
        {
            errors.Add("parentUnitId", $"上级单位“{unit.ParentUnitId}”不存在 (parent unit not found).");
        }
        else
        {
            var expected = unit.Kind switch
            {
                UnitKind.SupervisionStation => UnitKind.CountyBureau,
                UnitKind.CountyBureau => UnitKind.IntakeCentre,
                _ => (UnitKind?)null,
            };
            if (expected is null || parent.Kind != expected)
            {
                errors.Add("parentUnitId", expected is null
                    ? "投诉举报中心不能有上级单位 (an intake centre has no parent unit)."
                    : $"{KindName(unit.Kind)}的上级单位应为{KindName(expected.Value)}，“{parent.Name}”是{KindName(parent.Kind)} (wrong parent kind).");
            }
            else if (parent.Id == unit.Id)
            {
                errors.Add("parentUnitId", "单位不能是自己的上级 (a unit cannot be its own parent).");
            }
        }

        if (unit.Kind != UnitKind.IntakeCentre && unit.Regions.Count == 0)
        {
            errors.Add("regions", "请至少填写一个管辖区域（区县、乡镇或街道名称）(at least one jurisdiction region).");
        }

        foreach (var region in unit.Regions.Where(r => r.Length > 50))
        {
            errors.Add("regions", $"管辖区域“{region[..20]}…”过长，最多 50 字 (region longer than 50 characters).");
        }

        errors.ThrowIfAny();
        return await StoreAsync(db, existing, unit, cancellationToken).ConfigureAwait(false);
    }

    // ---- Departments ----
    public async Task<IReadOnlyList<Department>> ListDepartmentsAsync(string? unitId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<Department>().AsNoTracking().Where(d => unitId == null || d.UnitId == unitId).OrderBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<Department> AddDepartmentAsync(Department department, CancellationToken cancellationToken = default) => SaveDepartmentAsync(department, true, cancellationToken);

    public Task<Department> UpdateDepartmentAsync(Department department, CancellationToken cancellationToken = default) => SaveDepartmentAsync(department, false, cancellationToken);

    private async Task<Department> SaveDepartmentAsync(Department department, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(department);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Errors();
        department.ProblemTypes = Clean(department.ProblemTypes);
        department.Industries = Clean(department.Industries);
        department.GoodsOrServices = Clean(department.GoodsOrServices);
        department.Keywords = Clean(department.Keywords);
        var existing = await ValidateKeyAsync(db.Set<Department>(), department.Id, adding, "id", "科室", errors, cancellationToken).ConfigureAwait(false);
        errors.Text("name", department.Name, "科室名称 (department name)", 200);
        if (!await db.Set<Unit>().AnyAsync(u => u.Id == department.UnitId, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("unitId", $"单位“{department.UnitId}”不存在 (unit not found).");
        }

        if (department.IsLegalSection && department.IsJointEnforcementGroup)
        {
            errors.Add("isLegalSection", "同一科室不能既是法制科又是联合执法小组 (a department is either the legal section or the joint enforcement group).");
        }

        errors.ThrowIfAny();
        return await StoreAsync(db, existing, department, cancellationToken).ConfigureAwait(false);
    }

    // ---- Staff ----
    public async Task<IReadOnlyList<StaffMember>> ListStaffAsync(string? unitId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<StaffMember>().AsNoTracking().Where(s => unitId == null || s.UnitId == unitId).OrderBy(s => s.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StaffMember?> GetStaffAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<StaffMember>().AsNoTracking().FirstOrDefaultAsync(s => s.UserName == userName, cancellationToken).ConfigureAwait(false);
    }

    public Task<StaffMember> AddStaffAsync(StaffMember member, CancellationToken cancellationToken = default) => SaveStaffAsync(member, true, cancellationToken);

    public Task<StaffMember> UpdateStaffAsync(StaffMember member, CancellationToken cancellationToken = default) => SaveStaffAsync(member, false, cancellationToken);

    private async Task<StaffMember> SaveStaffAsync(StaffMember member, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Errors();
        member.Roles = Clean(member.Roles);
        member.Skills = Clean(member.Skills);
        member.PartnerUserName = string.IsNullOrWhiteSpace(member.PartnerUserName) ? null : member.PartnerUserName.Trim();
        member.DepartmentId = string.IsNullOrWhiteSpace(member.DepartmentId) ? null : member.DepartmentId.Trim();
        member.Phone = string.IsNullOrWhiteSpace(member.Phone) ? null : member.Phone.Trim();
        member.Email = string.IsNullOrWhiteSpace(member.Email) ? null : member.Email.Trim();
        StaffMember? existing = null;
        if (string.IsNullOrWhiteSpace(member.UserName) || member.UserName.Length > 64)
        {
            errors.Add("userName", "用户名必填，最多 64 个字符 (user name is required, at most 64 characters).");
        }
        else
        {
            existing = await db.Set<StaffMember>().FirstOrDefaultAsync(s => s.UserName == member.UserName, cancellationToken).ConfigureAwait(false);
            if (adding && existing is not null)
            {
                errors.Add("userName", $"用户名“{member.UserName}”已存在 (user name already exists).");
            }
            else if (!adding && existing is null)
            {
                errors.Add("userName", $"人员“{member.UserName}”不存在 (staff member not found).");
            }
        }

        errors.Text("displayName", member.DisplayName, "姓名 (display name)", 100);
        if (!await db.Set<Unit>().AnyAsync(u => u.Id == member.UnitId, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("unitId", $"单位“{member.UnitId}”不存在 (unit not found).");
        }

        if (member.DepartmentId is not null
            && !await db.Set<Department>().AnyAsync(d => d.Id == member.DepartmentId && d.UnitId == member.UnitId, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("departmentId", $"科室“{member.DepartmentId}”不存在或不属于单位“{member.UnitId}” (department not found in that unit).");
        }

        if (member.Roles.Count == 0)
        {
            errors.Add("roles", $"请至少选择一个角色：{string.Join("、", StaffRoles.All)} (at least one role).");
        }

        foreach (var role in member.Roles.Where(r => !StaffRoles.All.Contains(r, StringComparer.Ordinal)))
        {
            errors.Add("roles", $"角色“{role}”无效，可选：{string.Join("、", StaffRoles.All)} (unknown role).");
        }

        if (member.PartnerUserName is not null)
        {
            if (member.PartnerUserName == member.UserName)
            {
                errors.Add("partnerUserName", "A/B岗搭档不能是本人 (the A/B partner cannot be the member).");
            }
            else if (!await db.Set<StaffMember>().AnyAsync(s => s.UserName == member.PartnerUserName, cancellationToken).ConfigureAwait(false))
            {
                errors.Add("partnerUserName", $"A/B岗搭档“{member.PartnerUserName}”不在人员名册中 (partner not found).");
            }
        }

        if (member.Phone is not null && !MobilePattern().IsMatch(member.Phone))
        {
            errors.Add("phone", "手机号应为 11 位中国大陆手机号 (phone must be an 11-digit mainland mobile number).");
        }

        if (member.Email is not null && (member.Email.Length > 254 || !EmailPattern().IsMatch(member.Email)))
        {
            errors.Add("email", "电子邮箱格式不正确 (email is not an e-mail address).");
        }

        if (member.MaxOpenComplaints < 1 || member.MaxOpenComplaints > _options.MaxOpenComplaintsLimit)
        {
            errors.Add("maxOpenComplaints", $"在办件上限应在 1 到 {_options.MaxOpenComplaintsLimit} 之间 (max open complaints out of range).");
        }

        errors.ThrowIfAny();
        return await StoreAsync(db, existing, member, cancellationToken).ConfigureAwait(false);
    }

    // ---- Absences ----
    public async Task<IReadOnlyList<Absence>> ListAbsencesAsync(string? userName = null, DateTimeOffset? endingAfter = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<Absence>().AsNoTracking().Where(a => userName == null || a.UserName == userName);
        if (endingAfter is { } after)
        {
            query = query.Where(a => a.To > after);
        }

        return await query.OrderBy(a => a.From).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Absence> AddAbsenceAsync(Absence absence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(absence);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Errors();
        if (!await db.Set<StaffMember>().AnyAsync(s => s.UserName == absence.UserName, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("userName", $"人员“{absence.UserName}”不在人员名册中 (staff member not found).");
        }

        if (absence.To <= absence.From)
        {
            errors.Add("to", "结束时间必须晚于开始时间 (the absence must end after it starts).");
        }

        if (absence.Reason is { Length: > 200 })
        {
            errors.Add("reason", "原因最多 200 字 (reason longer than 200 characters).");
        }

        errors.ThrowIfAny();
        absence.Id = 0;
        db.Add(absence);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache?.Invalidate();
        return absence;
    }

    public async Task<bool> RemoveAbsenceAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.Set<Absence>().Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
        cache?.Invalidate();
        return removed;
    }

    // ---- Platform operators ----
    public async Task<IReadOnlyList<PlatformOperator>> ListPlatformsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<PlatformOperator>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<PlatformOperator> AddPlatformAsync(PlatformOperator platform, CancellationToken cancellationToken = default) => SavePlatformAsync(platform, true, cancellationToken);

    public Task<PlatformOperator> UpdatePlatformAsync(PlatformOperator platform, CancellationToken cancellationToken = default) => SavePlatformAsync(platform, false, cancellationToken);

    private async Task<PlatformOperator> SavePlatformAsync(PlatformOperator platform, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Errors();
        platform.Aliases = Clean(platform.Aliases);
        var existing = await ValidateKeyAsync(db.Set<PlatformOperator>(), platform.Id, adding, "id", "平台", errors, cancellationToken).ConfigureAwait(false);
        errors.Text("platformName", platform.PlatformName, "平台名称 (platform name)", 100);
        if (await db.Set<PlatformOperator>().AnyAsync(p => p.PlatformName == platform.PlatformName && p.Id != platform.Id, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("platformName", $"平台“{platform.PlatformName}”已登记 (platform already registered).");
        }

        if (!await db.Set<Unit>().AnyAsync(u => u.Id == platform.DomicileUnitId && u.Kind != UnitKind.IntakeCentre, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("domicileUnitId", $"住所地单位“{platform.DomicileUnitId}”不存在或不是区县局/监管所 (domicile unit must be a county bureau or station).");
        }

        errors.ThrowIfAny();
        return await StoreAsync(db, existing, platform, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The intake centre a unit belongs to (the unit itself, or up its parents): where a unit that received a
    /// dispatched complaint returns it for re-dispatch (退回重新分派), as units may not pass complaints on themselves.
    /// </summary>
    public async Task<Unit?> IntakeCentreOfAsync(string unitId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var unit = organisation.Unit(unitId); unit is not null && seen.Add(unit.Id); unit = organisation.Unit(unit.ParentUnitId))
        {
            if (unit.Kind == UnitKind.IntakeCentre)
            {
                return unit;
            }
        }

        return organisation.IntakeCentre(_options.IntakeCentreUnitId);
    }

    /// <summary>What the host puts in a signed-in staff member's claims (unit, unit kind, unit scope, task groups); null for an unknown or inactive user.</summary>
    public async Task<StaffProfile?> ProfileAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        return organisation.Member(userName) is { Active: true } member ? StaffProfile.Of(member, organisation.Units, organisation.Departments) : null;
    }

    /// <summary>Task candidate groups of a member: <c>role@unitId</c> per role, <c>legal@unitId</c> in a legal section, <c>intake_desk</c> for intake-centre desk officers.</summary>
    public static IReadOnlyList<string> CandidateGroups(StaffMember member, Unit? unit, Department? department)
    {
        ArgumentNullException.ThrowIfNull(member);
        var groups = member.Roles.Select(r => $"{r}@{member.UnitId}").ToList();
        if (department is { IsLegalSection: true })
        {
            groups.Add($"legal@{member.UnitId}");
        }

        if (unit is { Kind: UnitKind.IntakeCentre } && member.HasRole(StaffRoles.DeskOfficer))
        {
            groups.Add("intake_desk");
        }

        return groups;
    }

    internal static string KindName(UnitKind kind) => kind switch
    {
        UnitKind.IntakeCentre => "投诉举报中心",
        UnitKind.CountyBureau => "区县局",
        UnitKind.SupervisionStation => "监管所",
        _ => kind.ToString(),
    };

    private static async Task<T?> ValidateKeyAsync<T>(DbSet<T> set, string id, bool adding, string field, string what, Errors errors, CancellationToken cancellationToken)
        where T : class
    {
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id))
        {
            errors.Add(field, $"{what}编号“{id}”无效：只能用小写字母、数字和连字符，最多 64 个字符 (id: lower-case letters, digits and hyphens, at most 64).");
            return null;
        }

        var existing = await set.FindAsync([id], cancellationToken).ConfigureAwait(false);
        if (adding && existing is not null)
        {
            errors.Add(field, $"{what}编号“{id}”已存在 (id already exists).");
        }
        else if (!adding && existing is null)
        {
            errors.Add(field, $"{what}“{id}”不存在 (not found).");
        }

        return existing;
    }

    private async Task<T> StoreAsync<T>(DomainDbContext db, T? existing, T value, CancellationToken cancellationToken)
        where T : class
    {
        if (existing is null)
        {
            db.Add(value);
        }
        else
        {
            db.Entry(existing).CurrentValues.SetValues(value);
            CopyCollections(existing, value);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache?.Invalidate();
        return existing ?? value;
    }

    /// <summary>SetValues copies scalars only; primitive collections (regions, roles, skills ...) are copied here.</summary>
    private static void CopyCollections<T>(T target, T source)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.PropertyType == typeof(List<string>) && p.CanWrite))
        {
            property.SetValue(target, new List<string>((List<string>)property.GetValue(source)!));
        }
    }

    private static List<string> Clean(List<string>? values)
        => values is null ? [] : [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public void Text(string field, string? value, string what, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, $"{what}必填 (required).");
            }
            else if (value.Length > maxLength)
            {
                Add(field, $"{what}最多 {maxLength} 个字符 (at most {maxLength} characters).");
            }
        }

        public void ThrowIfAny()
        {
            if (_errors.Count > 0)
            {
                throw new OrganisationValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
            }
        }
    }
}
