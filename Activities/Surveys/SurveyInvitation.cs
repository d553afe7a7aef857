using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>Where a survey invitation stands.</summary>
public enum SurveyInvitationStatus
{
    /// <summary>Sent; an answer by link or SMS reply is accepted until it expires.</summary>
    Open,

    /// <summary>Answered (the link cannot be used again).</summary>
    Answered,

    /// <summary>No longer accepted: the survey went on to the follow-up call, or ended otherwise.</summary>
    Closed,
}

/// <summary>
/// One satisfaction survey sent to a consumer after closure: what the signed link in the message stands for, and what
/// an SMS reply is matched to (the consumer's phone number and the time it was open).
/// </summary>
public sealed class SurveyInvitation
{
    /// <summary>Random id carried, signed, in the link.</summary>
    public required string Id { get; set; }

    public required string ComplaintId { get; set; }

    /// <summary>The survey's process instance (the one waiting for the <c>survey-answer</c> message).</summary>
    public string? ProcessInstanceId { get; set; }

    /// <summary>Sms, Email or None: how it was sent.</summary>
    public required string Channel { get; set; }

    /// <summary>The consumer's phone number when it was sent (digits), for matching SMS replies.</summary>
    [Data.Encrypted]
    public string? Phone { get; set; }

    /// <summary>The lookup hash of <see cref="Phone"/> (what replies are matched by).</summary>
    [Data.LookupHashOf(nameof(Phone))]
    public string? PhoneKey { get => Phone; private set { } }

    public SurveyInvitationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>web, sms or phone.</summary>
    public string? AnswerChannel { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
}

internal sealed class SurveyInvitationConfiguration : IEntityTypeConfiguration<SurveyInvitation>
{
    public void Configure(EntityTypeBuilder<SurveyInvitation> builder)
    {
        builder.ToTable("cw_survey_invitation");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.Property(s => s.ComplaintId).HasMaxLength(64);
        builder.HasIndex(s => s.ComplaintId);
        builder.Property(s => s.ProcessInstanceId).HasMaxLength(64);
        builder.Property(s => s.Channel).HasMaxLength(16);
        builder.HasIndex(s => new { s.PhoneKey, s.Status });
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.AnswerChannel).HasMaxLength(16);
    }
}

/// <summary>A secret the hosts on one database share (e.g. the survey-link signing key when configuration gives none).</summary>
public sealed class SharedSecret
{
    public required string Name { get; set; }

    /// <summary>Base64.</summary>
    public required string Value { get; set; }
}

internal sealed class SharedSecretConfiguration : IEntityTypeConfiguration<SharedSecret>
{
    public void Configure(EntityTypeBuilder<SharedSecret> builder)
    {
        builder.ToTable("cw_secret");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(64);
        builder.Property(s => s.Value).HasMaxLength(512);
    }
}
