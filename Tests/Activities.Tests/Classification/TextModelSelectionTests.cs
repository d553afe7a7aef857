using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class TextModelSelectionTests
{
    [Fact]
    public void ThresholdFor_TakesTheMostPredictions_WhosePrecisionReachesTheTarget()
    {
        // Sorted by confidence: right, right, right, wrong, right, right, wrong, wrong.
        CrossValidatedPrediction[] evidence =
        [
            new(0.99, true), new(0.95, true), new(0.90, true), new(0.85, false),
            new(0.80, true), new(0.70, true), new(0.60, false), new(0.50, false),
        ];

        var (strict, strictCoverage, strictPrecision) = TextModelMetrics.ThresholdFor(evidence, 0.95);
        var (loose, looseCoverage, loosePrecision) = TextModelMetrics.ThresholdFor(evidence, 0.8);

        Assert.Equal(0.90, strict);
        Assert.Equal(3 / 8.0, strictCoverage);
        Assert.Equal(1.0, strictPrecision);
        Assert.Equal(0.70, loose);          // 5 of the top 6 are right (0.83)
        Assert.Equal(6 / 8.0, looseCoverage);
        Assert.Equal(5 / 6.0, loosePrecision, 6);
    }

    [Fact]
    public void ThresholdFor_IsNull_WhenNoConfidenceReachesThePrecision_AndTakesTiesTogether()
    {
        Assert.Null(TextModelMetrics.ThresholdFor([new(0.9, false), new(0.8, true)], 0.95).Threshold);
        Assert.Null(TextModelMetrics.ThresholdFor([], 0.95).Threshold);

        // Two predictions at 0.9, one of them wrong: a threshold of 0.9 accepts both (50%), so only a higher one would do.
        var (threshold, coverage, _) = TextModelMetrics.ThresholdFor([new(0.95, true), new(0.9, true), new(0.9, false)], 0.95);
        Assert.Equal(0.95, threshold);
        Assert.Equal(1 / 3.0, coverage, 6);
    }

    [Fact]
    public void MacroF1_AndWorstConfusions_OfKnownPredictions()
    {
        (string, string)[] predictions = [("a", "a"), ("a", "b"), ("a", "b"), ("b", "b"), ("c", "a"), ("c", "c")];

        // a: P 1/2, R 1/3 -> 0.4; b: P 1/3, R 1 -> 0.5; c: P 1, R 1/2 -> 2/3.
        Assert.Equal((0.4 + 0.5 + 2 / 3.0) / 3, TextModelMetrics.MacroF1(predictions), 6);
        Assert.Equal([("a", "b", 2), ("c", "a", 1)], TextModelMetrics.WorstConfusions(predictions, 5));
    }

    [Fact]
    public void StratifiedFolds_SpreadEveryLabelOverEveryFold_TheSameWayForASeed()
    {
        var examples = Enumerable.Range(0, 50).Select(i => new LabeledText($"t{i}", i < 40 ? "a" : "b")).ToList();

        var folds = TextModelSelection.StratifiedFolds(examples, 5, 7);
        var again = TextModelSelection.StratifiedFolds(examples, 5, 7);
        var other = TextModelSelection.StratifiedFolds(examples, 5, 8);

        for (var fold = 0; fold < 5; fold++)
        {
            Assert.Equal(8, Enumerable.Range(0, 50).Count(i => folds[i] == fold && examples[i].Label == "a"));
            Assert.Equal(2, Enumerable.Range(0, 50).Count(i => folds[i] == fold && examples[i].Label == "b"));
        }

        Assert.Equal(folds, again);
        Assert.NotEqual(folds, other);
    }

    [Fact]
    public void Selection_ComparesEveryTrainer_AndKeepsTheMostAccurate_WithCalibratedProbabilities()
    {
        var examples = LabeledTextFile.Read(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv")).Examples
            .Where((_, i) => i % 5 == 0).ToList();

        var selection = TextModelSelection.Run(examples, new TextModelOptions { Folds = 3 });
        using var model = selection.Model;

        Assert.Equal(Enum.GetValues<TextTrainer>(), selection.Evaluations.Select(e => e.Trainer));
        Assert.Equal(selection.Evaluations.Max(e => e.Accuracy), selection.Best!.Accuracy);
        Assert.Equal(selection.Best.Trainer, model.Trainer);
        Assert.Equal(examples.Count, model.Info.Evidence.Count);
        var probabilities = model.Predict("买的酸奶过期了，喝了拉肚子");
        Assert.Equal(1.0, probabilities.Sum(p => p.Value), 6);
        Assert.Equal("食品安全", probabilities[0].Key);
        // Calibrated: among the cross-validated predictions at or above the threshold, at least 95% were right.
        var threshold = model.ThresholdFor(0.95);
        Assert.NotNull(threshold);
        var accepted = model.Info.Evidence.Where(e => e.Confidence >= threshold).ToList();
        Assert.True(accepted.Count(e => e.Correct) >= 0.95 * accepted.Count);
    }

    [Fact]
    public void TheTrainedEnsemble_SurvivesSaveAndLoad_WithTheSameProbabilitiesAndEvidence()
    {
        var examples = LabeledTextFile.Read(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv")).Examples
            .Where((_, i) => i % 6 == 0).ToList();
        var options = new TextModelOptions { Trainers = ["maximumEntropy", "averagedPerceptron", "lightGbm", "ensemble"], Folds = 3 };
        var ensemble = TextModelSelection.Run(examples, options).Evaluations.Single(e => e.Trainer == TextTrainer.Ensemble);
        using var model = TextClassificationModel.Fit(examples, options, new ComplaintTokenizer(["七天无理由退货"]), TextTrainer.Ensemble,
            new TextModelCalibration(ensemble.Temperature, new Dictionary<TextTrainer, double> { [TextTrainer.MaximumEntropy] = 0.7, [TextTrainer.AveragedPerceptron] = 0.7, [TextTrainer.LightGbm] = 1.1 }, ensemble.Evidence));

        using var loaded = TextClassificationModel.Load(model.Save());

        Assert.Equal(TextTrainer.Ensemble, loaded.Trainer);
        const string text = "网购的衣服不支持七天无理由退货，客服拒绝退款";
        Assert.Equal(model.Predict(text).Select(p => p.Key), loaded.Predict(text).Select(p => p.Key));
        Assert.Equal(model.Predict(text)[0].Value, loaded.Predict(text)[0].Value, 6);
        Assert.Equal(model.ThresholdFor(0.95), loaded.ThresholdFor(0.95));
        Assert.Equal(["七天无理由退货"], loaded.DomainTerms);
    }

    [Fact]
    public void Tokenizer_SegmentsWithJiebasDictionaryFromTheOutputFolder_AndAddsTheDomainTerms()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, ComplaintTokenizer.DictionaryFolder, "dict.txt")));
        const string text = "这家店不支持七天无理由退货，还说是格式条款";

        var plain = new ComplaintTokenizer().Words(text).Split(' ');
        var withTerms = new ComplaintTokenizer(["七天无理由退货", "格式条款", "惠民超市"]).Words(text).Split(' ');

        Assert.Contains("退货", plain);
        Assert.DoesNotContain("七天无理由退货", plain);
        Assert.DoesNotContain("，", plain);
        Assert.Contains("七天无理由退货", withTerms);
        Assert.Contains("格式条款", withTerms);
        Assert.DoesNotContain("惠民超市", withTerms);
    }
}
