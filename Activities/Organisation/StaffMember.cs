using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>The roles a staff member can hold (also the first part of task candidate groups, <c>role@unitId</c>).</summary>
public static class StaffRoles
{
    public const string Administrator = "administrator";
    public const string DeskOfficer = "desk_officer";
    public const string Handler = "handler";
    public const string Reviewer = "reviewer";
    public const string Leader = "leader";

    public static IReadOnlyList<string> All { get; } = [Administrator, DeskOfficer, Handler, Reviewer, Leader];

    /// <summary>The Chinese name of a role, for reasons and pages.</summary>
    public static string DisplayName(string role) => role switch
    {
        Administrator => "系统管理员",
        DeskOfficer => "受理员",
        Handler => "承办人",
        Reviewer => "审核人",
        Leader => "分管领导",
        _ => role,
    };
}

/// <summary>
/// A person of the organisation. <see cref="UserName"/> is the sign-in user of the same name; the
/// A/B partner takes the member's tasks while the member is absent (AB岗).
/// </summary>
public sealed class StaffMember
{
    public required string UserName { get; set; }

    /// <summary>The Chinese display name.</summary>
    public required string DisplayName { get; set; }

    public required string UnitId { get; set; }

    public string? DepartmentId { get; set; }

    /// <summary>Roles (see <see cref="StaffRoles"/>).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Background the dispatcher matches (汽车, 新能源汽车, 食品, 预付卡, 电子商务 ...).</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>The A/B partner's user name (AB岗).</summary>
    public string? PartnerUserName { get; set; }

    /// <summary>Open complaints beyond which the dispatcher prefers someone else.</summary>
    public int MaxOpenComplaints { get; set; } = 30;

    public bool Active { get; set; } = true;

    /// <summary>Mobile number notifications to the member go to (SMS).</summary>
    public string? Phone { get; set; }

    /// <summary>Email address notifications to the member go to.</summary>
    public string? Email { get; set; }

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> builder)
    {
        builder.ToTable("cw_staff");
        builder.HasKey(s => s.UserName);
        builder.Property(s => s.UserName).HasMaxLength(64);
        builder.Property(s => s.DisplayName).HasMaxLength(100);
        builder.Property(s => s.UnitId).HasMaxLength(64);
        builder.Property(s => s.DepartmentId).HasMaxLength(64);
        builder.Property(s => s.PartnerUserName).HasMaxLength(64);
        builder.Property(s => s.Phone).HasMaxLength(32);
        builder.Property(s => s.Email).HasMaxLength(254);
        builder.HasIndex(s => s.UnitId);
    }
}
