using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>Where one message stands with the provider.</summary>
public enum SmsSendState
{
    /// <summary>Being sent now (claimed by one worker); other workers leave it alone until it ends or is clearly stale.</summary>
    Pending,

    /// <summary>Sent to the provider without a definite answer (timeout, 5xx, or a worker that died while sending): the next attempt first asks the provider whether it went out.</summary>
    Uncertain,

    /// <summary>Accepted by the provider: never sent again.</summary>
    Sent,

    /// <summary>Refused by the provider (rate limit, invalid number, ...): nothing went out, a later attempt may send.</summary>
    Refused,
}

/// <summary>
/// One message (by its <see cref="MessageId"/>, the provider's OutId) as sent to the provider: the guard against a
/// second message for a retried job, and the per-number counter for the providers' limits. Shared by every host.
/// </summary>
public sealed class SmsSendRecord
{
    public required string MessageId { get; set; }

    public required string Provider { get; set; }

    [Data.Encrypted]
    public required string PhoneNumber { get; set; }

    /// <summary>The lookup hash of <see cref="PhoneNumber"/> (the per-number counts).</summary>
    [Data.LookupHashOf(nameof(PhoneNumber))]
    public string PhoneNumberKey { get => PhoneNumber; private set { } }

    public required string TemplateCode { get; set; }

    public SmsSendState State { get; set; }

    /// <summary>The provider's id: Alibaba's BizId, Tencent's SerialNo.</summary>
    public string? ProviderMessageId { get; set; }

    public string? LastErrorCode { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset FirstAttemptAt { get; set; }

    public DateTimeOffset LastAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>A delivery receipt (SmsReport): did the message reach the phone.</summary>
public sealed class SmsReceipt
{
    public long Id { get; set; }

    public required string Provider { get; set; }

    /// <summary>Alibaba's biz_id (one per send, shared by a batch's numbers); with the phone number the receipt's identity.</summary>
    public required string BizId { get; set; }

    [Data.Encrypted]
    public required string PhoneNumber { get; set; }

    /// <summary>The lookup hash of <see cref="PhoneNumber"/> (part of the receipt's identity).</summary>
    [Data.LookupHashOf(nameof(PhoneNumber))]
    public string PhoneNumberKey { get => PhoneNumber; private set { } }

    /// <summary>Our message id (OutId), when the provider echoes it.</summary>
    public string? OutId { get; set; }

    public bool Success { get; set; }

    /// <summary><c>DELIVERED</c> on success, else the operator's or provider's code.</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? SendTime { get; set; }

    public DateTimeOffset? ReportTime { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>What became of a consumer's SMS reply.</summary>
public enum SmsReplyStatus
{
    /// <summary>Stored, not yet processed (or processing failed and the provider will push it again).</summary>
    Received,

    /// <summary>Read as a survey answer and delivered to the waiting survey.</summary>
    Answered,

    /// <summary>From a consumer with a recent complaint, but not readable as a score: kept for staff.</summary>
    Unreadable,

    /// <summary>No complaint of this phone number closed within the match window: kept for staff.</summary>
    Unmatched,

    /// <summary>Readable, but the survey was no longer waiting (answered, or gone to a follow-up call): kept for staff.</summary>
    SurveyClosed,

    /// <summary>Read as the consumer's decision on an ODR business's settlement proposal (1 accept, 2 reject) and delivered to the waiting process.</summary>
    OdrDecided,
}

/// <summary>A consumer's SMS reply (SmsUp), never lost: answered surveys and everything staff must look at.</summary>
public sealed class SmsReply
{
    public long Id { get; set; }

    public required string Provider { get; set; }

    /// <summary>The provider's id of the reply (Alibaba's sequence_id), or a hash of number, time and text when it has none; unique per provider.</summary>
    public required string ExternalId { get; set; }

    [Data.Encrypted]
    public required string PhoneNumber { get; set; }

    /// <summary>The lookup hash of <see cref="PhoneNumber"/>.</summary>
    [Data.LookupHashOf(nameof(PhoneNumber))]
    public string PhoneNumberKey { get => PhoneNumber; private set { } }

    /// <summary>What the consumer wrote (a survey score, often with words about themselves).</summary>
    [Data.Encrypted]
    public required string Content { get; set; }

    public DateTimeOffset? SendTime { get; set; }

    public string? DestCode { get; set; }

    public string? SignName { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public SmsReplyStatus Status { get; set; }

    public string? ComplaintId { get; set; }

    public int? Score { get; set; }

    public string? Comment { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

internal sealed class SmsSendRecordConfiguration : IEntityTypeConfiguration<SmsSendRecord>
{
    public void Configure(EntityTypeBuilder<SmsSendRecord> builder)
    {
        builder.ToTable("cw_sms_send");
        builder.HasKey(r => r.MessageId);
        builder.Property(r => r.MessageId).HasMaxLength(128);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.TemplateCode).HasMaxLength(64);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ProviderMessageId).HasMaxLength(128);
        builder.Property(r => r.LastErrorCode).HasMaxLength(128);
        builder.HasIndex(r => new { r.PhoneNumberKey, r.TemplateCode, r.SentAt });
    }
}

internal sealed class SmsReceiptConfiguration : IEntityTypeConfiguration<SmsReceipt>
{
    public void Configure(EntityTypeBuilder<SmsReceipt> builder)
    {
        builder.ToTable("cw_sms_receipt");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.BizId).HasMaxLength(128);
        builder.Property(r => r.OutId).HasMaxLength(128);
        builder.Property(r => r.ErrorCode).HasMaxLength(128);
        builder.Property(r => r.ErrorMessage).HasMaxLength(512);
        builder.HasIndex(r => new { r.Provider, r.BizId, r.PhoneNumberKey }).IsUnique();
        builder.HasIndex(r => r.OutId);
    }
}

internal sealed class SmsReplyConfiguration : IEntityTypeConfiguration<SmsReply>
{
    public void Configure(EntityTypeBuilder<SmsReply> builder)
    {
        builder.ToTable("cw_sms_reply");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.ExternalId).HasMaxLength(128);
        builder.HasIndex(r => new { r.Provider, r.ExternalId }).IsUnique();
        builder.HasIndex(r => r.PhoneNumberKey);
        builder.Property(r => r.DestCode).HasMaxLength(32);
        builder.Property(r => r.SignName).HasMaxLength(64);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => r.Status);
        builder.Property(r => r.ComplaintId).HasMaxLength(64);
        builder.Property(r => r.Comment).HasMaxLength(2000);
    }
}
