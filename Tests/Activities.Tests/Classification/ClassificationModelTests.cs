using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Data;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassificationModelTests
{
    private static readonly (string Text, string Label)[] Corrections =
    [
        ("快递把包裹送错了地址，商家让我自己去找快递公司", "售后服务"),
        ("包裹被快递员放在门口丢了，商家不管", "售后服务"),
        ("快递一直显示派送中，客服不给处理", "售后服务"),
        ("包裹寄丢了，商家说找快递，快递说找商家", "售后服务"),
        ("停车场收费没有公示，出场时多收了二十元", "价格"),
        ("结账时价格比价签高，多收了钱", "价格"),
        ("同样的菜单价格比上周贵了一倍，没有标价", "价格"),
        ("景区商店不标价，收费很贵", "价格"),
    ];

    [Fact]
    public async Task Retrain_LearnsFromCorrections_AndChangesThePrediction()
    {
        using var h = new ClassificationHarness();
        const string text = "我的包裹被快递送到了别的小区，一直找不回来";
        var before = await h.ClassifyAsync(text);
        Assert.Equal("其他", before.ProblemType.Label);
        Assert.True(before.NeedsReview);

        foreach (var (correction, label) in Corrections)
        {
            await h.Models.RecordCorrectionAsync(correction, ClassificationDimensions.ProblemType, label, "staff01");
        }

        var trained = await h.Models.RetrainAsync();

        var model = Assert.Single(trained);
        Assert.Equal(ClassificationDimensions.ProblemType, model.Dimension);
        Assert.Equal(["价格", "售后服务"], model.Labels.Order(StringComparer.Ordinal));
        var after = await h.ClassifyAsync(text);
        Assert.Equal("售后服务", after.ProblemType.Label);
        Assert.NotNull(after.ProblemType.ModelProbability);
        Assert.Contains("模型概率", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrainedModel_IsSavedToTheDatabase_AndLoadedByAnotherHost()
    {
        using var database = DomainDatabase.InMemory();
        using var first = new ClassificationHarness(database: database);
        using var second = new ClassificationHarness(database: database);
        const string text = "结账的时候发现价格和价签不一样";
        Assert.Equal("其他", (await second.ClassifyAsync(text)).ProblemType.Label);

        foreach (var (correction, label) in Corrections)
        {
            await first.Models.RecordCorrectionAsync(correction, ClassificationDimensions.ProblemType, label, "staff01");
        }

        await first.Models.RetrainAsync();

        // The second host checks for a newer model once its refresh interval has passed.
        Assert.Equal("其他", (await second.ClassifyAsync(text)).ProblemType.Label);
        second.Clock.Advance(second.Options.ModelRefreshInterval);
        Assert.Equal("价格", (await second.ClassifyAsync(text)).ProblemType.Label);
    }

    [Fact]
    public async Task RecordCorrection_RejectsAnUnknownDimensionOrEmptyText_NamingTheField()
    {
        using var h = new ClassificationHarness();

        var dimension = await Assert.ThrowsAsync<ClassificationRuleValidationException>(() => h.Models.RecordCorrectionAsync("文本", "colour", "红", "staff01"));
        var text = await Assert.ThrowsAsync<ClassificationRuleValidationException>(() => h.Models.RecordCorrectionAsync(" ", "problemType", "质量", "staff01"));

        Assert.Equal(["dimension"], dimension.Errors.Keys);
        Assert.Equal(["text"], text.Errors.Keys);
    }

    [Fact]
    public void TextModel_SurvivesSaveAndLoad_WithTheSameProbabilities()
    {
        var examples = Corrections.Select(c => new LabeledText(c.Text, c.Label)).ToList();
        using var model = TextClassificationModel.Train(examples, new TextModelOptions());
        using var loaded = TextClassificationModel.Load(model.Save());

        var original = model.Predict("快递丢了包裹");
        var reloaded = loaded.Predict("快递丢了包裹");

        Assert.Equal("售后服务", original[0].Key);
        Assert.Equal(original.Select(p => p.Key), reloaded.Select(p => p.Key));
        Assert.Equal(original[0].Value, reloaded[0].Value, 5);
        Assert.Equal(1.0, original.Sum(p => p.Value), 3);
    }
}
