using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.MobilePoints;

/// <summary>
/// A mobile intake point (流动投诉受理点): a place where a unit's staff take complaints on given days of the week
/// (a market, a village square). Complaints filed there have the channel <see cref="Complaints.ComplaintChannel.MobilePoint"/>
/// and the point's id (<see cref="Complaints.Complaint.MobilePointId"/>).
/// </summary>
public sealed class MobileIntakePoint
{
    public required string Id { get; set; }

    /// <summary>The name people know the point by, e.g. 瓯北农贸市场受理点.</summary>
    public required string Name { get; set; }

    /// <summary>Where it stands (address or landmark).</summary>
    public required string Place { get; set; }

    /// <summary>The unit whose staff run the point.</summary>
    public required string UnitId { get; set; }

    /// <summary>The days of the week it is open, ISO numbers (1 = Monday ... 7 = Sunday), comma-separated and ascending, e.g. <c>2,5</c>.</summary>
    public required string Weekdays { get; set; }

    /// <summary>The user names of the staff on duty there, comma-separated; they (and administrators) may file complaints for the point.</summary>
    public required string StaffOnDuty { get; set; }

    /// <summary>A closed point keeps its complaints but takes no new ones.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    /// <summary>The staff on duty as a list.</summary>
    public IReadOnlyList<string> Staff() => [.. StaffOnDuty.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The open days as ISO numbers.</summary>
    public IReadOnlyList<int> Days() => [.. Weekdays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
}

internal sealed class MobileIntakePointConfiguration : IEntityTypeConfiguration<MobileIntakePoint>
{
    public void Configure(EntityTypeBuilder<MobileIntakePoint> builder)
    {
        builder.ToTable("cw_mobile_point");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Place).HasMaxLength(300);
        builder.Property(p => p.UnitId).HasMaxLength(64);
        builder.Property(p => p.Weekdays).HasMaxLength(32);
        builder.Property(p => p.StaffOnDuty).HasMaxLength(1000);
        builder.Property(p => p.UpdatedBy).HasMaxLength(128);
        builder.HasIndex(p => p.UnitId);
    }
}
