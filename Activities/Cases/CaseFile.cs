using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Cases;

/// <summary>Where a case stands.</summary>
public enum CaseStatus
{
    Screening,
    Opened,
    NotOpened,
    Investigating,
    Decided,
    Closed,
}

/// <summary>
/// An administrative case (案件) started from a complaint (诉转案) or from a report: screening, the
/// case-opening decision within 15 working days (+15 on extension), investigation, decision, closure.
/// The complaint points at it (<c>Complaint.CaseId</c>) and it points back (<see cref="ComplaintId"/>).
/// </summary>
public sealed class CaseFile
{
    public required string Id { get; set; }

    public required string CaseNumber { get; set; }

    public required string ComplaintId { get; set; }

    /// <summary><c>conversion</c> (诉转案) or <c>report</c> (举报).</summary>
    public required string Source { get; set; }

    public CaseStatus Status { get; set; }

    public string? Clue { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? OpeningDueAt { get; set; }

    public bool Extended { get; set; }

    public DateTimeOffset? OpenedAt { get; set; }

    public string? Decision { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ProcessInstanceId { get; set; }
}

internal sealed class CaseFileConfiguration : IEntityTypeConfiguration<CaseFile>
{
    public void Configure(EntityTypeBuilder<CaseFile> builder)
    {
        builder.ToTable("cw_case");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.CaseNumber).HasMaxLength(32);
        builder.HasIndex(c => c.CaseNumber).IsUnique();
        builder.Property(c => c.ComplaintId).HasMaxLength(64);
        builder.HasIndex(c => c.ComplaintId);
        builder.Property(c => c.Source).HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Clue).HasMaxLength(4000);
        builder.Property(c => c.Decision).HasMaxLength(4000);
        builder.Property(c => c.ProcessInstanceId).HasMaxLength(64);
    }
}
