using System.Collections.Concurrent;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>What a retrain produced for one dimension.</summary>
public sealed record RetrainedModel(string Dimension, int ExampleCount, IReadOnlyList<string> Labels, long Version);

/// <summary>
/// Staff corrections and the text models learned from them. A retrain (on demand, later on a schedule)
/// trains one model per labelled dimension from its corrections (plus the optional seed examples), keeps it
/// in memory on this host and saves it to the database; other hosts load it from there when they see a
/// newer version (checked every <see cref="ClassificationOptions.ModelRefreshInterval"/>).
/// </summary>
public sealed class ClassificationModelService(
    IDbContextFactory<DomainDbContext> contexts,
    TimeProvider time,
    IOptions<ClassificationOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HeldModel> _held = new(StringComparer.Ordinal);

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

    /// <summary>Trains and saves a model for every labelled dimension with enough examples (two labels at least).</summary>
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
            var model = TextClassificationModel.Train(examples, settings.Model);
            var bytes = model.Save();
            var record = await db.Set<ClassificationModelRecord>().FirstOrDefaultAsync(m => m.Dimension == dimension, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                record = new ClassificationModelRecord { Dimension = dimension, Labels = "", Bytes = [] };
                db.Add(record);
            }

            record.Version++;
            record.TrainedAt = time.GetUtcNow();
            record.ExampleCount = examples.Count;
            record.Labels = Truncate(string.Join("|", model.Labels), 4000);
            record.Bytes = bytes;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            Replace(dimension, new HeldModel(model, record.Version, time.GetUtcNow()));
            results.Add(new RetrainedModel(dimension, examples.Count, model.Labels, record.Version));
        }

        return results;
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
        var loaded = TextClassificationModel.Load(record.Bytes);
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
}
