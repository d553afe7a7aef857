using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>Where a month's disclosure stands: drafted from the archive, reviewed by an administrator, published.</summary>
public enum DisclosureStatus
{
    Draft,
    Reviewed,
    Published,
}

/// <summary>
/// One business's line of the public complaint disclosure (投诉公示) for a month: counted from the complaints archived
/// that month only, and without personal data (a business name and figures).
/// </summary>
public sealed class DisclosureEntry
{
    public long Id { get; set; }

    /// <summary>The month, <c>yyyy-MM</c> (in the calendar's time zone).</summary>
    public required string Month { get; set; }

    public required string BusinessName { get; set; }

    /// <summary>Complaints against the business (or its branches) archived in the month.</summary>
    public int Received { get; set; }

    /// <summary>The same count for the month before (for the growth).</summary>
    public int PreviousReceived { get; set; }

    /// <summary>Complaints mediated (with an outcome) and of them the successful ones.</summary>
    public int Mediated { get; set; }

    public int MediationSucceeded { get; set; }

    /// <summary>For businesses in the ODR programme: complaints offered to them, and of them settled by the business itself (先行和解).</summary>
    public int? OdrOffered { get; set; }

    public int? OdrSettled { get; set; }

    public DisclosureStatus Status { get; set; }

    public DateTimeOffset DraftedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? PublishedBy { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

internal sealed class DisclosureEntryConfiguration : IEntityTypeConfiguration<DisclosureEntry>
{
    public void Configure(EntityTypeBuilder<DisclosureEntry> builder)
    {
        builder.ToTable("cw_disclosure");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Month).HasMaxLength(7);
        builder.Property(d => d.BusinessName).HasMaxLength(200);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.ReviewedBy).HasMaxLength(128);
        builder.Property(d => d.PublishedBy).HasMaxLength(128);
        builder.HasIndex(d => new { d.Month, d.BusinessName }).IsUnique();
    }
}
