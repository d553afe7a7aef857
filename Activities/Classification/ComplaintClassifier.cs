using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>What is classified: the complaint's text (facts and request) and who it is about and from.</summary>
public sealed record ClassificationRequest(string Text, string? RespondentName = null, string? ConsumerPhone = null, string? ComplaintId = null);

/// <summary>A label and its score (rules and model combined), one of a dimension's best.</summary>
public sealed record LabelCandidate(string Label, double Score);

/// <summary>The label of one dimension, how sure the classifier is, and what decided it.</summary>
/// <param name="ModelProbability">The trained model's calibrated probability of <paramref name="Label"/> (null without a model).</param>
/// <param name="Threshold">The model's probability from which its label is accepted without review (null: no calibrated model, or none reaches the target precision).</param>
/// <param name="AutoAccepted">The label is the model's, with a probability at or above <paramref name="Threshold"/>.</param>
/// <param name="TopLabels">The three best labels, best first.</param>
public sealed record DimensionResult(
    string Dimension,
    string Label,
    double Confidence,
    bool NeedsReview,
    IReadOnlyList<string> MatchedKeywords,
    double? ModelProbability,
    double? Threshold = null,
    bool AutoAccepted = false,
    IReadOnlyList<LabelCandidate>? TopLabels = null);

/// <summary>The classification of one complaint.</summary>
public sealed record ClassificationResult(
    DimensionResult ProblemType,
    DimensionResult GoodsOrService,
    DimensionResult Industry,
    DimensionResult Tier,
    double Confidence,
    bool NeedsReview,
    bool HasReportPart,
    string ReportText,
    bool SuspectedProfessionalClaimant,
    bool SuspectedGroupComplaint,
    string Reason,
    bool AutoDispatch = false,
    IReadOnlyList<LabelCandidate>? TopLabels = null);

/// <summary>
/// Classifies a complaint: administrator-maintained keyword rules and the model learned from staff
/// corrections are merged into one label per dimension with a confidence in [0,1]; the report part, the
/// professional-claimant and group-complaint suspicions come from rule cues and the complaint table.
/// </summary>
public sealed partial class ComplaintClassifier(
    IDbContextFactory<DomainDbContext> contexts,
    ClassificationRuleCache rules,
    ClassificationModelService models,
    TimeProvider time,
    IOptions<ClassificationOptions> options)
{
    // Compiled once: these run for every complaint, and a compiled query skips building and looking up the LINQ tree.
    // A compiled query belongs to one model, so each is kept by the service that uses it (one database), not statically.

    /// <summary>The same consumer's other complaints since an instant, up to a number (counting stops once the answer is clear).</summary>
    private readonly ModelBoundQuery<Func<DomainDbContext, string, DateTimeOffset, string?, int, CancellationToken, Task<int>>> _earlierComplaints = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string phone, DateTimeOffset since, string? complaintId, int upTo, CancellationToken cancellationToken) => db.Set<Complaint>()
            .Where(c => c.ConsumerPhoneKey == phone && !c.IsReport && c.ReceivedAt >= since && c.Id != complaintId)
            .Take(upTo)
            .Count()));

    /// <summary>Other consumers complaining about the same respondent since an instant, up to a number.</summary>
    private readonly ModelBoundQuery<Func<DomainDbContext, string, DateTimeOffset, string?, string?, int, CancellationToken, Task<int>>> _otherConsumers = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string respondent, DateTimeOffset since, string? complaintId, string? phone, int upTo, CancellationToken cancellationToken) => db.Set<Complaint>()
            .Where(c => c.RespondentName == respondent && !c.IsReport && c.ReceivedAt >= since && c.Id != complaintId
                && (phone == null || c.ConsumerPhoneKey != phone))
            .Select(c => c.ConsumerPhoneKey).Distinct().Take(upTo)
            .Count()));

    public Task<ClassificationResult> ClassifyAsync(ClassificationRequest request, CancellationToken cancellationToken = default)
        => ClassifyAsync(request, null, cancellationToken);

    /// <summary>Classifies, reading the complaint history on <paramref name="on"/> when given (a step's context), else on a context of its own.</summary>
    public async Task<ClassificationResult> ClassifyAsync(ClassificationRequest request, DomainDbContext? on, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var text = request.Text ?? "";
        var enabled = await rules.GetEnabledAsync(cancellationToken).ConfigureAwait(false);
        var reasons = new List<string>();

        var folded = text.ToUpperInvariant();
        var results = new Dictionary<string, DimensionResult>(StringComparer.Ordinal);
        // jieba's segmentation is the same for every dimension's model: done once, when a model is there.
        string? segmented = null;
        foreach (var dimension in ClassificationDimensions.Labelled)
        {
            var model = await models.GetModelAsync(dimension, cancellationToken).ConfigureAwait(false);
            segmented ??= model is null ? null : ComplaintTokenizer.Segment(text);
            results[dimension] = Decide(dimension, text, folded, segmented, enabled, model, settings);
        }

        // Report part: the sentences whose report cues reach the threshold.
        var reportSentences = Sentences(text)
            .Select(s => (Sentence: s, Cues: Matches(ClassificationDimensions.Report, s.ToUpperInvariant(), enabled)))
            .Where(s => s.Cues.Sum(c => c.Weight) >= settings.ReportCueThreshold)
            .ToList();
        var reportText = string.Concat(reportSentences.Select(s => s.Sentence));
        if (reportSentences.Count > 0)
        {
            reasons.Add($"含举报内容：{Quote(reportSentences.SelectMany(s => s.Cues).Select(c => c.Keyword))}");
        }

        // Professional claimant: keyword cues, or many complaints from the same consumer recently.
        var now = time.GetUtcNow();
        var professionalCues = Matches(ClassificationDimensions.ProfessionalClaimant, folded, enabled);
        var byCues = professionalCues.Sum(c => c.Weight) >= settings.ProfessionalCueThreshold;
        if (byCues)
        {
            reasons.Add($"疑似职业索赔：关键词 {Quote(professionalCues.Select(c => c.Keyword))}");
        }

        var byHistory = false;
        await using var own = on is null ? await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false) : null;
        var db = on ?? own!;

        // The phone number is not a process variable (it would be stored in clear with the instance): the complaint's own.
        var consumerPhone = request.ConsumerPhone is { Length: > 0 } given ? given
            : request.ComplaintId is { } id ? (await db.Set<Complaint>().FindAsync([id], cancellationToken).ConfigureAwait(false))?.ConsumerPhone : null;
        if (consumerPhone is { Length: > 0 } phone)
        {
            var since = now.AddDays(-settings.ProfessionalHistoryDays);
            // Counting stops once the answer is clear, so a busy phone number costs no more than a quiet one.
            var earlier = await _earlierComplaints.For(db)(db, phone, since, request.ComplaintId, Math.Max(settings.ProfessionalHistoryThreshold, 1) * 4, cancellationToken).ConfigureAwait(false);
            byHistory = earlier >= settings.ProfessionalHistoryThreshold;
            if (byHistory)
            {
                reasons.Add($"疑似职业索赔：该消费者近 {settings.ProfessionalHistoryDays} 日已有 {earlier} 件投诉");
            }
        }

        // Group complaint: other consumers' complaints against the same respondent within the window.
        var group = false;
        if (request.RespondentName?.Trim() is { Length: > 0 } respondent)
        {
            var since = now.AddHours(-settings.GroupWindowHours);
            var others = await _otherConsumers.For(db)(db, respondent, since, request.ComplaintId, consumerPhone, Math.Max(settings.GroupThreshold, 1) * 4, cancellationToken).ConfigureAwait(false);
            group = others >= settings.GroupThreshold - 1;
            if (group)
            {
                reasons.Add($"疑似群体投诉：{settings.GroupWindowHours} 小时内另有 {others} 名消费者投诉同一被投诉方");
            }
        }

        // Tier: the rules' and model's tier, raised to complex by a group complaint or a large amount.
        var tier = results[ClassificationDimensions.Tier];
        var amount = LargestAmount(text);
        if (group || amount >= settings.LargeAmountYuan)
        {
            var why = group ? "群体投诉" : $"涉及金额 {amount.ToString("0.##", CultureInfo.InvariantCulture)} 元，达到大额标准 {settings.LargeAmountYuan.ToString("0.##", CultureInfo.InvariantCulture)} 元";
            tier = tier with { Label = ClassificationDimensions.TierComplex, Confidence = 1.0, NeedsReview = false };
            reasons.Add($"复杂程度 complex：{why}");
        }
        else if (tier.Confidence == 0)
        {
            tier = tier with { Label = ClassificationDimensions.TierGeneral };
        }

        results[ClassificationDimensions.Tier] = tier;
        IReadOnlyList<string> reviewedDimensions = settings.ReviewDimensions.Count == 0 ? [ClassificationDimensions.ProblemType] : settings.ReviewDimensions;
        var reviewed = reviewedDimensions.Where(results.ContainsKey).Select(d => results[d]).ToList();
        var confidence = reviewed.Select(d => d.Confidence).DefaultIfEmpty(0).Min();
        var needsReview = reviewed.Count == 0 || reviewed.Any(d => d.NeedsReview);
        // Straight on only when a calibrated model accepted every reviewed dimension (never on the rules alone).
        var autoDispatch = settings.AutoDispatch && !needsReview && reviewed.All(d => d.AutoAccepted);
        var topLabels = (reviewed.FirstOrDefault(d => d.NeedsReview) ?? reviewed.FirstOrDefault())?.TopLabels ?? [];
        var reason = new StringBuilder();
        foreach (var dimension in ClassificationDimensions.Labelled)
        {
            reason.Append(Describe(results[dimension])).Append('；');
        }

        foreach (var line in reasons)
        {
            reason.Append(line).Append('；');
        }

        reason.Append(needsReview
            ? $"置信度 {Format(confidence)}，需人工复核"
            : autoDispatch ? $"置信度 {Format(confidence)}，达到阈值，自动分派" : $"置信度 {Format(confidence)}");
        return new ClassificationResult(
            results[ClassificationDimensions.ProblemType],
            results[ClassificationDimensions.GoodsOrService],
            results[ClassificationDimensions.Industry],
            tier,
            confidence,
            needsReview,
            reportSentences.Count > 0,
            reportText,
            byCues || byHistory,
            group,
            reason.ToString(),
            autoDispatch,
            topLabels);
    }

    /// <summary>Rule scores and model probabilities of one dimension merged into one label.</summary>
    internal static DimensionResult Decide(string dimension, string text, IReadOnlyList<ClassificationRule> enabled, TextClassificationModel? model, ClassificationOptions settings)
        => Decide(dimension, text, text.ToUpperInvariant(), null, enabled, model, settings);

    /// <summary><see cref="Decide(string, string, IReadOnlyList{ClassificationRule}, TextClassificationModel?, ClassificationOptions)"/> with the text already in invariant upper case (<paramref name="folded"/>) and, when known, segmented by jieba (<paramref name="segmented"/>), for a caller deciding several dimensions of one text.</summary>
    private static DimensionResult Decide(string dimension, string text, string folded, string? segmented, IReadOnlyList<ClassificationRule> enabled, TextClassificationModel? model, ClassificationOptions settings)
    {
        var matches = Matches(dimension, folded, enabled);
        var scores = matches.GroupBy(m => m.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(m => m.Weight), StringComparer.Ordinal);
        var total = scores.Values.Sum();
        var strength = Math.Min(1.0, total / settings.RuleSaturationScore);
        var combined = new Dictionary<string, double>(StringComparer.Ordinal);
        var modelShare = model is null ? 0.0 : settings.ModelShare;
        foreach (var (label, score) in scores)
        {
            combined[label] = (1 - modelShare) * strength * score / total;
        }

        IReadOnlyList<KeyValuePair<string, double>> probabilities = model is null ? [] : segmented is null ? model.Predict(text) : model.Predict(text, segmented);
        foreach (var (label, probability) in probabilities)
        {
            combined[label] = combined.GetValueOrDefault(label) + modelShare * probability;
        }

        var fallback = dimension == ClassificationDimensions.Tier ? ClassificationDimensions.TierGeneral : ClassificationDimensions.Other;
        var ranked = combined.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        var best = ranked.Count == 0 ? new KeyValuePair<string, double>(fallback, 0) : ranked[0];
        if (best.Value <= 0)
        {
            best = new KeyValuePair<string, double>(fallback, 0);
        }

        var confidence = Math.Clamp(best.Value, 0, 1);
        var keywords = matches.Where(m => m.Label == best.Key).Select(m => m.Keyword).ToList();
        double? modelProbability = probabilities.Count == 0 ? null : probabilities.FirstOrDefault(p => p.Key == best.Key).Value;
        var top = ranked.Take(3).Select(p => new LabelCandidate(p.Key, Math.Clamp(p.Value, 0, 1))).ToList();

        // With a calibrated model (cross-validated evidence, or a fixed threshold) its probability decides; otherwise
        // (rules alone, or a model trained on too few examples to cross-validate) the combined confidence does.
        var routing = settings.RoutingOf(dimension);
        var calibrated = model is not null && (routing.Threshold is not null || model.Info.Evidence.Count > 0);
        var threshold = calibrated ? routing.Threshold ?? model!.ThresholdFor(routing.TargetPrecision) : null;
        var autoAccepted = threshold is { } t && probabilities.Count > 0 && probabilities[0].Key == best.Key && probabilities[0].Value >= t;
        var needsReview = calibrated ? !autoAccepted : confidence < settings.ConfidenceThreshold;
        return new DimensionResult(dimension, best.Key, confidence, needsReview, keywords, modelProbability, threshold, autoAccepted, top);
    }

    /// <summary>
    /// The rules of a dimension whose keyword the text contains, ignoring case: <paramref name="folded"/> is the text in
    /// invariant upper case, compared ordinally with the keywords in upper case (vectorised, unlike OrdinalIgnoreCase on Chinese text).
    /// </summary>
    private static List<ClassificationRule> Matches(string dimension, string folded, IReadOnlyList<ClassificationRule> enabled)
        => [.. enabled.Where(r => r.Dimension == dimension && folded.Contains(r.FoldedKeyword, StringComparison.Ordinal))];

    private static string Describe(DimensionResult result)
    {
        var builder = new StringBuilder();
        builder.Append(ClassificationDimensions.DisplayName(result.Dimension).Split(' ')[0])
            .Append(' ').Append(result.Label).Append('(').Append(Format(result.Confidence)).Append(')');
        var evidence = new List<string>();
        if (result.MatchedKeywords.Count > 0)
        {
            evidence.Add("规则关键词 " + Quote(result.MatchedKeywords));
        }

        if (result.ModelProbability is { } p)
        {
            evidence.Add("模型概率 " + Format(p) + (result.Threshold is { } t ? $"（阈值 {Format(t)}）" : ""));
        }

        builder.Append('：').Append(evidence.Count == 0 ? "无规则命中" : string.Join("，", evidence));
        return builder.ToString();
    }

    /// <summary>The best labels as the desk reads them: 「质量 72%、售后服务 15%、合同 5%」.</summary>
    public static string FormatTopLabels(IEnumerable<LabelCandidate> labels)
        => string.Join("、", labels.Select(l => $"{l.Label} {Math.Round(l.Score * 100).ToString("0", CultureInfo.InvariantCulture)}%"));

    private static string Quote(IEnumerable<string> keywords) => string.Concat(keywords.Distinct(StringComparer.Ordinal).Select(k => $"「{k}」"));

    private static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The sentences of a text, each with its closing punctuation.</summary>
    internal static IEnumerable<string> Sentences(string text)
        => SentencePattern().Matches(text).Select(m => m.Value.Trim()).Where(s => s.Length > 0);

    /// <summary>The largest amount of money the text names, in yuan (万 counts 10,000), or 0.</summary>
    internal static double LargestAmount(string text)
    {
        var largest = 0.0;
        foreach (Match match in AmountPattern().Matches(text))
        {
            if (double.TryParse(match.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                largest = Math.Max(largest, match.Groups["wan"].Success ? value * 10000 : value);
            }
        }

        return largest;
    }

    [GeneratedRegex(@"[^。！？；!?;\n]+[。！？；!?;\n]*")]
    private static partial Regex SentencePattern();

    [GeneratedRegex(@"(?<n>\d[\d,]*(?:\.\d+)?)\s*(?<wan>万)?\s*(?:元|块)")]
    private static partial Regex AmountPattern();
}
