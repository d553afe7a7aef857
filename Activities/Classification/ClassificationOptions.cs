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

    /// <summary>
    /// Dispatch without the desk's review when every dimension of <see cref="ReviewDimensions"/> was decided by a
    /// trained model at or above its threshold (and the dispatch found a handler in jurisdiction). Off: the desk
    /// reviews every complaint, and the review task only says which ones need it.
    /// </summary>
    public bool AutoDispatch { get; set; }

    /// <summary>Per dimension: the precision its automatically accepted labels must reach, or a fixed threshold.</summary>
    [Required]
    public ClassificationRoutingOptions Routing { get; set; } = new();

    /// <summary>Share of each dimension's examples (chosen by a hash of the text, so the same ones every time) held out from training to compare a new model with the current one.</summary>
    [Range(0.0, 0.5)]
    public double HoldOutFraction { get; set; } = 0.2;

    /// <summary>Quartz cron expression of the nightly retraining (one host of a cluster runs it); empty: no scheduled retraining.</summary>
    public string? RetrainSchedule { get; set; } = "0 30 2 * * ?";

    /// <summary>Time zone (IANA id) of <see cref="RetrainSchedule"/>.</summary>
    [Required]
    public string RetrainTimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The routing of one labelled dimension.</summary>
    public DimensionRoutingOptions RoutingOf(string dimension) => dimension switch
    {
        ClassificationDimensions.ProblemType => Routing.ProblemType,
        ClassificationDimensions.GoodsOrService => Routing.GoodsOrService,
        ClassificationDimensions.Industry => Routing.Industry,
        ClassificationDimensions.Tier => Routing.Tier,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a labelled dimension"),
    };
}

/// <summary>The <c>Routing</c> of each labelled dimension.</summary>
public sealed class ClassificationRoutingOptions
{
    [Required]
    public DimensionRoutingOptions ProblemType { get; set; } = new();

    [Required]
    public DimensionRoutingOptions GoodsOrService { get; set; } = new();

    [Required]
    public DimensionRoutingOptions Industry { get; set; } = new();

    [Required]
    public DimensionRoutingOptions Tier { get; set; } = new();
}

/// <summary>When a dimension's label is accepted without review.</summary>
public sealed class DimensionRoutingOptions
{
    /// <summary>The share of automatically accepted labels that must be right, in cross-validation; the threshold is the lowest confidence that achieves it.</summary>
    [Range(0.5, 1.0)]
    public double TargetPrecision { get; set; } = 0.95;

    /// <summary>A fixed confidence threshold instead of the cross-validated one (empty: cross-validated).</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; set; }
}

/// <summary>How the text model is trained: character n-grams and jieba words, the trainers compared by cross-validation.</summary>
public sealed class TextModelOptions
{
    /// <summary>The trainers compared (maximumEntropy, sdca, lightGbm, averagedPerceptron, ensemble); none listed: all of them.</summary>
    public List<string> Trainers { get; set; } = [];

    /// <summary>Folds of the stratified cross-validation that compares the trainers and calibrates the chosen one.</summary>
    [Range(2, 20)]
    public int Folds { get; set; } = 5;

    /// <summary>Longest word n-gram of the jieba words (1: single words).</summary>
    [Range(1, 3)]
    public int WordNgramLength { get; set; } = 1;

    /// <summary>Passes of the SDCA trainer.</summary>
    [Range(1, 1000)]
    public int SdcaIterations { get; set; } = 50;

    /// <summary>Boosting rounds of the LightGBM trainer.</summary>
    [Range(1, 5000)]
    public int LightGbmIterations { get; set; } = 100;

    /// <summary>Leaves per tree of the LightGBM trainer.</summary>
    [Range(2, 1024)]
    public int LightGbmLeaves { get; set; } = 8;

    /// <summary>Passes of the averaged perceptron (one versus all).</summary>
    [Range(1, 1000)]
    public int PerceptronIterations { get; set; } = 10;

    /// <summary>The trainers to compare, parsed from <see cref="Trainers"/> (all when none is listed).</summary>
    public IReadOnlyList<TextTrainer> TrainerList()
    {
        if (Trainers.Count == 0)
        {
            return Enum.GetValues<TextTrainer>();
        }

        var parsed = Trainers.Select(t => Enum.TryParse<TextTrainer>(t, ignoreCase: true, out var v) ? v
            : throw new ArgumentException($"未知训练器 '{t}'，应为 {string.Join("/", Enum.GetNames<TextTrainer>())} (unknown trainer).", nameof(Trainers))).Distinct().ToList();
        if (parsed is [TextTrainer.Ensemble])
        {
            throw new ArgumentException("集成需要至少一个其他训练器 (the ensemble needs another trainer).", nameof(Trainers));
        }

        return parsed;
    }

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
