using System.Collections.Concurrent;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>What a retrain produced for one dimension.</summary>
/// <param name="Replaced">False when the new model scored worse on the held-out slice than the current one, which was kept.</param>
/// <param name="HeldOutAccuracy">The new model's accuracy on the held-out slice (null: no slice).</param>
/// <param name="PreviousHeldOutAccuracy">The current model's accuracy on the same slice (null: there was none).</param>
/// <param name="Threshold">The confidence from which the new model's labels are accepted without review (null: none reaches the target precision).</param>
/// <param name="Coverage">The share of its cross-validated predictions at or above that threshold.</param>
public sealed record RetrainedModel(
    string Dimension,
    int ExampleCount,
    IReadOnlyList<string> Labels,
    long Version,
    string Trainer,
    bool Replaced,
    int HeldOutCount,
    double? HeldOutAccuracy,
    double? PreviousHeldOutAccuracy,
    double? Threshold,
    double Coverage);

/// <summary>
/// Staff corrections and the text models learned from them. A retrain (on demand, and nightly on one host)
/// trains one model per labelled dimension from its corrections (plus the optional seed examples) with the
/// domain dictionary of the day, compares it on a held-out slice with the current model and keeps the better
/// one; a new model is kept in memory on this host and saved to the database; other hosts load it from there
/// when they see a newer version (checked every <see cref="ClassificationOptions.ModelRefreshInterval"/>).
/// </summary>
public sealed partial class ClassificationModelService(
    IDbContextFactory<DomainDbContext> contexts,
    ClassificationTermService terms,
    TimeProvider time,
    IOptions<ClassificationOptions> options,
    ILogger<ClassificationModelService>? logger = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, HeldModel> _held = new(StringComparer.Ordinal);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Records that <paramref name="text"/> should have been <paramref name="label"/> in <paramref name="dimension"/>.</summary>
    public async Task<ClassificationCorrection> RecordCorrectionAsync(
        string text, string dimension, string label, string correctedBy, string? complaintId = null, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors["text"] = "文本不能为空 (text is required).";
        }
        else if (text.Length > ClassificationRuleLimits.Text)
        {
            errors["text"] = $"文本不能超过 {ClassificationRuleLimits.Text} 个字符 (text too long).";
        }

        if (!ClassificationDimensions.Labelled.Contains(dimension, StringComparer.Ordinal))
        {
            errors["dimension"] = $"维度 '{dimension}' 不能更正，应为 {string.Join("/", ClassificationDimensions.Labelled)} 之一 (dimension cannot be corrected).";
        }

        if (string.IsNullOrWhiteSpace(label) || label.Trim().Length > ClassificationRuleLimits.Label)
        {
            errors["label"] = $"标签不能为空且不超过 {ClassificationRuleLimits.Label} 个字符 (label is required).";
        }
        else if (dimension == ClassificationDimensions.Tier && !ClassificationDimensions.Tiers.Contains(label.Trim(), StringComparer.Ordinal))
        {
            errors["label"] = $"复杂程度标签 '{label}' 无效，应为 simple/general/complex (unknown tier).";
        }

        if (string.IsNullOrWhiteSpace(correctedBy))
        {
            errors["correctedBy"] = "更正人不能为空 (correctedBy is required).";
        }

        if (errors.Count > 0)
        {
            throw new ClassificationRuleValidationException(errors);
        }

        var correction = new ClassificationCorrection
        {
            ComplaintId = complaintId,
            Text = text.Trim(),
            Dimension = dimension,
            Label = label.Trim(),
            CorrectedBy = correctedBy.Trim(),
            CorrectedAt = time.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Add(correction);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return correction;
    }

    /// <summary>
    /// Trains a model for every labelled dimension with enough examples (two labels at least) on the examples outside
    /// the held-out slice, and saves it unless the current model does better on that slice.
    /// </summary>
    public async Task<IReadOnlyList<RetrainedModel>> RetrainAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var corrections = await db.Set<ClassificationCorrection>().AsNoTracking()
            .OrderBy(c => c.Id)
            .Select(c => new { c.Dimension, c.Text, c.Label })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var seed = settings.SeedExamplesFile is { Length: > 0 } file
            ? LabeledTextFile.Read(file).Examples
            : [];
        var dictionary = await terms.TermsAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<RetrainedModel>();
        foreach (var dimension in ClassificationDimensions.Labelled)
        {
            var examples = corrections.Where(c => c.Dimension == dimension).Select(c => new LabeledText(c.Text, c.Label)).ToList();
            if (dimension == ClassificationDimensions.ProblemType)
            {
                examples.AddRange(seed);
            }

            if (examples.Count < settings.Model.MinimumExamples || examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var (train, heldOut) = HoldOut(examples, settings.HoldOutFraction);
            var selection = TextModelSelection.Run(train, settings.Model, dictionary, settings.RoutingOf(dimension).TargetPrecision);
            var model = selection.Model;
            var record = await db.Set<ClassificationModelRecord>().FirstOrDefaultAsync(m => m.Dimension == dimension, cancellationToken).ConfigureAwait(false);
            double? candidateScore = heldOut.Count == 0 ? null : Accuracy(model, heldOut);
            double? previousScore = null;
            if (record is not null && heldOut.Count > 0 && TryLoad(record) is { } previous)
            {
                using (previous)
                {
                    previousScore = Accuracy(previous, heldOut);
                }
            }

            var threshold = model.ThresholdFor(settings.RoutingOf(dimension).TargetPrecision);
            var coverage = TextModelMetrics.ThresholdFor(model.Info.Evidence, settings.RoutingOf(dimension).TargetPrecision).Coverage;
            var trainer = ClassifyEvaluateCommand.Name(model.Trainer);
            if (candidateScore < previousScore)
            {
                Log.KeptPreviousModel(_logger, dimension, candidateScore!.Value, previousScore!.Value, heldOut.Count);
                model.Dispose();
                results.Add(new RetrainedModel(dimension, train.Count, model.Labels, record!.Version, trainer, false, heldOut.Count, candidateScore, previousScore, threshold, coverage));
                continue;
            }

            var bytes = model.Save();
            if (record is null)
            {
                record = new ClassificationModelRecord { Dimension = dimension, Labels = "", Bytes = [] };
                db.Add(record);
            }

            record.Version++;
            record.TrainedAt = time.GetUtcNow();
            record.ExampleCount = train.Count;
            record.Labels = Truncate(string.Join("|", model.Labels), 4000);
            record.Bytes = bytes;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            Replace(dimension, new HeldModel(model, record.Version, time.GetUtcNow()));
            Log.Retrained(_logger, dimension, trainer, train.Count, candidateScore ?? double.NaN, previousScore ?? double.NaN, threshold ?? double.NaN);
            results.Add(new RetrainedModel(dimension, train.Count, model.Labels, record.Version, trainer, true, heldOut.Count, candidateScore, previousScore, threshold, coverage));
        }

        return results;
    }

    /// <summary>
    /// Splits the examples into those trained on and the held-out slice: an example is held out when a stable hash of
    /// its text falls in the first <paramref name="fraction"/> of the range, so the same texts are held out at every
    /// retraining and neither the current nor the new model has learned from them. No slice when it would leave fewer
    /// than two labels to train on, or take every example of a label.
    /// </summary>
    public static (List<LabeledText> Train, List<LabeledText> HeldOut) HoldOut(IReadOnlyList<LabeledText> examples, double fraction)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var train = new List<LabeledText>();
        var heldOut = new List<LabeledText>();
        foreach (var example in examples)
        {
            (IsHeldOut(example.Text, fraction) ? heldOut : train).Add(example);
        }

        var trainLabels = train.Select(e => e.Label).ToHashSet(StringComparer.Ordinal);
        return trainLabels.Count < 2 || heldOut.Any(e => !trainLabels.Contains(e.Label)) ? ([.. examples], []) : (train, heldOut);
    }

    /// <summary>Whether a text falls in the held-out slice of that size (the same answer on every host, every time).</summary>
    public static bool IsHeldOut(string text, double fraction)
    {
        ArgumentNullException.ThrowIfNull(text);
        return StableHash(text) < (uint)(fraction * uint.MaxValue);
    }

    private static double Accuracy(TextClassificationModel model, List<LabeledText> examples)
        => examples.Count(e => model.Predict(e.Text) is [var top, ..] && top.Key == e.Label) / (double)examples.Count;

    /// <summary>FNV-1a over the text's UTF-16 code units: the same on every host and run (unlike string.GetHashCode).</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private TextClassificationModel? TryLoad(ClassificationModelRecord record)
    {
        try
        {
            return TextClassificationModel.Load(record.Bytes);
        }
        catch (InvalidDataException e)
        {
            Log.UnreadableModel(_logger, record.Dimension, record.Version, e.Message);
            return null;
        }
    }

    /// <summary>The current model of a dimension, or null when none has been trained.</summary>
    public async Task<TextClassificationModel?> GetModelAsync(string dimension, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_held.TryGetValue(dimension, out var held) && now - held.CheckedAt < options.Value.ModelRefreshInterval)
        {
            return held.Model;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var version = await db.Set<ClassificationModelRecord>().Where(m => m.Dimension == dimension)
            .Select(m => (long?)m.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            Replace(dimension, new HeldModel(null, 0, now));
            return null;
        }

        if (held is not null && held.Version == version)
        {
            _held[dimension] = held with { CheckedAt = now };
            return held.Model;
        }

        var record = await db.Set<ClassificationModelRecord>().AsNoTracking().FirstAsync(m => m.Dimension == dimension, cancellationToken).ConfigureAwait(false);
        // A model saved in an older format is not used (the rules decide alone) until the next retraining replaces it.
        var loaded = TryLoad(record);
        Replace(dimension, new HeldModel(loaded, record.Version, now));
        return loaded;
    }

    public void Dispose()
    {
        foreach (var held in _held.Values)
        {
            held.Model?.Dispose();
        }

        _held.Clear();
    }

    // A replaced model may still be predicting on another thread: it is left to the garbage collector.
    private void Replace(string dimension, HeldModel model) => _held[dimension] = model;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record HeldModel(TextClassificationModel? Model, long Version, DateTimeOffset CheckedAt);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Classification model of {Dimension} not replaced: the new one scored {Candidate:0.0000} on {HeldOut} held-out examples, the current one {Previous:0.0000}")]
        public static partial void KeptPreviousModel(ILogger logger, string dimension, double candidate, double previous, int heldOut);

        [LoggerMessage(Level = LogLevel.Information, Message = "Classification model of {Dimension} retrained with {Trainer} on {Examples} examples: held-out accuracy {Candidate:0.0000} (previous {Previous:0.0000}), threshold {Threshold:0.0000}")]
        public static partial void Retrained(ILogger logger, string dimension, string trainer, int examples, double candidate, double previous, double threshold);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Classification model of {Dimension} (version {Version}) cannot be read and is not used: {Reason}")]
        public static partial void UnreadableModel(ILogger logger, string dimension, long version, string reason);
    }
}
