namespace ComplaintWorkflows.Activities.Classification;

/// <summary>How one trainer did in cross-validation (calibrated, out-of-fold predictions).</summary>
/// <param name="Threshold">The confidence from which its predictions were at least the target precision right (null: none).</param>
/// <param name="Coverage">The share of predictions at or above <paramref name="Threshold"/> (accepted without review).</param>
/// <param name="AcceptedPrecision">How many of those were right.</param>
public sealed record TrainerEvaluation(
    TextTrainer Trainer,
    double Accuracy,
    double MacroF1,
    double? Threshold,
    double Coverage,
    double AcceptedPrecision,
    double Temperature,
    IReadOnlyList<(string Actual, string Predicted)> Predictions,
    IReadOnlyList<CrossValidatedPrediction> Evidence);

/// <summary>
/// Stratified k-fold cross-validation of every configured trainer on the same folds, each calibrated by
/// temperature scaling on its out-of-fold predictions; the calibrated ensemble averages the others'
/// calibrated probabilities (and is calibrated again). The best (accuracy, then macro-F1, then coverage) is
/// then trained on all the examples and keeps its out-of-fold evidence, from which a threshold is read.
/// </summary>
public sealed class TextModelSelection
{
    private TextModelSelection(int folds, IReadOnlyList<TrainerEvaluation> evaluations, TextClassificationModel? model)
    {
        Folds = folds;
        Evaluations = evaluations;
        _model = model;
    }

    private readonly TextClassificationModel? _model;

    /// <summary>The folds used (fewer than asked when a label has fewer examples; 0 when cross-validation was impossible).</summary>
    public int Folds { get; }

    /// <summary>Every trainer compared, in the order of <see cref="TextModelOptions.Trainers"/>.</summary>
    public IReadOnlyList<TrainerEvaluation> Evaluations { get; }

    /// <summary>The trainer kept (null when nothing was cross-validated).</summary>
    public TrainerEvaluation? Best => Evaluations.Count == 0 ? null
        : Evaluations.OrderByDescending(e => e.Accuracy).ThenByDescending(e => e.MacroF1).ThenByDescending(e => e.Coverage).ThenBy(e => e.Trainer).First();

    /// <summary>The model trained on all the examples with the best trainer (only when asked for).</summary>
    public TextClassificationModel Model => _model ?? throw new InvalidOperationException("Only evaluated; no model was trained.");

    /// <summary>Cross-validates, picks the best trainer and trains it on all examples (see the class summary).</summary>
    public static TextModelSelection Run(IReadOnlyList<LabeledText> examples, TextModelOptions options, IEnumerable<string>? domainTerms = null, double targetPrecision = 0.95, bool train = true)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw new ArgumentException("训练需要至少两个不同的标签 (training needs at least two distinct labels).", nameof(examples));
        }

        var tokenizer = new ComplaintTokenizer(domainTerms);
        var folds = Math.Min(options.Folds, examples.GroupBy(e => e.Label, StringComparer.Ordinal).Min(g => g.Count()));
        if (folds < 2)
        {
            var simple = train ? TextClassificationModel.Fit(examples, options, tokenizer, TextTrainer.MaximumEntropy, TextModelCalibration.None) : null;
            return new TextModelSelection(0, [], simple);
        }

        var trainers = options.TrainerList();
        var baseTrainers = trainers.Where(t => t != TextTrainer.Ensemble).ToList();
        var rows = TextClassificationModel.Rows(examples, tokenizer);
        var foldOf = StratifiedFolds(examples, folds, options.Seed);
        var raw = baseTrainers.ToDictionary(t => t, _ => new Dictionary<string, double>[examples.Count]);
        for (var fold = 0; fold < folds; fold++)
        {
            var testIndexes = Enumerable.Range(0, examples.Count).Where(i => foldOf[i] == fold).ToList();
            var trainRows = Enumerable.Range(0, examples.Count).Where(i => foldOf[i] != fold).Select(i => rows[i]).ToList();
            var testRows = testIndexes.Select(i => rows[i]).ToList();
            foreach (var trainer in baseTrainers)
            {
                var scored = TextClassificationModel.FitAndScore(TextClassificationModel.NewContext(options.Seed), trainRows, testRows, options, trainer);
                for (var j = 0; j < testIndexes.Count; j++)
                {
                    raw[trainer][testIndexes[j]] = scored[j];
                }
            }
        }

        var actual = examples.Select(e => e.Label).ToArray();
        var temperatures = new Dictionary<TextTrainer, double>();
        var calibrated = new Dictionary<TextTrainer, Dictionary<string, double>[]>();
        foreach (var trainer in baseTrainers)
        {
            temperatures[trainer] = Calibration.FitTemperature(raw[trainer], actual);
            calibrated[trainer] = [.. raw[trainer].Select(p => Calibration.Scale(p, temperatures[trainer]))];
        }

        if (trainers.Contains(TextTrainer.Ensemble))
        {
            var averaged = Enumerable.Range(0, examples.Count).Select(i => Calibration.Average(baseTrainers.Select(t => calibrated[t][i]))).ToArray();
            temperatures[TextTrainer.Ensemble] = Calibration.FitTemperature(averaged, actual);
            calibrated[TextTrainer.Ensemble] = [.. averaged.Select(p => Calibration.Scale(p, temperatures[TextTrainer.Ensemble]))];
        }

        var evaluations = trainers.Select(t => Evaluate(t, calibrated[t], actual, temperatures[t], targetPrecision)).ToList();
        var selection = new TextModelSelection(folds, evaluations, null);
        if (!train)
        {
            return selection;
        }

        var best = selection.Best!;
        var calibration = best.Trainer == TextTrainer.Ensemble
            ? new TextModelCalibration(best.Temperature, baseTrainers.ToDictionary(t => t, t => temperatures[t]), best.Evidence)
            : new TextModelCalibration(best.Temperature, new Dictionary<TextTrainer, double>(), best.Evidence);
        return new TextModelSelection(folds, evaluations, TextClassificationModel.Fit(examples, options, tokenizer, best.Trainer, calibration));
    }

    /// <summary>The fold (0..folds-1) of each example: each label's examples in a seeded random order, dealt out in turn.</summary>
    public static int[] StratifiedFolds(IReadOnlyList<LabeledText> examples, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var result = new int[examples.Count];
        var next = 0;
        foreach (var group in Enumerable.Range(0, examples.Count).GroupBy(i => examples[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.ToArray();
            random.Shuffle(shuffled);
            foreach (var index in shuffled)
            {
                result[index] = next;
                next = (next + 1) % folds;
            }
        }

        return result;
    }

    private static TrainerEvaluation Evaluate(TextTrainer trainer, Dictionary<string, double>[] probabilities, string[] actual, double temperature, double targetPrecision)
    {
        var predictions = new List<(string Actual, string Predicted)>(actual.Length);
        var evidence = new List<CrossValidatedPrediction>(actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            var top = probabilities[i].OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First();
            predictions.Add((actual[i], top.Key));
            evidence.Add(new CrossValidatedPrediction(top.Value, top.Key == actual[i]));
        }

        var (threshold, coverage, precision) = TextModelMetrics.ThresholdFor(evidence, targetPrecision);
        return new TrainerEvaluation(trainer, TextModelMetrics.Accuracy(predictions), TextModelMetrics.MacroF1(predictions), threshold, coverage, precision, temperature, predictions, evidence);
    }
}

/// <summary>Accuracy, macro-F1, the worst confusions and the threshold for a precision, of a set of predictions.</summary>
public static class TextModelMetrics
{
    public static double Accuracy(IReadOnlyCollection<(string Actual, string Predicted)> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return predictions.Count == 0 ? 0 : (double)predictions.Count(p => p.Actual == p.Predicted) / predictions.Count;
    }

    /// <summary>The mean over labels (those that occur or are predicted) of F1 = 2PR/(P+R).</summary>
    public static double MacroF1(IReadOnlyCollection<(string Actual, string Predicted)> predictions)
    {
        var report = EvaluationReport.Of(predictions);
        return report.Labels.Count == 0 ? 0
            : report.Labels.Average(l => l.Precision + l.Recall == 0 ? 0 : 2 * l.Precision * l.Recall / (l.Precision + l.Recall));
    }

    /// <summary>The most frequent (actual, predicted) pairs with actual ≠ predicted, most frequent first.</summary>
    public static IReadOnlyList<(string Actual, string Predicted, int Count)> WorstConfusions(IReadOnlyCollection<(string Actual, string Predicted)> predictions, int count)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return [.. predictions.Where(p => p.Actual != p.Predicted)
            .GroupBy(p => p)
            .Select(g => (g.Key.Actual, g.Key.Predicted, Count: g.Count()))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Actual, StringComparer.Ordinal).ThenBy(p => p.Predicted, StringComparer.Ordinal)
            .Take(count)];
    }

    /// <summary>
    /// The lowest confidence such that the predictions at or above it were right at least <paramref name="precision"/>
    /// of the time, taking as many predictions as possible; with the share they make (coverage) and their precision.
    /// (null, 0, 0) when no confidence reaches the precision.
    /// </summary>
    public static (double? Threshold, double Coverage, double Precision) ThresholdFor(IReadOnlyList<CrossValidatedPrediction> evidence, double precision)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var sorted = evidence.OrderByDescending(e => e.Confidence).ToArray();
        (double? Threshold, double Coverage, double Precision) best = (null, 0, 0);
        var correct = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            correct += sorted[i].Correct ? 1 : 0;
            // Only at the end of a run of equal confidences: a threshold takes all of them or none.
            if (i + 1 < sorted.Length && sorted[i + 1].Confidence == sorted[i].Confidence)
            {
                continue;
            }

            var share = (double)correct / (i + 1);
            if (share >= precision)
            {
                best = (sorted[i].Confidence, (double)(i + 1) / sorted.Length, share);
            }
        }

        return best;
    }
}

/// <summary>Temperature scaling of probability distributions: q ∝ p^(1/T), T fitted to minimise the log loss.</summary>
internal static class Calibration
{
    private const double Floor = 1e-9;

    public static Dictionary<string, double> Scale(Dictionary<string, double> probabilities, double temperature)
    {
        var beta = 1.0 / temperature;
        var result = new Dictionary<string, double>(probabilities.Count, StringComparer.Ordinal);
        var sum = 0.0;
        foreach (var (label, p) in probabilities)
        {
            var scaled = Math.Exp(beta * Math.Log(Math.Max(p, Floor)));
            result[label] = scaled;
            sum += scaled;
        }

        foreach (var label in probabilities.Keys)
        {
            result[label] /= sum;
        }

        return result;
    }

    public static Dictionary<string, double> Average(IEnumerable<Dictionary<string, double>> distributions)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var count = 0;
        foreach (var distribution in distributions)
        {
            count++;
            foreach (var (label, p) in distribution)
            {
                result[label] = result.GetValueOrDefault(label) + p;
            }
        }

        foreach (var label in result.Keys)
        {
            result[label] /= count;
        }

        return result;
    }

    /// <summary>The temperature (0.05..20) minimising the log loss of the true labels; golden-section search on log(1/T).</summary>
    public static double FitTemperature(IReadOnlyList<Dictionary<string, double>> probabilities, IReadOnlyList<string> actual)
    {
        double Loss(double logBeta)
        {
            var beta = Math.Exp(logBeta);
            var loss = 0.0;
            for (var i = 0; i < probabilities.Count; i++)
            {
                var logs = probabilities[i].Values.Select(p => beta * Math.Log(Math.Max(p, Floor))).ToArray();
                var max = logs.Max();
                var logSum = max + Math.Log(logs.Sum(l => Math.Exp(l - max)));
                var own = beta * Math.Log(Math.Max(probabilities[i].GetValueOrDefault(actual[i]), Floor));
                loss += logSum - own;
            }

            return loss;
        }

        var golden = (Math.Sqrt(5) - 1) / 2;
        double low = Math.Log(0.05), high = Math.Log(20);
        var a = high - golden * (high - low);
        var b = low + golden * (high - low);
        double fa = Loss(a), fb = Loss(b);
        for (var step = 0; step < 40; step++)
        {
            if (fa < fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - golden * (high - low);
                fa = Loss(a);
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + golden * (high - low);
                fb = Loss(b);
            }
        }

        return 1.0 / Math.Exp((low + high) / 2);
    }
}
