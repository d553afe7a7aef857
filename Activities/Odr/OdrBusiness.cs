using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>
/// A respondent business in the online dispute resolution programme (在线消费纠纷解决, ODR): complaints against it or
/// one of its branches are first offered to it to settle (先行和解) on the enterprise portal.
/// </summary>
public sealed class OdrBusiness
{
    public required string Id { get; set; }

    /// <summary>The business's registered name (a complaint's respondent name matches it or one of the branches).</summary>
    public required string Name { get; set; }

    /// <summary>The names of its branches (门店、分公司), one per line.</summary>
    public string Branches { get; set; } = "";

    /// <summary>A business that left the programme keeps its history; new complaints go to mediation directly.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>The names a respondent may be given as: the business's and its branches'.</summary>
    public IReadOnlyList<string> Names() => [Name, .. Branches.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>An enterprise portal account (the fourth kind of user, beside staff, consumers and administrators): a sign-in user of a business.</summary>
public sealed class OdrAccount
{
    /// <summary>The sign-in user name (an Identity user with the role <c>business</c>).</summary>
    public required string UserName { get; set; }

    public required string BusinessId { get; set; }
}

/// <summary>The business's answer and settlement proposal for one complaint, and what the consumer decided.</summary>
public sealed class OdrSettlement
{
    public long Id { get; set; }

    public required string ComplaintId { get; set; }

    public required string BusinessId { get; set; }

    /// <summary>The business's answer to the complaint (情况说明).</summary>
    public required string Answer { get; set; }

    /// <summary>What it offers (和解方案), e.g. 全额退款 3,999 元.</summary>
    public required string Proposal { get; set; }

    public DateTimeOffset ProposedAt { get; set; }

    public required string ProposedBy { get; set; }

    /// <summary>accepted or rejected; null while the consumer has not decided.</summary>
    public string? Decision { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>portal or sms.</summary>
    public string? DecidedVia { get; set; }
}

/// <summary>What the centre tells a business on its portal: a handler's feedback on a complaint (处理意见) or a risk notice (风险提示).</summary>
public sealed class OdrNotice
{
    public long Id { get; set; }

    public required string BusinessId { get; set; }

    /// <summary>The complaint it is about; null for a notice to the business as a whole.</summary>
    public string? ComplaintId { get; set; }

    /// <summary>feedback (处理意见) or risk (风险提示).</summary>
    public required string Kind { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Author { get; set; }
}

internal sealed class OdrConfiguration : IEntityTypeConfiguration<OdrBusiness>, IEntityTypeConfiguration<OdrAccount>, IEntityTypeConfiguration<OdrSettlement>, IEntityTypeConfiguration<OdrNotice>
{
    public void Configure(EntityTypeBuilder<OdrBusiness> builder)
    {
        builder.ToTable("cw_odr_business");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasMaxLength(64);
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Branches).HasMaxLength(4000);
        builder.HasIndex(b => b.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<OdrAccount> builder)
    {
        builder.ToTable("cw_odr_account");
        builder.HasKey(a => a.UserName);
        builder.Property(a => a.UserName).HasMaxLength(128);
        builder.Property(a => a.BusinessId).HasMaxLength(64);
        builder.HasIndex(a => a.BusinessId);
    }

    public void Configure(EntityTypeBuilder<OdrSettlement> builder)
    {
        builder.ToTable("cw_odr_settlement");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.ComplaintId).HasMaxLength(64);
        builder.Property(s => s.BusinessId).HasMaxLength(64);
        builder.Property(s => s.Answer).HasMaxLength(2000);
        builder.Property(s => s.Proposal).HasMaxLength(2000);
        builder.Property(s => s.ProposedBy).HasMaxLength(128);
        builder.Property(s => s.Decision).HasMaxLength(16);
        builder.Property(s => s.DecidedVia).HasMaxLength(16);
        builder.HasIndex(s => s.ComplaintId);
    }

    public void Configure(EntityTypeBuilder<OdrNotice> builder)
    {
        builder.ToTable("cw_odr_notice");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.BusinessId).HasMaxLength(64);
        builder.Property(n => n.ComplaintId).HasMaxLength(64);
        builder.Property(n => n.Kind).HasMaxLength(16);
        builder.Property(n => n.Text).HasMaxLength(2000);
        builder.Property(n => n.Author).HasMaxLength(128);
        builder.HasIndex(n => new { n.BusinessId, n.At });
    }
}
