using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>Who is on duty (值班) for a unit on a weekend or holiday date (local date of the centre's time zone).</summary>
public sealed class DutyShift
{
    public long Id { get; set; }

    public required string UnitId { get; set; }

    public DateOnly Date { get; set; }

    public required string UserName { get; set; }
}

internal sealed class DutyShiftConfiguration : IEntityTypeConfiguration<DutyShift>
{
    public void Configure(EntityTypeBuilder<DutyShift> builder)
    {
        builder.ToTable("cw_duty_shift");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.UnitId).HasMaxLength(64);
        builder.Property(d => d.UserName).HasMaxLength(64);
        builder.HasIndex(d => new { d.UnitId, d.Date, d.UserName }).IsUnique();
    }
}
