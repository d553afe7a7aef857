using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// A keyword rule an administrator maintains: text containing <see cref="Keyword"/> adds
/// <see cref="Weight"/> to <see cref="Label"/> in <see cref="Dimension"/>. Changing rules needs no code change.
/// </summary>
public sealed class ClassificationRule
{
    public long Id { get; set; }

    /// <summary>One of <see cref="ClassificationDimensions.All"/>.</summary>
    public required string Dimension { get; set; }

    public required string Label { get; set; }

    /// <summary>A keyword or phrase, matched as a substring (case-insensitive).</summary>
    public required string Keyword { get; set; }

    public double Weight { get; set; } = 1.0;

    public bool Enabled { get; set; } = true;

    public string? Note { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ClassificationRuleConfiguration : IEntityTypeConfiguration<ClassificationRule>
{
    public void Configure(EntityTypeBuilder<ClassificationRule> builder)
    {
        builder.ToTable("cw_classification_rule");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Dimension).HasMaxLength(ClassificationRuleLimits.Dimension);
        builder.Property(r => r.Label).HasMaxLength(ClassificationRuleLimits.Label);
        builder.Property(r => r.Keyword).HasMaxLength(ClassificationRuleLimits.Keyword);
        builder.Property(r => r.Note).HasMaxLength(ClassificationRuleLimits.Note);
        builder.Property(r => r.UpdatedBy).HasMaxLength(ClassificationRuleLimits.User);
        builder.HasIndex(r => new { r.Dimension, r.Label, r.Keyword }).IsUnique();
    }
}

/// <summary>Column lengths of the classification tables.</summary>
internal static class ClassificationRuleLimits
{
    public const int Dimension = 32;
    public const int Label = 50;
    public const int Keyword = 100;
    public const int Note = 500;
    public const int User = 100;
    public const int Text = 10000;
}

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

/// <summary>A trained text model of one dimension, saved so every host loads the same one.</summary>
public sealed class ClassificationModelRecord
{
    public required string Dimension { get; set; }

    /// <summary>Grows with every retrain; hosts reload when it differs from what they hold.</summary>
    public long Version { get; set; }

    public DateTimeOffset TrainedAt { get; set; }

    public int ExampleCount { get; set; }

    /// <summary>The labels the model knows, separated by '|'.</summary>
    public required string Labels { get; set; }

    /// <summary>The ML.NET model (zip).</summary>
    public required byte[] Bytes { get; set; }
}

internal sealed class ClassificationModelRecordConfiguration : IEntityTypeConfiguration<ClassificationModelRecord>
{
    public void Configure(EntityTypeBuilder<ClassificationModelRecord> builder)
    {
        builder.ToTable("cw_classification_model");
        builder.HasKey(m => m.Dimension);
        builder.Property(m => m.Dimension).HasMaxLength(ClassificationRuleLimits.Dimension);
        builder.Property(m => m.Labels).HasMaxLength(4000);
        builder.Property(m => m.Version).IsConcurrencyToken();
    }
}
