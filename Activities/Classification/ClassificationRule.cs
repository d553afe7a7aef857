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

    private FoldedText? _folded;

    /// <summary>
    /// The keyword in invariant upper case: matching compares it ordinally with the complaint text in upper case, which
    /// is what a case-insensitive ordinal comparison does, without doing it again character by character for every rule.
    /// </summary>
    internal string FoldedKeyword
    {
        get
        {
            var folded = _folded;
            if (folded is null || !ReferenceEquals(folded.Source, Keyword))
            {
                folded = new FoldedText(Keyword, Keyword.ToUpperInvariant());
                _folded = folded;
            }

            return folded.Value;
        }
    }

    public bool Enabled { get; set; } = true;

    public string? Note { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A text and its invariant upper case (one reference, so readers on other threads see a matching pair).</summary>
internal sealed record FoldedText(string Source, string Value);

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
