using System.Globalization;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// <c>classify evaluate &lt;labeled.tsv&gt; [--test-fraction 0.2] [--seed 12315] [--ngram 2] [--skip-malformed] [--model-only]</c>:
/// trains the text model on a seeded, stratified part of the file and evaluates it on the rest, printing
/// per-label precision, recall and support and, last, <c>accuracy: 0.9312</c>. Everything the model knows
/// comes from the file; only when every label of the file is one of our problem types do the built-in
/// default rules add their evidence, merged as the classifier merges them (<c>--model-only</c> leaves them out). Exit codes: 0 done, 2 bad usage, an unreadable file or malformed lines.
/// </summary>
public static class ClassifyEvaluateCommand
{
    public const string Usage = "usage: classify evaluate <labeled.tsv> [--test-fraction 0.2] [--seed 12315] [--ngram 2] [--skip-malformed] [--model-only]";

    /// <param name="args">The arguments after <c>classify</c>.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var settings, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        LabeledTextFile file;
        try
        {
            file = LabeledTextFile.Read(settings.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"{settings.Path}: 无法读取 (cannot be read): {ex.Message}");
            return 2;
        }

        foreach (var line in file.Problems)
        {
            error.WriteLine(line);
        }

        if (file.Problems.Count > 0 && !settings.SkipMalformed)
        {
            error.WriteLine($"{settings.Path}: {file.Problems.Count} 行格式错误 (malformed line(s)); 修正后重试，或加 --skip-malformed 跳过 (fix them or pass --skip-malformed).");
            return 2;
        }

        var (train, test) = Split(file.Examples, settings.TestFraction, settings.Seed);
        if (train.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2 || test.Count == 0)
        {
            error.WriteLine($"{settings.Path}: 至少需要两个标签且每个标签至少两条样本 (need two labels with at least two examples each); 读到 {file.Examples.Count} 条样本。");
            return 2;
        }

        var modelOptions = new TextModelOptions { Seed = settings.Seed, CharacterNgramLength = settings.Ngram };
        using var model = TextClassificationModel.Train(train, modelOptions);
        // The built-in problem-type rules add evidence only when every label of the file is one of ours.
        var ownLabels = file.Examples.All(e => ClassificationDimensions.ProblemTypes.Contains(e.Label, StringComparer.Ordinal));
        var rules = ownLabels && !settings.ModelOnly ? BuiltInProblemTypeRules() : [];
        var combination = new ClassificationOptions();
        var predictions = test.Select(e => (Actual: e.Label, Predicted: rules.Count == 0
                ? model.Predict(e.Text)[0].Key
                : ComplaintClassifier.Decide(ClassificationDimensions.ProblemType, e.Text, rules, model, combination).Label))
            .ToList();
        var report = EvaluationReport.Of(predictions);

        output.WriteLine($"训练 (train): {train.Count}  测试 (test): {test.Count}  标签 (labels): {report.Labels.Count}  {(rules.Count == 0 ? "仅模型 (model only)" : "模型+内置规则 (model + built-in rules)")}");
        output.WriteLine("label\tprecision\trecall\tsupport");
        foreach (var label in report.Labels)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label.Label}\t{label.Precision:0.0000}\t{label.Recall:0.0000}\t{label.Support}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {report.Accuracy:0.0000}"));
        return 0;
    }

    /// <summary>Splits each label's examples in a seeded random order: a share for testing (at least one when a label has two or more), the rest for training.</summary>
    public static (List<LabeledText> Train, List<LabeledText> Test) Split(IReadOnlyList<LabeledText> examples, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var random = new Random(seed);
        var train = new List<LabeledText>();
        var test = new List<LabeledText>();
        foreach (var group in examples.GroupBy(e => e.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.ToArray();
            random.Shuffle(shuffled);
            var testCount = shuffled.Length < 2 ? 0 : Math.Clamp((int)Math.Round(shuffled.Length * testFraction), 1, shuffled.Length - 1);
            test.AddRange(shuffled.Take(testCount));
            train.AddRange(shuffled.Skip(testCount));
        }

        return (train, test);
    }

    private static bool TryParse(string[] args, out Settings settings, out string problem)
    {
        var defaults = new TextModelOptions();
        settings = new Settings("", 0.2, defaults.Seed, defaults.CharacterNgramLength, false);
        problem = "";
        if (args.Length < 2 || args[0] != "evaluate")
        {
            problem = args.Length == 0 ? "缺少子命令 (missing subcommand)" : args[0] != "evaluate" ? $"未知子命令 '{args[0]}' (unknown subcommand)" : "缺少文件 (missing file)";
            return false;
        }

        settings = settings with { Path = args[1] };
        for (var i = 2; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--skip-malformed")
            {
                settings = settings with { SkipMalformed = true };
                continue;
            }

            if (name == "--model-only")
            {
                settings = settings with { ModelOnly = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                problem = $"选项 {name} 缺少值 (option needs a value)";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--test-fraction" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && f < 1:
                    settings = settings with { TestFraction = f };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                    settings = settings with { Seed = s };
                    break;
                case "--ngram" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 6:
                    settings = settings with { Ngram = n };
                    break;
                default:
                    problem = $"无效选项 {name} {value} (invalid option)";
                    return false;
            }
        }

        return true;
    }

    private sealed record Settings(string Path, double TestFraction, int Seed, int Ngram, bool SkipMalformed, bool ModelOnly = false);

    private static List<ClassificationRule> BuiltInProblemTypeRules()
        => [.. DefaultClassificationRules.All.Where(r => r.Dimension == ClassificationDimensions.ProblemType)
            .Select(r => new ClassificationRule { Dimension = r.Dimension, Label = r.Label, Keyword = r.Keyword, Weight = r.Weight, UpdatedBy = "system" })];
}

/// <summary>Precision, recall and support per label, and accuracy, of a set of predictions.</summary>
public sealed record EvaluationReport(IReadOnlyList<LabelScore> Labels, double Accuracy)
{
    public static EvaluationReport Of(IReadOnlyCollection<(string Actual, string Predicted)> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var labels = predictions.Select(p => p.Actual).Concat(predictions.Select(p => p.Predicted)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var scores = labels.Select(label =>
        {
            var truePositives = predictions.Count(p => p.Actual == label && p.Predicted == label);
            var predicted = predictions.Count(p => p.Predicted == label);
            var support = predictions.Count(p => p.Actual == label);
            return new LabelScore(label, predicted == 0 ? 0 : (double)truePositives / predicted, support == 0 ? 0 : (double)truePositives / support, support);
        }).ToList();
        var accuracy = predictions.Count == 0 ? 0 : (double)predictions.Count(p => p.Actual == p.Predicted) / predictions.Count;
        return new EvaluationReport(scores, accuracy);
    }
}

public sealed record LabelScore(string Label, double Precision, double Recall, int Support);
