using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>How a complaint reached the centre.</summary>
public enum ComplaintChannel
{
    Web,
    Platform12315,
    Hotline12345,
    Phone,
    Letter,
    Email,
    WeChat,
    Weibo,
    WalkIn,
    MobilePoint,
}

/// <summary>Where a complaint stands (what the consumer's progress timeline shows).</summary>
public enum ComplaintStatus
{
    Registered,
    Classified,
    Dispatched,
    Accepted,
    Refused,
    Handling,
    Suspended,
    InReview,
    Closed,
    Terminated,
    Surveyed,
    Archived,
}

/// <summary>Complexity tier deciding the handling deadline: simple 3, general 7, complex 15 working days.</summary>
public enum ComplexityTier
{
    Simple,
    General,
    Complex,
}

/// <summary>
/// A consumer complaint (or the report part split off one): who complains about whom, what was asked,
/// and the facts the process has established. The process instance drives it; this record is what the
/// API lists, searches and shows.
/// </summary>
public sealed class Complaint
{
    public required string Id { get; set; }

    /// <summary>The number the consumer follows the complaint with (e.g. TS20261123000042).</summary>
    public required string TrackingNumber { get; set; }

    /// <summary>True for a report (举报) rather than a complaint (投诉).</summary>
    public bool IsReport { get; set; }

    /// <summary>The complaint a report was split off (or the report split off this complaint).</summary>
    public string? LinkedComplaintId { get; set; }

    public ComplaintChannel Channel { get; set; }

    public ComplaintStatus Status { get; set; }

    public string? ConsumerUserId { get; set; }

    [Data.Encrypted]
    public required string ConsumerName { get; set; }

    [Data.Encrypted]
    public required string ConsumerPhone { get; set; }

    /// <summary>The lookup hash of <see cref="ConsumerPhone"/>: compare this (<c>c.ConsumerPhoneKey == phone</c>), never the encrypted number.</summary>
    [Data.LookupHashOf(nameof(ConsumerPhone))]
    public string ConsumerPhoneKey { get => ConsumerPhone; private set { } }

    [Data.Encrypted]
    public string? ConsumerAddress { get; set; }

    [Data.Encrypted]
    public string? ConsumerEmail { get; set; }

    /// <summary>How the consumer wants to hear of progress and the survey (chosen at intake): SMS or email; null: no messages.</summary>
    public Messaging.MessageChannel? NotifyBy { get; set; }

    public required string RespondentName { get; set; }

    public required string RespondentAddress { get; set; }

    /// <summary>What the consumer asks for (诉求).</summary>
    public required string Request { get; set; }

    /// <summary>The facts as told (事实与理由).</summary>
    public required string Facts { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>Registered more than the registration limit (30 minutes by default) after receipt (首接负责制).</summary>
    public bool RegisteredLate { get; set; }

    /// <summary>The rule set deadlines were computed by (e.g. Order 121 for complaints received from 2026-04-15).</summary>
    public string? RuleSet { get; set; }

    /// <summary>The respondent's industry, the consumer's goods or service, as the consumer or desk gave them.</summary>
    public string? DeskNote { get; set; }

    public string? ProblemType { get; set; }

    public string? GoodsOrService { get; set; }

    public string? Industry { get; set; }

    public ComplexityTier? Tier { get; set; }

    public double? ClassificationConfidence { get; set; }

    public bool SuspectedProfessionalClaimant { get; set; }

    public bool SuspectedGroupComplaint { get; set; }

    public string? UnitId { get; set; }

    public string? DepartmentId { get; set; }

    public string? HandlerUserName { get; set; }

    public DateTimeOffset? AcceptanceDueAt { get; set; }

    public DateTimeOffset? HandlingDueAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Whether the complaint was closed by its handling deadline (set at closure).</summary>
    public bool? ClosedOnTime { get; set; }

    /// <summary>The number of times the complaint was returned for re-dispatch (退回重新分派).</summary>
    public int ReturnCount { get; set; }

    public string? RefusalGround { get; set; }

    public bool? MediationSucceeded { get; set; }

    public int? SatisfactionScore { get; set; }

    public string? CaseId { get; set; }

    /// <summary>For the channel <see cref="ComplaintChannel.MobilePoint"/>: the mobile intake point it was filed at.</summary>
    public string? MobilePointId { get; set; }

    /// <summary>The ODR business the complaint was offered to for settlement first (先行和解); null when none.</summary>
    public string? OdrBusinessId { get; set; }

    /// <summary>How the business's settlement ended: settled, rejected (by the consumer) or expired (no answer or decision in time).</summary>
    public string? OdrOutcome { get; set; }

    public string? ProcessInstanceId { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>Hash of consumer + respondent + text: the same submission within the window is the same complaint.</summary>
    public string? ContentFingerprint { get; set; }

    public long Version { get; set; }
}

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("cw_complaint");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.TrackingNumber).HasMaxLength(32);
        builder.HasIndex(c => c.TrackingNumber).IsUnique();
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Tier).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.NotifyBy).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.RespondentName).HasMaxLength(200);
        builder.Property(c => c.RespondentAddress).HasMaxLength(300);
        builder.Property(c => c.Request).HasMaxLength(2000);
        builder.Property(c => c.Facts).HasMaxLength(10000);
        builder.Property(c => c.IdempotencyKey).HasMaxLength(128);
        builder.Property(c => c.ContentFingerprint).HasMaxLength(64);
        builder.HasIndex(c => c.IdempotencyKey).IsUnique();
        builder.HasIndex(c => c.ContentFingerprint);
        builder.HasIndex(c => c.ConsumerPhoneKey);
        builder.HasIndex(c => new { c.UnitId, c.Status });
        builder.HasIndex(c => c.HandlerUserName);
        // The search's order (newest first, the id breaking ties) and its keyset paging, for all units and for one.
        builder.HasIndex(c => new { c.ReceivedAt, c.Id });
        builder.HasIndex(c => new { c.UnitId, c.ReceivedAt });

        // The overdue list: the open statuses (a few per cent of a year's complaints) by their deadline.
        builder.HasIndex(c => new { c.Status, c.AcceptanceDueAt });
        builder.HasIndex(c => new { c.Status, c.HandlingDueAt });
        builder.HasIndex(c => c.RespondentName);
        builder.Property(c => c.MobilePointId).HasMaxLength(64);
        builder.Property(c => c.OdrBusinessId).HasMaxLength(64);
        builder.Property(c => c.OdrOutcome).HasMaxLength(16);
        builder.HasIndex(c => c.OdrBusinessId);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}
