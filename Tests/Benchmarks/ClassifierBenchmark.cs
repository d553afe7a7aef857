using System.Diagnostics;
using System.Globalization;
using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>classifier [labeled.tsv] [--trainers a,b] [--rounds 3] [--complaints 2000]</c>: the classifier's CPU time per
/// complaint on the intake path, in process. For each trainer it trains the model on the file (as a retraining
/// would), then predicts the file's texts one after another on one thread, round after round, and reads this
/// process's user + system CPU time around each round; it prints the median round's CPU per prediction (jieba
/// segmentation, features, the model and the calibration), and last <c>classifier: X ms CPU per complaint</c> for the
/// trainer a retraining would keep, and the CPU of one complaint through the labelled dimensions' four models (jieba
/// segmentation once, shared by them, as the classifier does).
/// </summary>
internal static class ClassifierBenchmark
{
    public static int Run(string file, IReadOnlyList<string> trainers, int rounds, int complaints, TextWriter output)
    {
        var examples = LabeledTextFile.Read(file).Examples;
        if (examples.Count == 0)
        {
            output.WriteLine($"{file}: no examples");
            return 2;
        }

        var texts = Enumerable.Range(0, complaints).Select(i => examples[i * 7919 % examples.Count].Text + (i / examples.Count)).ToArray();
        var options = new TextModelOptions { Trainers = [.. trainers] };
        var selection = TextModelSelection.Run(examples, options);
        var chosen = selection.Best!.Trainer;
        using var kept = selection.Model;
        output.WriteLine($"{examples.Count} examples, {texts.Length} complaints per round, {rounds} rounds, one thread; kept: {ClassifyEvaluateCommand.Name(chosen)}");
        var perTrainer = new Dictionary<TextTrainer, double>();
        foreach (var trainer in options.TrainerList())
        {
            using var model = trainer == chosen ? null : TextClassificationModel.TrainWith(trainer, examples, options);
            perTrainer[trainer] = Measure(model ?? kept, texts, rounds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ClassifyEvaluateCommand.Name(trainer)}\t{perTrainer[trainer]:0.0000} ms CPU per prediction"));
        }

        var tokenizer = new ComplaintTokenizer(ClassificationTermService.Defaults.Select(d => d.Term));
        var segmentation = MeasureCpu(() =>
        {
            foreach (var text in texts)
            {
                _ = tokenizer.Words(text);
            }
        }, rounds) / texts.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"of which jieba segmentation and domain terms: {segmentation:0.0000} ms"));
        var dimensions = ClassificationDimensions.Labelled.Count;

        // As the classifier does with a model per dimension: jieba once per complaint, then each dimension's model.
        var allDimensions = MeasureCpu(() =>
        {
            foreach (var text in texts)
            {
                var segmented = ComplaintTokenizer.Segment(text);
                for (var d = 0; d < dimensions; d++)
                {
                    _ = kept.Predict(text, segmented);
                }
            }
        }, rounds) / texts.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"classifier: {perTrainer[chosen]:0.0000} ms CPU per complaint and trained dimension ({ClassifyEvaluateCommand.Name(chosen)}); {allDimensions:0.0000} ms with all {dimensions} dimensions trained (segmented once)"));
        return 0;
    }

    private static double Measure(TextClassificationModel model, string[] texts, int rounds)
    {
        // Warm-up: jieba's dictionary, the JIT, the prediction engine's buffers.
        foreach (var text in texts.Take(200))
        {
            _ = model.Predict(text);
        }

        return MeasureCpu(() =>
        {
            foreach (var text in texts)
            {
                _ = model.Predict(text);
            }
        }, rounds) / texts.Length;
    }

    /// <summary>The median over rounds of this process's CPU time (ms) for one run of <paramref name="work"/>.</summary>
    private static double MeasureCpu(Action work, int rounds)
    {
        var process = Process.GetCurrentProcess();
        var figures = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            work();
            process.Refresh();
            figures.Add((process.TotalProcessorTime - before).TotalMilliseconds);
        }

        figures.Sort();
        return figures[figures.Count / 2];
    }
}
