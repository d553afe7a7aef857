using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>A text and the label it has.</summary>
public sealed record LabeledText(string Text, string Label);

/// <summary>
/// A multiclass text model: text featurized by character n-grams (Chinese has no spaces between words, so
/// there is no word tokenization) and a maximum-entropy (multinomial logistic regression) trainer.
/// Thread-safe: predictions are serialized on the model's prediction engine.
/// </summary>
public sealed class TextClassificationModel : IDisposable
{
    private const string TextColumn = "Text";
    private const string LabelColumn = "Label";
    private const string FeaturesColumn = "Features";

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly PredictionEngine<TextRow, ScoreRow> _engine;
    private readonly string[] _labels;
    private readonly Lock _gate = new();

    private TextClassificationModel(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model;
        _engine = ml.Model.CreatePredictionEngine<TextRow, ScoreRow>(model);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        _engine.OutputSchema["Score"].GetSlotNames(ref names);
        _labels = [.. names.DenseValues().Select(n => n.ToString())];
    }

    /// <summary>The labels the model knows, in score order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Trains a model on the examples (at least two distinct labels).</summary>
    public static TextClassificationModel Train(IReadOnlyCollection<LabeledText> examples, TextModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw new ArgumentException("训练需要至少两个不同的标签 (training needs at least two distinct labels).", nameof(examples));
        }

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new TextRow { Text = e.Text, Label = e.Label }));
        var featurizer = new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = null,
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.CharacterNgramLength, UseAllLengths = true },
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            KeepNumbers = true,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey(LabelColumn, LabelColumn)
            .Append(ml.Transforms.Text.FeaturizeText(FeaturesColumn, featurizer, TextColumn))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn,
                FeatureColumnName = FeaturesColumn,
                L2Regularization = options.L2Regularization,
                L1Regularization = 0,
                MaximumNumberOfIterations = options.MaximumIterations,
                NumberOfThreads = 1,
            }));
        return new TextClassificationModel(ml, pipeline.Fit(data));
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static TextClassificationModel Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var ml = new MLContext();
        using var stream = new MemoryStream(bytes, writable: false);
        return new TextClassificationModel(ml, ml.Model.Load(stream, out _));
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;
        _ml.Model.Save(_model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>The probability of each label (summing to 1), highest first.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Predict(string text)
    {
        ScoreRow row;
        lock (_gate)
        {
            row = _engine.Predict(new TextRow { Text = text ?? "", Label = "" });
        }

        return [.. _labels.Select((label, i) => new KeyValuePair<string, double>(label, i < row.Score.Length ? row.Score[i] : 0))
            .OrderByDescending(p => p.Value)];
    }

    public void Dispose() => _engine.Dispose();

    private sealed class TextRow
    {
        public string Text { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
