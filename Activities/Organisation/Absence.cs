using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>A staff member away (leave, training, business trip) from <see cref="From"/> until <see cref="To"/> (exclusive).</summary>
public sealed class Absence
{
    public long Id { get; set; }

    public required string UserName { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    /// <summary>Why (请假, 培训, 出差); shown in the reason a task went to the partner.</summary>
    public string? Reason { get; set; }

    public bool Covers(DateTimeOffset instant) => From <= instant && instant < To;
}

internal sealed class AbsenceConfiguration : IEntityTypeConfiguration<Absence>
{
    public void Configure(EntityTypeBuilder<Absence> builder)
    {
        builder.ToTable("cw_absence");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.UserName).HasMaxLength(64);
        builder.Property(a => a.Reason).HasMaxLength(200);
        builder.HasIndex(a => new { a.UserName, a.To });
    }
}
