using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Activities.Tests.Classification;

/// <summary>
/// The fast scoring path (<see cref="LinearTextScorer"/>: the text featurised by the vocabulary fixed at training and
/// scored from the exported weights) gives what ML.NET's prediction engine gives, on every line of the labeled data.
/// </summary>
public sealed class FastScoringTests
{
    private static IReadOnlyList<LabeledText> Examples
        => LabeledTextFile.Read(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv")).Examples;

    private static readonly string[] DomainTerms = [.. ClassificationTermService.Defaults.Select(d => d.Term)];

    [Theory]
    [InlineData(TextTrainer.MaximumEntropy)]
    [InlineData(TextTrainer.Sdca)]
    [InlineData(TextTrainer.AveragedPerceptron)]
    [InlineData(TextTrainer.Ensemble)]
    public void FastPath_GivesThePredictionEnginesLabelAndProbability_OnEveryLabeledLine(TextTrainer trainer)
    {
        var examples = Examples;
        var options = new TextModelOptions { Trainers = ["maximumEntropy", "sdca", "averagedPerceptron"] };
        using var model = TextClassificationModel.TrainWith(trainer, examples, options, DomainTerms);

        Assert.True(model.UsesFastPath, $"{trainer}: the linear model should score on the fast path");
        foreach (var example in examples)
        {
            AssertSame(model.PredictWithEngine(example.Text), model.Predict(example.Text), example.Text);
        }

        // Texts it was not trained on: unknown characters and words, empty, punctuation only, Latin letters in upper case.
        foreach (var text in new[] { "", "。！？", "ABC Store 的 iPhone 15 Pro 屏幕碎了", "𠮷野家的牛肉饭里有头发", examples[0].Text + examples[1].Text })
        {
            AssertSame(model.PredictWithEngine(text), model.Predict(text), text);
        }
    }

    [Fact]
    public void ASavedAndLoadedModel_GivesTheSamePredictions_OnTheFastPath()
    {
        var examples = Examples;
        using var trained = TextClassificationModel.TrainWith(TextTrainer.MaximumEntropy, examples, new TextModelOptions(), DomainTerms);
        using var loaded = TextClassificationModel.Load(trained.Save());

        Assert.True(loaded.UsesFastPath);
        foreach (var example in examples)
        {
            AssertSame(trained.Predict(example.Text), loaded.Predict(example.Text), example.Text);
            AssertSame(loaded.PredictWithEngine(example.Text), loaded.Predict(example.Text), example.Text);
        }
    }

    [Fact]
    public void LightGbm_KeepsThePredictionEngine()
    {
        using var model = TextClassificationModel.TrainWith(TextTrainer.LightGbm, Examples, new TextModelOptions());

        Assert.False(model.UsesFastPath);
    }

    private static void AssertSame(IReadOnlyList<KeyValuePair<string, double>> expected, IReadOnlyList<KeyValuePair<string, double>> actual, string text)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.True(expected[0].Key == actual[0].Key, $"label {actual[0].Key} instead of {expected[0].Key} for 「{text}」");
        var byLabel = actual.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (label, probability) in expected)
        {
            Assert.True(Math.Abs(probability - byLabel[label]) <= 1e-4, $"{label}: {byLabel[label]} instead of {probability} for 「{text}」");
        }
    }
}
