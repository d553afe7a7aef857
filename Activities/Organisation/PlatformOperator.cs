using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// An e-commerce platform operator and the unit of its domicile: in-platform sellers with no reachable
/// address, and the platform itself, go to that unit (Order 121).
/// </summary>
public sealed class PlatformOperator
{
    public required string Id { get; set; }

    /// <summary>The platform's name as consumers write it (天猫, 瓯越优选).</summary>
    public required string PlatformName { get; set; }

    /// <summary>Other names for the same platform (淘宝, Tmall).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>The operating company's registered name.</summary>
    public string? OperatorName { get; set; }

    /// <summary>The unit where the operator is domiciled.</summary>
    public required string DomicileUnitId { get; set; }

    public IEnumerable<string> Names => Aliases.Prepend(PlatformName).Concat(OperatorName is null ? [] : [OperatorName]);
}

internal sealed class PlatformOperatorConfiguration : IEntityTypeConfiguration<PlatformOperator>
{
    public void Configure(EntityTypeBuilder<PlatformOperator> builder)
    {
        builder.ToTable("cw_platform_operator");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.PlatformName).HasMaxLength(100);
        builder.Property(p => p.OperatorName).HasMaxLength(200);
        builder.Property(p => p.DomicileUnitId).HasMaxLength(64);
        builder.Ignore(p => p.Names);
        builder.HasIndex(p => p.PlatformName).IsUnique();
    }
}
