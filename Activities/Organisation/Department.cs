using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// A section of a unit (消费者权益保护科, 联合执法小组, 法制科) and what it handles: the problem types,
/// industries and goods or services it takes, and key phrases that send a complaint to it directly
/// (e.g. 预付卡跑路 to the joint enforcement group).
/// </summary>
public sealed class Department
{
    public required string Id { get; set; }

    public required string UnitId { get; set; }

    public required string Name { get; set; }

    /// <summary>Problem types it handles (售后服务, 质量, 虚假宣传 ...).</summary>
    public List<string> ProblemTypes { get; set; } = [];

    /// <summary>Industries it handles (汽车, 餐饮, 教育培训 ...).</summary>
    public List<string> Industries { get; set; } = [];

    /// <summary>Goods or service categories it handles (交通工具, 食品, 美容美发洗浴 ...).</summary>
    public List<string> GoodsOrServices { get; set; } = [];

    /// <summary>Key phrases in the complaint that send it here (预付卡跑路, 闭店, 卷款).</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>联合执法小组: the joint enforcement group (prepaid-card run-offs, group incidents).</summary>
    public bool IsJointEnforcementGroup { get; set; }

    /// <summary>法制科: the legal section; it reviews replies and is never dispatched complaints.</summary>
    public bool IsLegalSection { get; set; }
}

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> builder)
    {
        builder.ToTable("cw_department");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(64);
        builder.Property(d => d.UnitId).HasMaxLength(64);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.HasIndex(d => d.UnitId);
    }
}
