using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.RiskNotices;

public enum RiskNoticeStatus
{
    /// <summary>Generated, waiting for the leader's review.</summary>
    InReview,
    Sent,
    Withdrawn,
}

/// <summary>
/// A risk notice letter (风险提示函) to a respondent with many complaints and no improvement: generated from the
/// template, reviewed by a leader, sent, and copied to the regulator of the respondent's industry.
/// </summary>
public sealed class RiskNotice
{
    public required string Id { get; set; }

    public required string Number { get; set; }

    public required string RespondentName { get; set; }

    public string? RespondentAddress { get; set; }

    public string? Industry { get; set; }

    /// <summary>One notice per respondent per cooldown period (unique): two hosts generate one.</summary>
    public required string DedupKey { get; set; }

    public int ComplaintCount { get; set; }

    public DateTimeOffset WindowFrom { get; set; }

    public DateTimeOffset WindowTo { get; set; }

    public RiskNoticeStatus Status { get; set; }

    public required string LetterText { get; set; }

    public string? RegulatorName { get; set; }

    public string? RegulatorEmail { get; set; }

    public string? ReviewedBy { get; set; }

    public string? ReviewComment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? ProcessInstanceId { get; set; }
}

/// <summary>The administrator-editable letter template (one per key; <c>default</c> is used).</summary>
public sealed class RiskNoticeTemplate
{
    public const string DefaultKey = "default";

    public required string Key { get; set; }

    public required string Subject { get; set; }

    /// <summary>Placeholders: {respondentName} {complaintCount} {windowDays} {from} {to} {problemTypes} {centreName} {regulatorName} {date} {number}.</summary>
    public required string Body { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>The regulator on record for an industry (行业主管部门), copied on risk notices.</summary>
public sealed class IndustryRegulator
{
    public long Id { get; set; }

    /// <summary>The industry as the classifier names it (教育培训, 美容美发, 餐饮 ...).</summary>
    public required string Industry { get; set; }

    public required string Name { get; set; }

    public string? Email { get; set; }

    public string? Address { get; set; }

    public string? Contact { get; set; }
}

internal sealed class RiskNoticeConfiguration : IEntityTypeConfiguration<RiskNotice>
{
    public void Configure(EntityTypeBuilder<RiskNotice> builder)
    {
        builder.ToTable("cw_risk_notice");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasMaxLength(64);
        builder.Property(n => n.Number).HasMaxLength(32);
        builder.HasIndex(n => n.Number).IsUnique();
        builder.Property(n => n.RespondentName).HasMaxLength(200);
        builder.HasIndex(n => n.RespondentName);
        builder.Property(n => n.RespondentAddress).HasMaxLength(300);
        builder.Property(n => n.Industry).HasMaxLength(64);
        builder.Property(n => n.DedupKey).HasMaxLength(300);
        builder.HasIndex(n => n.DedupKey).IsUnique();
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.LetterText).HasMaxLength(20000);
        builder.Property(n => n.RegulatorName).HasMaxLength(200);
        builder.Property(n => n.RegulatorEmail).HasMaxLength(254);
        builder.Property(n => n.ReviewedBy).HasMaxLength(64);
        builder.Property(n => n.ReviewComment).HasMaxLength(4000);
        builder.Property(n => n.ProcessInstanceId).HasMaxLength(64);
    }
}

internal sealed class RiskNoticeTemplateConfiguration : IEntityTypeConfiguration<RiskNoticeTemplate>
{
    public void Configure(EntityTypeBuilder<RiskNoticeTemplate> builder)
    {
        builder.ToTable("cw_risk_notice_template");
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.Property(t => t.Subject).HasMaxLength(200);
        builder.Property(t => t.Body).HasMaxLength(20000);
        builder.Property(t => t.UpdatedBy).HasMaxLength(64);
    }
}

internal sealed class IndustryRegulatorConfiguration : IEntityTypeConfiguration<IndustryRegulator>
{
    public void Configure(EntityTypeBuilder<IndustryRegulator> builder)
    {
        builder.ToTable("cw_industry_regulator");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Industry).HasMaxLength(64);
        builder.HasIndex(r => r.Industry).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Email).HasMaxLength(254);
        builder.Property(r => r.Address).HasMaxLength(300);
        builder.Property(r => r.Contact).HasMaxLength(100);
    }
}
