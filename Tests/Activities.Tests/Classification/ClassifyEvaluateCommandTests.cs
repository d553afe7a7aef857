using System.Globalization;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassifyEvaluateCommandTests
{
    private static string LabeledComplaints => Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv");

    private const string LastLine = @"^accuracy: (?<a>[01]\.\d{4}) macro-f1: (?<f>[01]\.\d{4}) coverage@95: (?<c>[01]\.\d{4})$";

    [Fact]
    public void Evaluate_ReachesAccuracy90_OnTheLabeledComplaints_ComparingEveryTrainer()
    {
        var (code, output, error) = Run("evaluate", LabeledComplaints);

        Assert.True(code == 0, error);
        var lines = Lines(output);
        var last = System.Text.RegularExpressions.Regex.Match(lines[^1], LastLine);
        Assert.True(last.Success, lines[^1]);
        var accuracy = double.Parse(last.Groups["a"].Value, CultureInfo.InvariantCulture);
        var coverage = double.Parse(last.Groups["c"].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.9, output);
        Assert.True(coverage >= 0.5, output);
        Assert.Contains("label\tprecision\trecall\tsupport", lines);
        foreach (var label in ClassificationDimensions.ProblemTypes)
        {
            Assert.Contains(lines, l => l.StartsWith(label + "\t", StringComparison.Ordinal));
        }

        foreach (var trainer in new[] { "maximumEntropy", "sdca", "lightGbm", "averagedPerceptron", "ensemble" })
        {
            Assert.Contains(lines, l => l.StartsWith(trainer + "\t", StringComparison.Ordinal));
        }

        // The chosen trainer is the most accurate one, and the last line is its figures.
        var trainers = lines.SkipWhile(l => !l.StartsWith("trainer\t", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("选用", StringComparison.Ordinal))
            .Select(l => l.Split('\t')).ToList();
        var best = trainers.OrderByDescending(t => t[1], StringComparer.Ordinal).First();
        Assert.Equal(best[1], last.Groups["a"].Value);
        Assert.Contains(lines, l => l.StartsWith("最易混淆", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" -> ", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_LearnsLabelsItHasNoRulesFor_FromTheFileAlone()
    {
        var path = WriteCorpus(SyntheticCorpus());

        var (code, output, error) = Run("evaluate", path, "--folds", "4", "--trainers", "maximumEntropy,averagedPerceptron,ensemble");

        Assert.True(code == 0, error);
        var lines = Lines(output);
        Assert.Contains(lines, l => l.StartsWith("billing\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("delivery\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("refund\t", StringComparison.Ordinal));
        Assert.Contains("分层交叉验证 (stratified folds): 4", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("sdca\t", StringComparison.Ordinal));
        var last = System.Text.RegularExpressions.Regex.Match(lines[^1], LastLine);
        Assert.True(last.Success, lines[^1]);
        var accuracy = double.Parse(last.Groups["a"].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.8, output);
    }

    [Fact]
    public void Evaluate_ReportsMalformedLinesByNumber_AndExits2()
    {
        var path = WriteCorpus(["text\tlabel", "good line\tbilling", "", "no tab here", "a\tb\tc", "\tdelivery"]);

        var (code, _, error) = Run("evaluate", path);

        Assert.Equal(2, code);
        Assert.Contains($"{path}:4:", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:5:", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:6:", error, StringComparison.Ordinal);
        Assert.DoesNotContain($"{path}:1:", error, StringComparison.Ordinal);
        Assert.DoesNotContain($"{path}:2:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Exits2_NamingTheFile_WhenItCannotBeRead()
    {
        var missing = TestFiles.NewFile("missing", ".tsv");

        var (code, output, error) = Run("evaluate", missing);

        Assert.Equal(2, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData]
    [InlineData("evaluate")]
    [InlineData("train", "x.tsv")]
    [InlineData("evaluate", "x.tsv", "--seed")]
    [InlineData("evaluate", "x.tsv", "--folds", "1")]
    [InlineData("evaluate", "x.tsv", "--trainers", "ensemble")]
    [InlineData("evaluate", "x.tsv", "--trainers", "naiveBayes")]
    public void Evaluate_Exits2_WithUsage_GivenBadArguments(params string[] args)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(ClassifyEvaluateCommand.Usage, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_IsDeterministicForASeed()
    {
        var path = WriteCorpus(SyntheticCorpus());

        var (_, first, _) = Run("evaluate", path, "--trainers", "sdca,averagedPerceptron,ensemble", "--seed", "7");
        var (_, again, _) = Run("evaluate", path, "--trainers", "sdca,averagedPerceptron,ensemble", "--seed", "7");

        Assert.Contains("种子 (seed): 7", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
    }

    private static List<string> Lines(string output) => [.. output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r'))];

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = ClassifyEvaluateCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string WriteCorpus(IEnumerable<string> lines)
    {
        var path = TestFiles.NewFile("classify", ".tsv");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A small English corpus of three labels the built-in rules know nothing about.</summary>
    private static List<string> SyntheticCorpus()
    {
        string[] billing = ["I was charged twice for my {0} subscription", "the invoice for {0} shows a fee I never agreed to", "my card was billed {1} dollars extra for {0}", "wrong amount on the monthly bill for {0}", "unexpected service charge on my {0} statement", "billing error: {0} plan costs more than quoted"];
        string[] delivery = ["my {0} parcel never arrived", "the courier left the {0} package at the wrong address", "tracking for the {0} order has not moved for {1} days", "the {0} shipment was delivered to a neighbour and lost", "driver marked the {0} as delivered but nothing came", "late delivery of the {0}, promised in two days"];
        string[] refund = ["I returned the {0} but got no refund yet", "they refused to refund the {0} after cancellation", "the refund for the {0} is only half of what I paid", "still waiting {1} days for the {0} refund", "asked for my money back for the faulty {0}, shop said no", "refund for the cancelled {0} order never credited"];
        string[] items = ["phone", "sofa", "laptop", "kettle", "jacket", "printer"];
        var lines = new List<string> { "text\tlabel" };
        var n = 0;
        foreach (var (templates, label) in new[] { (billing, "billing"), (delivery, "delivery"), (refund, "refund") })
        {
            foreach (var template in templates)
            {
                foreach (var item in items)
                {
                    lines.Add(string.Format(CultureInfo.InvariantCulture, template, item, 3 + (n++ % 9)) + "\t" + label);
                }
            }
        }

        return lines;
    }
}
