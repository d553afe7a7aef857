using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Archive;

/// <summary>
/// One archived complaint: everything it went through, frozen as JSON, chained to the entry before it by
/// hash (SHA-256 of the previous hash, the sequence number and the content). Changing or removing any
/// entry breaks every hash after it, which <see cref="ArchiveService.VerifyAsync"/> reports. A redacted entry keeps its
/// sequence number and both hashes, so the entries after it still chain to it.
/// </summary>
public sealed class ArchiveEntry
{
    public long Sequence { get; set; }

    public required string ComplaintId { get; set; }

    public DateTimeOffset ArchivedAt { get; set; }

    /// <summary>The frozen complaint (the consumer's name, phone and address with it): encrypted; the hashes are of the plain text.</summary>
    [Data.Encrypted]
    public required string Content { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }

    /// <summary>
    /// When the content was dropped (retention ended, or the consumer's data was erased); <see cref="Content"/> then holds
    /// only a marker and the chain is checked over the stored hashes (<see cref="ArchiveService.VerifyAsync"/>).
    /// </summary>
    public DateTimeOffset? RedactedAt { get; set; }
}

internal sealed class ArchiveEntryConfiguration : IEntityTypeConfiguration<ArchiveEntry>
{
    public void Configure(EntityTypeBuilder<ArchiveEntry> builder)
    {
        builder.ToTable("cw_archive");
        builder.HasKey(a => a.Sequence);
        builder.Property(a => a.Sequence).ValueGeneratedNever();
        builder.Property(a => a.ComplaintId).HasMaxLength(64);
        builder.HasIndex(a => a.ComplaintId).IsUnique();
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
    }
}
