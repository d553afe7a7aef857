using System.Globalization;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.Activities.Tests.Classification;

/// <summary>
/// Half of the labelled complaints, and the calibrated maximum-entropy model learned from them once for the class
/// (training is the slow part; each test puts the model in its own database as a retraining would).
/// </summary>
public sealed class TrainedProblemTypeModel
{
    public TrainedProblemTypeModel()
    {
        var all = LabeledTextFile.Read(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv")).Examples;
        Examples = [.. all.Where((_, i) => i % 2 == 0)];
        File = TestFiles.NewFile("labeled-half", ".tsv");
        System.IO.File.WriteAllLines(File, ["text\tlabel", .. Examples.Select(e => $"{e.Text}\t{e.Label}")]);
        using var model = TextModelSelection.Run(Examples, Options).Model;
        Bytes = model.Save();
        Labels = string.Join("|", model.Labels);
    }

    /// <summary>One trainer and three folds keep these tests quick; comparing all trainers is the evaluate command's test.</summary>
    public static TextModelOptions Options => new() { Trainers = ["maximumEntropy"], Folds = 3 };

    public IReadOnlyList<LabeledText> Examples { get; }

    /// <summary>The same examples as a seed file, for the retraining tests.</summary>
    public string File { get; }

    public byte[] Bytes { get; }

    public string Labels { get; }

    /// <summary>Saves the model in a database, as the problem type's model.</summary>
    public async Task InstallAsync(InMemoryDomainDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        db.Add(new ClassificationModelRecord { Dimension = ClassificationDimensions.ProblemType, Version = 1, ExampleCount = Examples.Count, Labels = Labels, Bytes = Bytes });
        await db.SaveChangesAsync();
    }
}

/// <summary>
/// The calibrated threshold routing (accepted, or "needs review" with the three best labels) and the retraining
/// guard (a new model that scores worse on the held-out slice does not replace the current one).
/// </summary>
public sealed class ClassificationRoutingTests(TrainedProblemTypeModel trained) : IClassFixture<TrainedProblemTypeModel>
{
    private const string ClearFoodSafety = "我在超市买的牛奶已经过期了，孩子喝了以后上吐下泻，去医院花了医药费。";

    // Two complaints in one: the model's probability is split between their labels, below the threshold.
    private const string TwoInOne = "我在超市买的牛奶已经过期了，孩子喝了以后上吐下泻。另外这家店的价签标的价格和结账时收的不一样，多收了钱。";

    private static ClassificationHarness Harness(params (string Key, string? Value)[] settings)
        => new(settings.ToDictionary(s => $"{ClassificationOptions.Section}:{s.Key}", s => s.Value));

    [Fact]
    public async Task AClearComplaint_IsAcceptedAboveTheThreshold_AndDispatchedStraightOn_WhenAutoDispatchIsOn()
    {
        using var h = Harness(("AutoDispatch", "true"));
        await trained.InstallAsync(h.Database);
        var model = await h.Models.GetModelAsync(ClassificationDimensions.ProblemType);

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.Equal("食品安全", result.ProblemType.Label);
        Assert.Equal(model!.ThresholdFor(0.95), result.ProblemType.Threshold);
        Assert.True(result.ProblemType.ModelProbability >= result.ProblemType.Threshold, result.Reason);
        Assert.True(result.ProblemType.AutoAccepted);
        Assert.False(result.NeedsReview);
        Assert.True(result.AutoDispatch);
        Assert.Contains("阈值", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AComplaintBelowTheThreshold_NeedsReview_WithItsThreeBestLabels_AndIsNotDispatchedStraightOn()
    {
        using var h = Harness(("AutoDispatch", "true"));
        await trained.InstallAsync(h.Database);

        var result = await h.ClassifyAsync(TwoInOne);

        Assert.True(result.ProblemType.ModelProbability < result.ProblemType.Threshold, result.Reason);
        Assert.False(result.ProblemType.AutoAccepted);
        Assert.True(result.NeedsReview);
        Assert.False(result.AutoDispatch);
        var top = result.TopLabels!;
        Assert.Equal(3, top.Count);
        Assert.Equal(result.ProblemType.Label, top[0].Label);
        Assert.True(top[0].Score >= top[1].Score && top[1].Score >= top[2].Score);
        Assert.Superset(new HashSet<string> { "食品安全", "价格" }, new HashSet<string> { top[0].Label, top[1].Label, top[2].Label });
        Assert.Matches(@"^\S+ \d+%、\S+ \d+%、\S+ \d+%$", ComplaintClassifier.FormatTopLabels(top));
    }

    [Fact]
    public async Task AutoDispatchOff_TheDeskReviewsEvenAnAcceptedClassification()
    {
        using var h = Harness();
        await trained.InstallAsync(h.Database);

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.True(result.ProblemType.AutoAccepted);
        Assert.False(result.NeedsReview);
        Assert.False(result.AutoDispatch);
    }

    [Theory]
    [InlineData("0.9999999", true)]
    [InlineData("0.01", false)]
    public async Task AFixedThresholdOfTheDimension_ReplacesTheCrossValidatedOne(string threshold, bool needsReview)
    {
        using var h = Harness(("AutoDispatch", "true"), ("Routing:ProblemType:Threshold", threshold));
        await trained.InstallAsync(h.Database);

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.Equal(double.Parse(threshold, CultureInfo.InvariantCulture), result.ProblemType.Threshold);
        Assert.Equal(needsReview, result.NeedsReview);
        Assert.Equal(!needsReview, result.AutoDispatch);
    }

    [Fact]
    public async Task TheTargetPrecisionOfTheDimension_SetsItsThreshold_WithoutRetraining()
    {
        using var loose = Harness(("Routing:ProblemType:TargetPrecision", "0.8"));
        using var strict = Harness(("Routing:ProblemType:TargetPrecision", "0.99"));
        await trained.InstallAsync(loose.Database);
        await trained.InstallAsync(strict.Database);

        var looseResult = await loose.ClassifyAsync(ClearFoodSafety);
        var strictResult = await strict.ClassifyAsync(ClearFoodSafety);

        Assert.NotNull(looseResult.ProblemType.Threshold);
        Assert.True(looseResult.ProblemType.Threshold < (strictResult.ProblemType.Threshold ?? 1.0));
        var model = await loose.Models.GetModelAsync(ClassificationDimensions.ProblemType);
        var accepted = model!.Info.Evidence.Where(e => e.Confidence >= looseResult.ProblemType.Threshold).ToList();
        Assert.True(accepted.Count(e => e.Correct) >= 0.8 * accepted.Count);
    }

    [Fact]
    public async Task WithoutACalibratedModel_TheConfidenceThresholdDecides_AndNothingIsDispatchedStraightOn()
    {
        using var h = Harness(("AutoDispatch", "true"), ("ConfidenceThreshold", "0.1"));
        await h.Rules.SeedDefaultsAsync();

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.Null(result.ProblemType.Threshold);
        Assert.False(result.NeedsReview);
        Assert.False(result.AutoDispatch);
    }

    [Fact]
    public async Task Retrain_KeepsTheCurrentModel_WhenTheNewOneScoresWorseOnTheHeldOutSlice()
    {
        using var h = RetrainHarness();
        var first = Assert.Single(await h.Models.RetrainAsync());
        Assert.True(first.Replaced);
        Assert.True(first.HeldOutCount > 0);
        Assert.Null(first.PreviousHeldOutAccuracy);
        var before = await h.ClassifyAsync(ClearFoodSafety);

        // Mislabelled corrections (copies of the texts under the next label), none of them in the held-out slice:
        // a model learned from them does worse on the slice than the current one.
        var labels = trained.Examples.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var wrong = trained.Examples.SelectMany(e => new[] { e.Text + "！", e.Text + "？" }.Select(t => new LabeledText(t, labels[(labels.IndexOf(e.Label) + 1) % labels.Count])));
        foreach (var example in wrong.Where(w => !ClassificationModelService.IsHeldOut(w.Text, h.Options.HoldOutFraction)))
        {
            await h.Models.RecordCorrectionAsync(example.Text, ClassificationDimensions.ProblemType, example.Label, "staff01");
        }

        var second = Assert.Single(await h.Models.RetrainAsync());

        Assert.False(second.Replaced);
        Assert.Equal(first.HeldOutCount, second.HeldOutCount);
        Assert.Equal(first.HeldOutAccuracy, second.PreviousHeldOutAccuracy);
        Assert.True(second.HeldOutAccuracy < second.PreviousHeldOutAccuracy, $"{second.HeldOutAccuracy} vs {second.PreviousHeldOutAccuracy}");
        Assert.Equal(first.Version, second.Version);
        await using var db = h.Database.CreateDbContext();
        Assert.Equal(first.Version, (await db.Set<ClassificationModelRecord>().SingleAsync()).Version);
        var after = await h.ClassifyAsync(ClearFoodSafety);
        Assert.Equal(before.ProblemType.Label, after.ProblemType.Label);
        Assert.Equal(before.ProblemType.ModelProbability, after.ProblemType.ModelProbability);
    }

    [Fact]
    public async Task Retrain_ReplacesTheModel_WhenTheNewOneScoresAsWell_AndTrainsWithTheDomainDictionary()
    {
        using var h = RetrainHarness();
        var terms = h.Services.GetRequiredService<ClassificationTermService>();
        var first = Assert.Single(await h.Models.RetrainAsync());
        await terms.SeedDefaultsAsync();
        await terms.AddAsync(new ClassificationTermDraft("惠民超市", ClassificationTerm.KindBrand), "admin");

        var second = Assert.Single(await h.Models.RetrainAsync());

        Assert.True(second.Replaced);
        Assert.Equal(first.HeldOutAccuracy, second.PreviousHeldOutAccuracy);
        Assert.True(second.HeldOutAccuracy >= second.PreviousHeldOutAccuracy);
        Assert.Equal(first.Version + 1, second.Version);
        var model = await h.Models.GetModelAsync(ClassificationDimensions.ProblemType);
        Assert.Contains("惠民超市", model!.DomainTerms);
        Assert.Contains("七天无理由退货", model.DomainTerms);
        using var reloaded = TextClassificationModel.Load(model.Save());
        Assert.Equal(model.DomainTerms, reloaded.DomainTerms);
    }

    private ClassificationHarness RetrainHarness() => Harness(
        ("SeedExamplesFile", trained.File),
        ("Model:Trainers:0", "maximumEntropy"),
        ("Model:Folds", TrainedProblemTypeModel.Options.Folds.ToString(CultureInfo.InvariantCulture)));
}
