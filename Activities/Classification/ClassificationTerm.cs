using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// A word of the complaint domain (a brand, a product, a legal term) that the text model treats as one word
/// however jieba segments it. Administrators maintain the list; a retraining uses the list of its day.
/// </summary>
public sealed class ClassificationTerm
{
    public const string KindBrand = "brand";
    public const string KindProduct = "product";
    public const string KindLegal = "legal";

    public static IReadOnlyList<string> Kinds { get; } = [KindBrand, KindProduct, KindLegal];

    public long Id { get; set; }

    public required string Term { get; set; }

    /// <summary>brand, product or legal.</summary>
    public required string Kind { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ClassificationTermConfiguration : IEntityTypeConfiguration<ClassificationTerm>
{
    public void Configure(EntityTypeBuilder<ClassificationTerm> builder)
    {
        builder.ToTable("cw_classification_term");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Term).HasMaxLength(ClassificationTermService.MaximumLength);
        builder.Property(t => t.Kind).HasMaxLength(16);
        builder.Property(t => t.UpdatedBy).HasMaxLength(ClassificationRuleLimits.User);
        builder.HasIndex(t => t.Term).IsUnique();
    }
}
