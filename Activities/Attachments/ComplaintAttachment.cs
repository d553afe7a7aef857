using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Attachments;

/// <summary>
/// A document of a complaint file (a receipt, a photo, a contract, a reply letter): stored in the database with the
/// complaint, so every host sharing the database serves it. Its type is what its first bytes say it is
/// (<see cref="AttachmentTypes"/>), never only what its name or the browser claim.
/// </summary>
public sealed class ComplaintAttachment
{
    /// <summary>A random identifier (32 hex digits), so one attachment's address tells nothing about another's.</summary>
    public required string Id { get; set; }

    public required string ComplaintId { get; set; }

    /// <summary>The file name as uploaded, without any folder part.</summary>
    public required string FileName { get; set; }

    /// <summary>The media type found by content sniffing (image/jpeg, application/pdf ...).</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>SHA-256 of the content, hex: the same file uploaded twice to one complaint is kept once.</summary>
    public required string Sha256 { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>User name of who uploaded it, or <c>consumer</c> for an anonymous consumer.</summary>
    public required string UploadedBy { get; set; }

    /// <summary>Uploaded by the consumer (on filing or later), as against by staff.</summary>
    public bool FromConsumer { get; set; }

    public required byte[] Content { get; set; }
}

internal sealed class ComplaintAttachmentConfiguration : IEntityTypeConfiguration<ComplaintAttachment>
{
    public void Configure(EntityTypeBuilder<ComplaintAttachment> builder)
    {
        builder.ToTable("cw_attachment");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(32);
        builder.Property(a => a.ComplaintId).HasMaxLength(64);
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.UploadedBy).HasMaxLength(128);
        builder.HasIndex(a => new { a.ComplaintId, a.UploadedAt });
        builder.HasIndex(a => new { a.ComplaintId, a.Sha256 }).IsUnique();
    }
}
