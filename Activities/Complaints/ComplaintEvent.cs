using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>
/// One entry of a complaint's timeline: a stage reached, a decision, a note. Public entries are what the
/// consumer sees on the progress page ("已联系商家协商"); the others are for staff only.
/// </summary>
public sealed class ComplaintEvent
{
    public long Id { get; set; }

    public required string ComplaintId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>A stable code for what happened (the status reached, or e.g. <c>returned</c>, <c>supervision</c>).</summary>
    public required string Kind { get; set; }

    /// <summary>What a person reads (Chinese).</summary>
    public required string Text { get; set; }

    /// <summary>User name of who acted, or <c>system</c>.</summary>
    public string Actor { get; set; } = "system";

    /// <summary>Shown to the consumer.</summary>
    public bool Public { get; set; }

    public string? ProcessInstanceId { get; set; }

    public string? ElementId { get; set; }
}

internal sealed class ComplaintEventConfiguration : IEntityTypeConfiguration<ComplaintEvent>
{
    public void Configure(EntityTypeBuilder<ComplaintEvent> builder)
    {
        builder.ToTable("cw_complaint_event");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ComplaintId).HasMaxLength(64);
        builder.Property(e => e.Kind).HasMaxLength(64);
        builder.Property(e => e.Text).HasMaxLength(4000);
        builder.Property(e => e.Actor).HasMaxLength(128);
        builder.Property(e => e.ProcessInstanceId).HasMaxLength(64);
        builder.Property(e => e.ElementId).HasMaxLength(255);
        builder.HasIndex(e => new { e.ComplaintId, e.At });
    }
}
