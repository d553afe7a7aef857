using ComplaintWorkflows.Activities.Classification;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Tests.Classification;

/// <summary>
/// The calibrated threshold routing (accepted, or "needs review" with the three best labels) and the retraining
/// guard (a new model that scores worse on the held-out slice does not replace the current one).
/// </summary>
public sealed class ClassificationRoutingTests
{
    private const string ClearFoodSafety = "我在超市买的牛奶已经过期了，孩子喝了以后上吐下泻，去医院花了医药费。请求依法处理，维护消费者合法权益。";
    private const string Vague = "我想反映一个情况。";

    private static string LabeledComplaints => Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv");

    // One trainer keeps these tests quick; the comparison of all of them is the evaluate command's (ClassifyEvaluateCommandTests).
    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{ClassificationOptions.Section}:SeedExamplesFile"] = LabeledComplaints,
            [$"{ClassificationOptions.Section}:Model:Trainers:0"] = "maximumEntropy",
        };
        foreach (var (key, value) in more)
        {
            settings[$"{ClassificationOptions.Section}:{key}"] = value;
        }

        return settings;
    }

    [Fact]
    public async Task AClearComplaint_IsAcceptedAboveTheThreshold_AndDispatchedStraightOn_WhenAutoDispatchIsOn()
    {
        using var h = new ClassificationHarness(Settings(("AutoDispatch", "true")));
        var trained = Assert.Single(await h.Models.RetrainAsync());
        Assert.NotNull(trained.Threshold);

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.Equal("食品安全", result.ProblemType.Label);
        Assert.Equal(trained.Threshold, result.ProblemType.Threshold);
        Assert.True(result.ProblemType.ModelProbability >= result.ProblemType.Threshold, result.Reason);
        Assert.True(result.ProblemType.AutoAccepted);
        Assert.False(result.NeedsReview);
        Assert.True(result.AutoDispatch);
        Assert.Contains("阈值", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVagueComplaint_NeedsReview_WithItsThreeBestLabels_AndIsNotDispatchedStraightOn()
    {
        using var h = new ClassificationHarness(Settings(("AutoDispatch", "true")));
        await h.Models.RetrainAsync();

        var result = await h.ClassifyAsync(Vague);

        Assert.True(result.ProblemType.ModelProbability < result.ProblemType.Threshold, result.Reason);
        Assert.True(result.NeedsReview);
        Assert.False(result.AutoDispatch);
        var top = result.TopLabels!;
        Assert.Equal(3, top.Count);
        Assert.Equal(result.ProblemType.Label, top[0].Label);
        Assert.True(top[0].Score >= top[1].Score && top[1].Score >= top[2].Score);
        Assert.Equal(3, top.Select(t => t.Label).Distinct().Count());
        Assert.Matches(@"^\S+ \d+%、\S+ \d+%、\S+ \d+%$", ComplaintClassifier.FormatTopLabels(top));
    }

    [Fact]
    public async Task AutoDispatchOff_TheDeskReviewsEvenAnAcceptedClassification()
    {
        using var h = new ClassificationHarness(Settings());
        await h.Models.RetrainAsync();

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.True(result.ProblemType.AutoAccepted);
        Assert.False(result.NeedsReview);
        Assert.False(result.AutoDispatch);
    }

    [Theory]
    [InlineData("0.9999", true)]
    [InlineData("0.01", false)]
    public async Task AFixedThresholdOfTheDimension_ReplacesTheCrossValidatedOne(string threshold, bool needsReview)
    {
        using var h = new ClassificationHarness(Settings(("AutoDispatch", "true"), ("Routing:ProblemType:Threshold", threshold)));
        await h.Models.RetrainAsync();

        var result = await h.ClassifyAsync(ClearFoodSafety);

        Assert.Equal(double.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture), result.ProblemType.Threshold);
        Assert.Equal(needsReview, result.NeedsReview);
        Assert.Equal(!needsReview, result.AutoDispatch);
    }

    [Fact]
    public async Task AHigherTargetPrecision_GivesAHigherThreshold()
    {
        using var loose = new ClassificationHarness(Settings(("Routing:ProblemType:TargetPrecision", "0.8")));
        using var strict = new ClassificationHarness(Settings(("Routing:ProblemType:TargetPrecision", "0.99")));

        var looseModel = Assert.Single(await loose.Models.RetrainAsync());
        var strictModel = Assert.Single(await strict.Models.RetrainAsync());

        Assert.True(looseModel.Threshold < (strictModel.Threshold ?? 1.0));
        Assert.True(looseModel.Coverage > strictModel.Coverage);
    }

    [Fact]
    public async Task Retrain_KeepsTheCurrentModel_WhenTheNewOneScoresWorseOnTheHeldOutSlice()
    {
        using var h = new ClassificationHarness(Settings());
        var first = Assert.Single(await h.Models.RetrainAsync());
        Assert.True(first.Replaced);
        Assert.True(first.HeldOutCount > 0);
        Assert.Null(first.PreviousHeldOutAccuracy);
        var before = await h.ClassifyAsync(ClearFoodSafety);

        // Mislabelled corrections (copies of the training texts under another label), none of them in the held-out slice:
        // a model learned from them does worse on the slice than the current one.
        var file = LabeledTextFile.Read(LabeledComplaints).Examples;
        var labels = file.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var wrong = file.SelectMany(e => new[] { e.Text + "！", e.Text + "？" }.Select(t => new LabeledText(t, labels[(labels.IndexOf(e.Label) + 1) % labels.Count])))
            .ToList();
        foreach (var example in wrong.Where(w => !ClassificationModelService.IsHeldOut(w.Text, h.Options.HoldOutFraction)))
        {
            await h.Models.RecordCorrectionAsync(example.Text, ClassificationDimensions.ProblemType, example.Label, "staff01");
        }

        var second = Assert.Single(await h.Models.RetrainAsync());

        Assert.False(second.Replaced);
        Assert.True(second.HeldOutAccuracy < second.PreviousHeldOutAccuracy, $"{second.HeldOutAccuracy} vs {second.PreviousHeldOutAccuracy}");
        Assert.Equal(first.Version, second.Version);
        await using var db = h.Database.CreateDbContext();
        Assert.Equal(first.Version, (await db.Set<ClassificationModelRecord>().SingleAsync()).Version);
        var after = await h.ClassifyAsync(ClearFoodSafety);
        Assert.Equal(before.ProblemType.Label, after.ProblemType.Label);
        Assert.Equal(before.ProblemType.ModelProbability, after.ProblemType.ModelProbability);
    }

    [Fact]
    public async Task Retrain_ReplacesTheModel_WhenTheNewOneScoresAsWellOrBetter()
    {
        using var h = new ClassificationHarness(Settings());
        var first = Assert.Single(await h.Models.RetrainAsync());

        var second = Assert.Single(await h.Models.RetrainAsync());

        Assert.True(second.Replaced);
        Assert.Equal(first.HeldOutAccuracy, second.PreviousHeldOutAccuracy);
        Assert.True(second.HeldOutAccuracy >= second.PreviousHeldOutAccuracy);
        Assert.Equal(first.Version + 1, second.Version);
    }

    [Fact]
    public async Task Retrain_TrainsWithTheDomainDictionaryInTheDatabase()
    {
        using var h = new ClassificationHarness(Settings());
        var terms = h.Services.GetService(typeof(ClassificationTermService)) as ClassificationTermService;
        await terms!.SeedDefaultsAsync();
        await terms.AddAsync(new ClassificationTermDraft("惠民超市", ClassificationTerm.KindBrand), "admin");

        await h.Models.RetrainAsync();

        var model = await h.Models.GetModelAsync(ClassificationDimensions.ProblemType);
        Assert.Contains("惠民超市", model!.DomainTerms);
        Assert.Contains("七天无理由退货", model.DomainTerms);
        using var reloaded = TextClassificationModel.Load(model.Save());
        Assert.Equal(model.DomainTerms, reloaded.DomainTerms);
    }
}
