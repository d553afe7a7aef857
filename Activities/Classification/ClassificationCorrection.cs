using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>A staff correction of a classification: the text and the label it should have had. The model learns from these.</summary>
public sealed class ClassificationCorrection
{
    public long Id { get; set; }

    /// <summary>The complaint corrected, when known.</summary>
    public string? ComplaintId { get; set; }

    public required string Text { get; set; }

    public required string Dimension { get; set; }

    public required string Label { get; set; }

    public required string CorrectedBy { get; set; }

    public DateTimeOffset CorrectedAt { get; set; }
}

internal sealed class ClassificationCorrectionConfiguration : IEntityTypeConfiguration<ClassificationCorrection>
{
    public void Configure(EntityTypeBuilder<ClassificationCorrection> builder)
    {
        builder.ToTable("cw_classification_correction");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ComplaintId).HasMaxLength(64);
        builder.Property(c => c.Text).HasMaxLength(ClassificationRuleLimits.Text);
        builder.Property(c => c.Dimension).HasMaxLength(ClassificationRuleLimits.Dimension);
        builder.Property(c => c.Label).HasMaxLength(ClassificationRuleLimits.Label);
        builder.Property(c => c.CorrectedBy).HasMaxLength(ClassificationRuleLimits.User);
        builder.HasIndex(c => c.Dimension);
    }
}
