using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Classification;

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
