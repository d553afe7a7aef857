using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.CaseLibrary;

/// <summary>
/// A typical case (典型案例) selected from a closed complaint, anonymised when selected (staff see exactly what
/// will be published) and published with its month's cases on the public page.
/// </summary>
public sealed class CaseLibraryEntry
{
    public long Id { get; set; }

    public required string ComplaintId { get; set; }

    /// <summary>The month the case belongs to (yyyy-MM): the month it was selected in.</summary>
    public required string Month { get; set; }

    public required string Title { get; set; }

    public string? ProblemType { get; set; }

    public string? Industry { get; set; }

    /// <summary>The respondent, kept (典型案例 name the business).</summary>
    public required string RespondentName { get; set; }

    /// <summary>基本情况: the facts, anonymised.</summary>
    public required string Facts { get; set; }

    /// <summary>处理结果: the outcome, anonymised.</summary>
    public required string Outcome { get; set; }

    /// <summary>案例评析 (the selecting officer's comment), anonymised.</summary>
    public string? Commentary { get; set; }

    public required string SelectedBy { get; set; }

    public DateTimeOffset SelectedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

internal sealed class CaseLibraryEntryConfiguration : IEntityTypeConfiguration<CaseLibraryEntry>
{
    public void Configure(EntityTypeBuilder<CaseLibraryEntry> builder)
    {
        builder.ToTable("cw_case_library");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ComplaintId).HasMaxLength(64);
        builder.HasIndex(e => e.ComplaintId).IsUnique();
        builder.Property(e => e.Month).HasMaxLength(7);
        builder.HasIndex(e => new { e.Month, e.PublishedAt });
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.ProblemType).HasMaxLength(64);
        builder.Property(e => e.Industry).HasMaxLength(64);
        builder.Property(e => e.RespondentName).HasMaxLength(200);
        builder.Property(e => e.Facts).HasMaxLength(12000);
        builder.Property(e => e.Outcome).HasMaxLength(8000);
        builder.Property(e => e.Commentary).HasMaxLength(4000);
        builder.Property(e => e.SelectedBy).HasMaxLength(64);
    }
}
