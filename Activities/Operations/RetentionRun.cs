using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>One run of the retention cleanup (<c>cw_retention_run</c>): when, who started it, and what it removed or anonymised per record kind.</summary>
public sealed class RetentionRun
{
    public long Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary><c>schedule</c> for the daily job, else the administrator's user name.</summary>
    public required string TriggeredBy { get; set; }

    public string? Node { get; set; }

    /// <summary>Counts per record kind as JSON (<see cref="RetentionCounts"/>).</summary>
    public string? Counts { get; set; }

    /// <summary>Why the run stopped before the end (null: it finished).</summary>
    public string? Error { get; set; }
}

internal sealed class RetentionRunConfiguration : IEntityTypeConfiguration<RetentionRun>
{
    public void Configure(EntityTypeBuilder<RetentionRun> builder)
    {
        builder.ToTable("cw_retention_run");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.TriggeredBy).HasMaxLength(256);
        builder.Property(r => r.Node).HasMaxLength(64);
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.HasIndex(r => r.StartedAt);
    }
}
