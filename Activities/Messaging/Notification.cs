using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>Where a notification stands.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting to be sent (first attempt or a retry at <see cref="Notification.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>No SMS provider or SMTP server is configured: kept, and tried again once one is.</summary>
    NoProvider,

    /// <summary>Accepted by the provider or the SMTP server.</summary>
    Sent,

    /// <summary>The provider's receipt says it reached the phone.</summary>
    Delivered,

    /// <summary>The phone number or address is invalid: a task for staff was raised.</summary>
    InvalidRecipient,

    /// <summary>Refused for good (account, quota, content, or attempts used up): an alert for administrators was raised.</summary>
    Failed,

    /// <summary>Given up by staff (the failure task was closed without a new recipient).</summary>
    Cancelled,

    /// <summary>An email handed to the SMTP server, its outcome not yet recorded (the attempt is committed before the send).</summary>
    Sending,

    /// <summary>
    /// An email whose sending host died (or lost its commit) after handing it to the SMTP server: it may have reached the
    /// consumer. It is not sent again by itself (a consumer must not get two mails); an alert for administrators was raised
    /// (resend or give up).
    /// </summary>
    Uncertain,
}

/// <summary>
/// One notification (SMS or email) to one recipient, stored when asked for and delivered after commit by the
/// delivery worker. <see cref="Key"/> is its identity (unique): asking again with the same key changes nothing,
/// and <see cref="MessageId"/>, derived from the key, is the provider's OutId / the email's Message-ID.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }

    public required string Key { get; set; }

    /// <summary>Stable id derived from <see cref="Key"/>: the SMS OutId and the local part of the email Message-ID.</summary>
    public required string MessageId { get; set; }

    public required string Template { get; set; }

    public MessageChannel Channel { get; set; }

    /// <summary>The phone number or email address it goes to.</summary>
    [Data.Encrypted]
    public required string Recipient { get; set; }

    /// <summary>The staff member it is for, when it is for one.</summary>
    public string? RecipientUserName { get; set; }

    /// <summary>The text as rendered (the SMS text, or the email's plain-text body).</summary>
    [Data.Encrypted]
    public required string Text { get; set; }

    public string? Subject { get; set; }

    [Data.Encrypted]
    public string? HtmlBody { get; set; }

    /// <summary>The provider template code per provider (JSON object), copied from the template at the time of asking.</summary>
    public string? SmsTemplateCodes { get; set; }

    /// <summary>The template values (JSON object): the SMS template parameters.</summary>
    [Data.Encrypted]
    public required string Values { get; set; }

    public NotificationStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LockOwner { get; set; }

    public DateTimeOffset? LockExpiresAt { get; set; }

    /// <summary>The provider's id of the sent message (Alibaba BizId, Tencent SerialNo).</summary>
    public string? ProviderMessageId { get; set; }

    /// <summary>The provider that sent it (<c>aliyun</c>, <c>tencent</c>, <c>smtp</c>).</summary>
    public string? Provider { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>The complaint (or incident) it is about.</summary>
    public string? ComplaintId { get; set; }

    /// <summary>The process instance that asked for it, if any.</summary>
    public string? ProcessInstanceId { get; set; }

    public bool Drill { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The process instance of the staff task or alert raised for a failure.</summary>
    public string? FailureInstanceId { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("cw_notification");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Key).HasMaxLength(200);
        builder.HasIndex(n => n.Key).IsUnique();
        builder.Property(n => n.MessageId).HasMaxLength(64);
        builder.HasIndex(n => n.MessageId).IsUnique();
        builder.Property(n => n.Template).HasMaxLength(64);
        builder.Property(n => n.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.RecipientUserName).HasMaxLength(64);
        builder.Property(n => n.Subject).HasMaxLength(300);
        builder.Property(n => n.SmsTemplateCodes).HasMaxLength(1000);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(n => n.LockOwner).HasMaxLength(128);
        builder.Property(n => n.ProviderMessageId).HasMaxLength(128);
        builder.HasIndex(n => n.ProviderMessageId);
        builder.Property(n => n.Provider).HasMaxLength(32);
        builder.Property(n => n.ErrorCode).HasMaxLength(100);
        builder.Property(n => n.ErrorMessage).HasMaxLength(2000);
        builder.Property(n => n.ComplaintId).HasMaxLength(64);
        builder.HasIndex(n => n.ComplaintId);
        builder.Property(n => n.ProcessInstanceId).HasMaxLength(64);
        builder.Property(n => n.FailureInstanceId).HasMaxLength(64);
        builder.HasIndex(n => new { n.Status, n.NextAttemptAt });
    }
}
