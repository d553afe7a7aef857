using System.Security.Claims;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Identity;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// Who is calling, as the complaint API needs it: user name, roles, unit (claim <c>unit</c>) and the task
/// groups derived from them: each role alone and per unit (<c>desk_officer@unit-lucheng</c>), plus
/// <c>intake_desk</c> for desk officers of the intake centre.
/// </summary>
public sealed record StaffUser(string UserName, string? UserId, IReadOnlySet<string> Roles, string? UnitId, bool AtIntakeCentre)
{
    public const string UnitClaim = "unit";
    public const string UnitKindClaim = "unit_kind";

    /// <summary>Units whose complaints the user sees: their own and, for a county bureau, its supervision stations.</summary>
    public const string UnitScopeClaim = "unit_scope";

    /// <summary>Task groups from the organisation (e.g. <c>legal@unit</c> for the legal section); added to the derived ones.</summary>
    public const string GroupClaim = "group";
    public const string IntakeDeskGroup = "intake_desk";

    /// <summary>The ODR business an enterprise portal account belongs to (<see cref="RoleNames.Business"/>).</summary>
    public const string BusinessClaim = "business";

    /// <summary>For an enterprise portal account: its business; null for everyone else.</summary>
    public string? BusinessId { get; init; }

    public IReadOnlySet<string> UnitScope { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyList<string> ExtraGroups { get; init; } = [];

    public bool Is(string role) => Roles.Contains(role);

    public bool IsStaff => RoleNames.Staff.Any(Roles.Contains);

    public bool IsConsumerOnly => !IsStaff && Is(RoleNames.Consumer);

    /// <summary>Administrators and the intake centre see every unit's complaints; others their own unit's.</summary>
    public bool SeesAllUnits => Is(RoleNames.Administrator) || (AtIntakeCentre && IsStaff);

    /// <summary>Whether the consumer's name, phone and address may be shown unmasked: those who contact or register consumers.</summary>
    public bool SeesPersonalData => Is(RoleNames.Administrator) || Is(RoleNames.DeskOfficer) || Is(RoleNames.Handler);

    public IReadOnlyList<string> Groups
    {
        get
        {
            var groups = new List<string>();
            foreach (var role in Roles)
            {
                groups.Add(role);
                if (UnitId is not null)
                {
                    groups.Add($"{role}@{UnitId}");
                }
            }

            if (AtIntakeCentre && Is(RoleNames.DeskOfficer))
            {
                groups.Add(IntakeDeskGroup);
            }

            groups.AddRange(ExtraGroups);
            return [.. groups.Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>The claims a staff member's place in the organisation gives (beside the unit): its kind, the units overseen and the task groups.</summary>
    public static void AddOrganisationClaims(ClaimsIdentity identity, StaffProfile profile)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(profile);
        identity.AddClaim(new Claim(UnitKindClaim, profile.UnitKind.ToString()));
        identity.AddClaims(profile.UnitScope.Select(unit => new Claim(UnitScopeClaim, unit)));
        identity.AddClaims(profile.Groups.Select(group => new Claim(GroupClaim, group)));
    }

    public static StaffUser? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            return null;
        }

        var roles = principal.FindAll(principal.Identities.First().RoleClaimType).Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var unit = principal.FindFirstValue(UnitClaim);
        var scope = principal.FindAll(UnitScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (unit is not null)
        {
            scope.Add(unit);
        }

        return new StaffUser(
            name,
            principal.FindFirstValue(ClaimTypes.NameIdentifier),
            roles,
            unit,
            string.Equals(principal.FindFirstValue(UnitKindClaim), "IntakeCentre", StringComparison.Ordinal))
        {
            UnitScope = scope,
            ExtraGroups = [.. principal.FindAll(GroupClaim).Select(c => c.Value)],
            BusinessId = roles.Contains(RoleNames.Business) ? principal.FindFirstValue(BusinessClaim) : null,
        };
    }
}
