namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// A staff member as sign-in claims describe them: roles, unit and its kind, the units whose complaints they
/// see (their own and, for a county bureau, its stations) and their task candidate groups.
/// </summary>
public sealed record StaffProfile(
    string UserName,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string UnitId,
    UnitKind UnitKind,
    IReadOnlyList<string> UnitScope,
    IReadOnlyList<string> Groups)
{
    public static StaffProfile Of(StaffMember member, IEnumerable<Unit> units, IEnumerable<Department> departments)
    {
        ArgumentNullException.ThrowIfNull(member);
        var all = units.ToList();
        var unit = all.FirstOrDefault(u => u.Id == member.UnitId);
        var department = departments.FirstOrDefault(d => d.Id == member.DepartmentId);
        var scope = new List<string> { member.UnitId };
        if (unit is { Kind: UnitKind.CountyBureau })
        {
            scope.AddRange(all.Where(u => u.ParentUnitId == unit.Id && u.Kind == UnitKind.SupervisionStation).Select(u => u.Id));
        }

        var groups = OrganisationService.CandidateGroups(member, unit, department).ToList();
        if (department is { IsLegalSection: true })
        {
            // Supervision stations have no legal section: the bureau's reviews their complaints too.
            groups.AddRange(scope.Where(id => id != member.UnitId).Select(id => $"legal@{id}"));
        }

        return new StaffProfile(member.UserName, member.DisplayName, [.. member.Roles], member.UnitId, unit?.Kind ?? UnitKind.CountyBureau, scope, groups);
    }
}
