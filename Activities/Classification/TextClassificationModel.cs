using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>A text and the label it has.</summary>
public sealed record LabeledText(string Text, string Label);

/// <summary>The trainers the text model can be learned with; <see cref="Ensemble"/> averages the others' calibrated probabilities.</summary>
public enum TextTrainer
{
    MaximumEntropy,
    Sdca,
    LightGbm,
    AveragedPerceptron,
    Ensemble,
}

/// <summary>
/// A multiclass text model: character n-grams of the text and jieba words (with the domain terms) of it,
/// learned by one trainer or an ensemble of them. Every probability it gives is calibrated (temperature
/// scaling fitted on cross-validated predictions); it keeps those predictions' confidences and whether they
/// were right, so that the threshold for a wanted precision can be read from them (<see cref="ThresholdFor"/>).
/// Thread-safe: predictions are serialized on each member's prediction engine.
/// </summary>
public sealed class TextClassificationModel : IDisposable
{
    private static readonly byte[] Magic = "CWTM2\n"u8.ToArray();

    private readonly MLContext _ml;
    private readonly Member[] _members;
    private readonly ComplaintTokenizer _tokenizer;
    private readonly string[] _labels;
    private readonly Lock _gate = new();
    private readonly bool _allFast;

    private TextClassificationModel(MLContext ml, Member[] members, ComplaintTokenizer tokenizer, TextModelInfo info)
    {
        _ml = ml;
        _members = members;
        _tokenizer = tokenizer;
        Info = info;
        _labels = [.. members.SelectMany(m => m.Labels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _allFast = members.All(m => m.IsFast);
    }

    /// <summary>The labels the model knows.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The trainer, calibration and cross-validated evidence of this model.</summary>
    public TextModelInfo Info { get; }

    public TextTrainer Trainer => Info.Trainer;

    /// <summary>The domain terms the model was trained with (it sees these words, not today's list).</summary>
    public IReadOnlyList<string> DomainTerms => _tokenizer.DomainTerms;

    /// <summary>
    /// Trains on the examples (at least two distinct labels): with enough examples, every trainer of
    /// <paramref name="options"/> is cross-validated and the best kept, calibrated, with its evidence; with too few
    /// for cross-validation, the maximum-entropy trainer uncalibrated and without evidence (no threshold).
    /// </summary>
    public static TextClassificationModel Train(IReadOnlyList<LabeledText> examples, TextModelOptions options, IEnumerable<string>? domainTerms = null)
    {
        var selection = TextModelSelection.Run(examples, options, domainTerms);
        return selection.Model;
    }

    /// <summary>
    /// Trains one given trainer (the ensemble: of the other trainers of <paramref name="options"/>) without cross-validation,
    /// so uncalibrated and without evidence (no threshold): for measurements, not for routing.
    /// </summary>
    public static TextClassificationModel TrainWith(TextTrainer trainer, IReadOnlyList<LabeledText> examples, TextModelOptions options, IEnumerable<string>? domainTerms = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var members = trainer == TextTrainer.Ensemble ? options.TrainerList().Where(t => t != TextTrainer.Ensemble).ToDictionary(t => t, _ => 1.0) : [];
        return Fit(examples, options, new ComplaintTokenizer(domainTerms), trainer, new TextModelCalibration(1.0, members, []));
    }

    /// <summary>Trains one trainer (or the ensemble) on all the examples, calibrated with <paramref name="calibration"/>.</summary>
    internal static TextClassificationModel Fit(IReadOnlyList<LabeledText> examples, TextModelOptions options, ComplaintTokenizer tokenizer, TextTrainer trainer, TextModelCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw new ArgumentException("训练需要至少两个不同的标签 (training needs at least two distinct labels).", nameof(examples));
        }

        var ml = NewContext(options.Seed);
        var rows = Rows(examples, tokenizer);
        var kinds = trainer == TextTrainer.Ensemble ? [.. calibration.MemberTemperatures.Keys.Order()] : new[] { trainer };
        var members = kinds.Select(k => Member.Create(ml, k, FitOne(ml, rows, options, k), calibration.MemberTemperatures.GetValueOrDefault(k, 1.0))).ToArray();
        foreach (var member in members)
        {
            member.UseFastPath(ml, options.CharacterNgramLength, options.WordNgramLength, rows);
        }

        var info = new TextModelInfo(trainer, calibration.Temperature, calibration.Evidence, examples.Count);
        return new TextClassificationModel(ml, members, tokenizer, info);
    }

    /// <summary>Trains one base trainer and gives its uncalibrated probabilities of held-out texts (for cross-validation).</summary>
    internal static List<Dictionary<string, double>> FitAndScore(MLContext ml, IReadOnlyList<TextRow> train, IReadOnlyList<TextRow> test, TextModelOptions options, TextTrainer trainer)
    {
        using var member = Member.Create(ml, trainer, FitOne(ml, train, options, trainer), 1.0);
        return [.. test.Select(r => member.Raw(r, fast: false))];
    }

    internal static MLContext NewContext(int seed)
    {
        var ml = new MLContext(seed);
        ml.ComponentCatalog.RegisterAssembly(typeof(LightGbmMulticlassTrainer).Assembly);
        return ml;
    }

    internal static List<TextRow> Rows(IEnumerable<LabeledText> examples, ComplaintTokenizer tokenizer)
        => [.. examples.Select(e => new TextRow { Text = e.Text, Words = tokenizer.Words(e.Text), Label = e.Label })];

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static TextClassificationModel Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("不是本产品保存的分类模型 (not a classification model saved by this product); retrain the classifier.");
        }

        using var stream = new MemoryStream(bytes, writable: false);
        stream.Position = Magic.Length;
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var header = JsonSerializer.Deserialize<SavedHeader>(reader.ReadString())
            ?? throw new InvalidDataException("分类模型头部为空 (empty model header).");
        var ml = NewContext(0);
        var members = new Member[header.Members.Count];
        for (var i = 0; i < members.Length; i++)
        {
            var length = reader.ReadInt32();
            using var part = new MemoryStream(reader.ReadBytes(length), writable: false);
            members[i] = Member.Create(ml, header.Members[i].Trainer, ml.Model.Load(part, out _), header.Members[i].Temperature);
            // The fast path only for a member whose fast scores were checked against ML.NET's at training (older files: ML.NET's path).
            if (header.Members[i] is { Fast: true, CharacterNgramLength: { } characters, WordNgramLength: { } words })
            {
                members[i].UseFastPath(ml, characters, words, verifyOn: null);
            }
        }

        var info = new TextModelInfo(header.Trainer, header.Temperature, [.. header.Evidence.Select(e => new CrossValidatedPrediction(e.C, e.R))], header.ExampleCount);
        return new TextClassificationModel(ml, members, new ComplaintTokenizer(header.DomainTerms), info);
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        stream.Write(Magic);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var header = new SavedHeader(Info.Trainer, Info.Temperature, Info.ExampleCount, [.. DomainTerms],
            [.. _members.Select(m => new SavedMember(m.Trainer, m.Temperature, m.IsFast, m.CharacterNgramLength, m.WordNgramLength))],
            [.. Info.Evidence.Select(e => new SavedEvidence(e.Confidence, e.Correct))]);
        writer.Write(JsonSerializer.Serialize(header));
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;
        foreach (var member in _members)
        {
            using var part = new MemoryStream();
            _ml.Model.Save(member.Model, schema, part);
            writer.Write((int)part.Length);
            writer.Write(part.GetBuffer(), 0, (int)part.Length);
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>The calibrated probability of each label (summing to 1), highest first.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Predict(string text) => Predict(text, ComplaintTokenizer.Segment(text ?? ""));

    /// <summary><see cref="Predict(string)"/> with the text's jieba segmentation (<see cref="ComplaintTokenizer.Segment"/>) done by the caller once for several models.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Predict(string text, string segmented)
    {
        var row = new TextRow { Text = text ?? "", Words = _tokenizer.Words(text ?? "", segmented), Label = "" };
        Dictionary<string, double> probabilities;
        if (_allFast)
        {
            probabilities = Combine(row, fast: true);
        }
        else
        {
            lock (_gate)
            {
                probabilities = Combine(row, fast: true);
            }
        }

        return [.. probabilities.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>Every member's trainer uses the fast scoring path (<see cref="LinearTextScorer"/>), not ML.NET's prediction engine.</summary>
    internal bool UsesFastPath => _allFast;

    /// <summary><see cref="Predict(string, string)"/> through ML.NET's prediction engines only (what the fast path must equal).</summary>
    internal IReadOnlyList<KeyValuePair<string, double>> PredictWithEngine(string text)
    {
        var row = new TextRow { Text = text ?? "", Words = _tokenizer.Words(text ?? ""), Label = "" };
        Dictionary<string, double> probabilities;
        lock (_gate)
        {
            probabilities = Combine(row, fast: false);
        }

        return [.. probabilities.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    private Dictionary<string, double> Combine(TextRow row, bool fast) => _members.Length == 1
        ? Calibration.Scale(_members[0].Raw(row, fast), Info.Temperature)
        : Calibration.Scale(Calibration.Average(_members.Select(m => Calibration.Scale(m.Raw(row, fast), m.Temperature))), Info.Temperature);

    /// <summary>
    /// The lowest confidence at which the model's cross-validated predictions at or above it were right at least
    /// <paramref name="precision"/> of the time (the largest such share of them), or null when there is no evidence
    /// or no confidence reaches it.
    /// </summary>
    public double? ThresholdFor(double precision) => TextModelMetrics.ThresholdFor(Info.Evidence, precision).Threshold;

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
    }

    private static ITransformer FitOne(MLContext ml, IReadOnlyList<TextRow> rows, TextModelOptions options, TextTrainer trainer)
    {
        const string label = "Label";
        const string features = "Features";
        var characters = Featurizer(words: null, new WordBagEstimator.Options { NgramLength = options.CharacterNgramLength, UseAllLengths = true });
        var words = Featurizer(new WordBagEstimator.Options { NgramLength = options.WordNgramLength, UseAllLengths = true }, characters: null);
        var featurize = ml.Transforms.Conversion.MapValueToKey(label, label)
            .Append(ml.Transforms.Text.FeaturizeText("CharFeatures", characters, nameof(TextRow.Text)))
            .Append(ml.Transforms.Text.FeaturizeText("WordFeatures", words, nameof(TextRow.Words)))
            .Append(ml.Transforms.Concatenate(features, "CharFeatures", "WordFeatures"));
        var data = ml.Data.LoadFromEnumerable(rows);
        return trainer switch
        {
            TextTrainer.MaximumEntropy => featurize.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = features,
                L2Regularization = options.L2Regularization,
                L1Regularization = 0,
                MaximumNumberOfIterations = options.MaximumIterations,
                NumberOfThreads = 1,
            })).Fit(data),
            TextTrainer.Sdca => featurize.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = features,
                L2Regularization = options.L2Regularization,
                MaximumNumberOfIterations = options.SdcaIterations,
                NumberOfThreads = 1,
                Shuffle = true,
            })).Fit(data),
            TextTrainer.LightGbm => featurize.Append(ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = features,
                NumberOfIterations = options.LightGbmIterations,
                NumberOfLeaves = options.LightGbmLeaves,
                MinimumExampleCountPerLeaf = 2,
                LearningRate = 0.2,
                NumberOfThreads = 1,
                Seed = options.Seed,
                Deterministic = true,
                Verbose = false,
                Silent = true,
            })).Fit(data),
            TextTrainer.AveragedPerceptron => featurize.Append(ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
                {
                    FeatureColumnName = features,
                    NumberOfIterations = options.PerceptronIterations,
                    Shuffle = true,
                }), labelColumnName: label)).Fit(data),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "the ensemble is made of the other trainers"),
        };
    }

    /// <summary>Bags of word or character n-grams, lower case, without punctuation, L2-normalized.</summary>
    private static TextFeaturizingEstimator.Options Featurizer(WordBagEstimator.Options? words, WordBagEstimator.Options? characters) => new()
    {
        WordFeatureExtractor = words,
        CharFeatureExtractor = characters,
        CaseMode = TextNormalizingEstimator.CaseMode.Lower,
        KeepPunctuations = false,
        KeepNumbers = true,
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };

    /// <summary>The row the pipeline reads: the text, its words (from <see cref="ComplaintTokenizer"/>) and the label.</summary>
    internal sealed class TextRow
    {
        public string Text { get; set; } = "";

        public string Words { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    /// <summary>One trained pipeline, its prediction engine and its own temperature (inside an ensemble).</summary>
    private sealed class Member : IDisposable
    {
        private readonly PredictionEngine<TextRow, ScoreRow> _engine;

        private Member(TextTrainer trainer, ITransformer model, PredictionEngine<TextRow, ScoreRow> engine, string[] labels, double temperature)
        {
            Trainer = trainer;
            Model = model;
            _engine = engine;
            Labels = labels;
            Temperature = temperature;
        }

        public TextTrainer Trainer { get; }

        public ITransformer Model { get; }

        public string[] Labels { get; }

        public double Temperature { get; }

        private LinearTextScorer? _fast;

        public bool IsFast => _fast is not null;

        public int? CharacterNgramLength { get; private set; }

        public int? WordNgramLength { get; private set; }

        /// <summary>
        /// Scores with <see cref="LinearTextScorer"/> from now on when the trainer is linear and, given rows, when its
        /// probabilities equal the prediction engine's on every one of them (within 1e-4); otherwise keeps the engine.
        /// </summary>
        public void UseFastPath(MLContext ml, int characterNgramLength, int wordNgramLength, IReadOnlyList<TextRow>? verifyOn)
        {
            var fast = LinearTextScorer.TryCreate(ml, Model, characterNgramLength, wordNgramLength);
            if (fast is null)
            {
                return;
            }

            foreach (var row in verifyOn ?? [])
            {
                var expected = Normalize(_engine.Predict(row).Score);
                var actual = Normalize(fast.Score(row.Text, row.Words));
                if (expected.Any(p => Math.Abs(p.Value - actual.GetValueOrDefault(p.Key, double.NaN)) > 1e-4 || double.IsNaN(actual.GetValueOrDefault(p.Key, double.NaN))))
                {
                    return;
                }
            }

            _fast = fast;
            CharacterNgramLength = characterNgramLength;
            WordNgramLength = wordNgramLength;
        }

        public static Member Create(MLContext ml, TextTrainer trainer, ITransformer model, double temperature)
        {
            var engine = ml.Model.CreatePredictionEngine<TextRow, ScoreRow>(model);
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            engine.OutputSchema["Score"].GetSlotNames(ref names);
            return new Member(trainer, model, engine, [.. names.DenseValues().Select(n => n.ToString())], temperature);
        }

        /// <summary>The member's own probabilities (normalized to sum to 1; the one-versus-all perceptron's do not).</summary>
        public Dictionary<string, double> Raw(TextRow row, bool fast)
            => Normalize(fast && _fast is not null ? _fast.Score(row.Text, row.Words) : _engine.Predict(row).Score);

        private Dictionary<string, double> Normalize(float[] score)
        {
            var result = new Dictionary<string, double>(Labels.Length, StringComparer.Ordinal);
            var sum = 0.0;
            for (var i = 0; i < Labels.Length; i++)
            {
                var p = i < score.Length && float.IsFinite(score[i]) ? Math.Max(score[i], 0) : 0;
                result[Labels[i]] = p;
                sum += p;
            }

            foreach (var label in Labels)
            {
                result[label] = sum > 0 ? result[label] / sum : 1.0 / Labels.Length;
            }

            return result;
        }

        public void Dispose() => _engine.Dispose();
    }

    private sealed record SavedHeader(TextTrainer Trainer, double Temperature, int ExampleCount, List<string> DomainTerms, List<SavedMember> Members, List<SavedEvidence> Evidence);

    private sealed record SavedMember(TextTrainer Trainer, double Temperature, bool? Fast = null, int? CharacterNgramLength = null, int? WordNgramLength = null);

    private sealed record SavedEvidence(double C, bool R);
}

/// <summary>What a model knows about itself: its trainer, its calibration, and its cross-validated predictions.</summary>
/// <param name="Temperature">The temperature of the model's (or the ensemble's) probabilities.</param>
/// <param name="Evidence">The calibrated confidence of each cross-validated prediction and whether it was right (empty without cross-validation).</param>
public sealed record TextModelInfo(TextTrainer Trainer, double Temperature, IReadOnlyList<CrossValidatedPrediction> Evidence, int ExampleCount);

/// <summary>The calibrated confidence of one cross-validated prediction and whether it was right.</summary>
public readonly record struct CrossValidatedPrediction(double Confidence, bool Correct);

/// <summary>How a trained model is calibrated: its temperature, its members' temperatures (ensemble) and its evidence.</summary>
internal sealed record TextModelCalibration(double Temperature, IReadOnlyDictionary<TextTrainer, double> MemberTemperatures, IReadOnlyList<CrossValidatedPrediction> Evidence)
{
    public static TextModelCalibration None { get; } = new(1.0, new Dictionary<TextTrainer, double>(), []);
}
