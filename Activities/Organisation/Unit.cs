using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>What kind of office a unit is.</summary>
public enum UnitKind
{
    /// <summary>投诉举报中心: receives complaints and dispatches them.</summary>
    IntakeCentre,

    /// <summary>区县局: the county-level market-regulation bureau, the unit with jurisdiction.</summary>
    CountyBureau,

    /// <summary>监管所: a supervision station under a county bureau, covering some towns and streets.</summary>
    SupervisionStation,
}

/// <summary>
/// An office of the organisation: the intake centre, a county bureau or a supervision station under it.
/// Its jurisdiction regions are the district, county, town or street names it covers, matched against
/// respondents' addresses (the longest, most specific match wins).
/// </summary>
public sealed class Unit
{
    /// <summary>A stable identifier (lower-case letters, digits and hyphens), e.g. <c>wz-lucheng</c>.</summary>
    public required string Id { get; set; }

    /// <summary>The Chinese name, e.g. 鹿城区市场监督管理局.</summary>
    public required string Name { get; set; }

    public UnitKind Kind { get; set; }

    /// <summary>The unit above (a station's county bureau, a bureau's intake centre).</summary>
    public string? ParentUnitId { get; set; }

    /// <summary>The region names it covers as they appear in addresses (鹿城区, 五马街道, 藤桥镇).</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>Where the unit is and how to reach it (shown when a complainant is referred to it).</summary>
    public string? Contact { get; set; }

    public bool Active { get; set; } = true;
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.ToTable("cw_unit");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(64);
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(u => u.ParentUnitId).HasMaxLength(64);
        builder.Property(u => u.Contact).HasMaxLength(500);
        builder.HasIndex(u => u.ParentUnitId);
    }
}
