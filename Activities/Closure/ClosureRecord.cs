using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Closure;

/// <summary>
/// The handler's closing record in four parts (二级办结制): 基本情况, 争议焦点, 调解过程, 处理结果, signed by at least
/// two staff, and the reviews it went through (desk, and leader/legal where required). Each submission is a
/// new round; a record sent back stays as it was.
/// </summary>
public static class ClosureRecords
{
    /// <summary>
    /// A complaint's latest closing record (the highest round), tracked by <paramref name="db"/>: one stored already, or
    /// one filed earlier in the step whose context <paramref name="db"/> is and not stored yet; null when there is none.
    /// </summary>
    public static async Task<ClosureRecord?> LatestAsync(DbContext db, string complaintId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stored = await db.Set<ClosureRecord>().Where(r => r.ComplaintId == complaintId).OrderByDescending(r => r.Round).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return db.Set<ClosureRecord>().Local.Where(r => r.ComplaintId == complaintId && r.Round > (stored?.Round ?? 0)).MaxBy(r => r.Round) ?? stored;
    }
}

public sealed class ClosureRecord
{
    public long Id { get; set; }

    public required string ComplaintId { get; set; }

    public int Round { get; set; }

    /// <summary>基本情况 (facts).</summary>
    public required string BasicFacts { get; set; }

    /// <summary>争议焦点 (points of dispute).</summary>
    public required string DisputePoints { get; set; }

    /// <summary>调解过程 (mediation).</summary>
    public required string MediationProcess { get; set; }

    /// <summary>处理结果 (result).</summary>
    public required string Result { get; set; }

    public bool MediationSucceeded { get; set; }

    /// <summary>User names of the staff who signed, comma-separated (at least two different people).</summary>
    public required string Signatures { get; set; }

    public string? RecordedBy { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string? DeskDecision { get; set; }

    public string? DeskComment { get; set; }

    public string? DeskReviewer { get; set; }

    public DateTimeOffset? DeskReviewedAt { get; set; }

    public string? LeaderDecision { get; set; }

    public string? LeaderComment { get; set; }

    public string? LegalDecision { get; set; }

    public string? LegalComment { get; set; }
}

internal sealed class ClosureRecordConfiguration : IEntityTypeConfiguration<ClosureRecord>
{
    public void Configure(EntityTypeBuilder<ClosureRecord> builder)
    {
        builder.ToTable("cw_closure_record");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ComplaintId).HasMaxLength(64);
        builder.HasIndex(r => new { r.ComplaintId, r.Round }).IsUnique();
        builder.Property(r => r.BasicFacts).HasMaxLength(4000);
        builder.Property(r => r.DisputePoints).HasMaxLength(4000);
        builder.Property(r => r.MediationProcess).HasMaxLength(8000);
        builder.Property(r => r.Result).HasMaxLength(4000);
        builder.Property(r => r.Signatures).HasMaxLength(500);
        builder.Property(r => r.RecordedBy).HasMaxLength(128);
        builder.Property(r => r.DeskDecision).HasMaxLength(16);
        builder.Property(r => r.DeskComment).HasMaxLength(2000);
        builder.Property(r => r.DeskReviewer).HasMaxLength(128);
        builder.Property(r => r.LeaderDecision).HasMaxLength(16);
        builder.Property(r => r.LeaderComment).HasMaxLength(2000);
        builder.Property(r => r.LegalDecision).HasMaxLength(16);
        builder.Property(r => r.LegalComment).HasMaxLength(2000);
    }
}
