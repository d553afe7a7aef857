using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>The <c>Workflows:Domain:Classification</c> section: thresholds of the complaint classifier.</summary>
public sealed class ClassificationOptions
{
    public const string Section = "Workflows:Domain:Classification";

    /// <summary>A result whose confidence is below this needs a person to look (needsReview).</summary>
    [Range(0.0, 1.0)]
    public double ConfidenceThreshold { get; set; } = 0.6;

    /// <summary>
    /// The dimensions whose confidence must reach the threshold; the activity's confidence is their lowest.
    /// Empty (the default) means the problem type only. (Empty by default because configuration binding
    /// appends to a list's initial items rather than replacing them.)
    /// </summary>
    public List<string> ReviewDimensions { get; set; } = [];

    /// <summary>Summed rule weight at which the rules alone are fully sure of a label.</summary>
    [Range(0.1, 1000.0)]
    public double RuleSaturationScore { get; set; } = 2.0;

    /// <summary>Share of the trained model in the combined score (the rules get the rest); used only where a model exists.</summary>
    [Range(0.0, 1.0)]
    public double ModelShare { get; set; } = 0.6;

    /// <summary>Largest weight an administrator may give a rule.</summary>
    [Range(0.1, 1000.0)]
    public double MaximumRuleWeight { get; set; } = 10.0;

    /// <summary>How long a host keeps the enabled rules before reading them again (changes made on the same host apply at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RuleCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a host checks the database for a model trained by another host.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ModelRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Summed weight of report cues (dimension <c>report</c>) in one sentence that makes it a report part.</summary>
    [Range(0.1, 1000.0)]
    public double ReportCueThreshold { get; set; } = 1.0;

    /// <summary>Summed weight of professional-claimant cues that makes a complaint suspect.</summary>
    [Range(0.1, 1000.0)]
    public double ProfessionalCueThreshold { get; set; } = 1.5;

    /// <summary>The window over which the same consumer's complaints are counted.</summary>
    [Range(1, 3650)]
    public int ProfessionalHistoryDays { get; set; } = 30;

    /// <summary>Earlier complaints by the same consumer (phone) within the window that make a complaint suspect.</summary>
    [Range(1, 100000)]
    public int ProfessionalHistoryThreshold { get; set; } = 5;

    /// <summary>The window over which complaints against the same respondent are counted.</summary>
    [Range(1, 8760)]
    public int GroupWindowHours { get; set; } = 72;

    /// <summary>Consumers against one respondent that make a group complaint (this one included: earlier ones >= threshold - 1).</summary>
    [Range(2, 100000)]
    public int GroupThreshold { get; set; } = 5;

    /// <summary>An amount (yuan) at or above which a complaint is complex.</summary>
    [Range(1.0, 1e12)]
    public double LargeAmountYuan { get; set; } = 50000;

    /// <summary>Optional TSV (<c>text&lt;TAB&gt;problemType</c>) of seed examples added to the corrections when training.</summary>
    public string? SeedExamplesFile { get; set; }

    /// <summary>Training settings of the text model.</summary>
    [Required]
    public TextModelOptions Model { get; set; } = new();
}

/// <summary>How the text model is trained: character n-grams and a maximum-entropy multiclass trainer.</summary>
public sealed class TextModelOptions
{
    /// <summary>Longest character n-gram (all shorter lengths are used too).</summary>
    [Range(1, 6)]
    public int CharacterNgramLength { get; set; } = 2;

    /// <summary>L2 regularization of the maximum-entropy trainer.</summary>
    [Range(0.0, 100.0)]
    public float L2Regularization { get; set; } = 0.001f;

    /// <summary>Optimizer iterations (LBFGS).</summary>
    [Range(1, 10000)]
    public int MaximumIterations { get; set; } = 200;

    /// <summary>Seed for the ML context, so a retrain on the same data gives the same model.</summary>
    public int Seed { get; set; } = 12315;

    /// <summary>Fewest examples of a dimension before a model is trained for it.</summary>
    [Range(1, 100000)]
    public int MinimumExamples { get; set; } = 2;
}
