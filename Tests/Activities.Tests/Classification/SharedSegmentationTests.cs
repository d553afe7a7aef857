using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Activities.Tests.Classification;

/// <summary>The classifier segments a complaint once for every dimension's model: each model must still see its own domain terms.</summary>
public sealed class SharedSegmentationTests
{
    private static readonly (string Text, string Label)[] Examples =
    [
        ("网购衣服不满意，商家拒绝七天无理由退货", "售后服务"),
        ("买的鞋子没穿过，要求七天无理由退货被拒", "售后服务"),
        ("网店不给七天无理由退货，说是特价商品", "售后服务"),
        ("收到货后申请退货，客服一直不回复", "售后服务"),
        ("停车场收费没有公示，出场时多收了二十元", "价格"),
        ("结账时价格比价签高，多收了钱", "价格"),
        ("同样的菜单价格比上周贵了一倍，没有标价", "价格"),
        ("景区商店不标价，收费很贵", "价格"),
    ];

    [Fact]
    public void Words_FromASharedSegmentation_AddTheTokenizersOwnDomainTerms()
    {
        const string text = "商家不同意七天无理由退货";
        var withTerm = new ComplaintTokenizer(["七天无理由退货"]);
        var without = new ComplaintTokenizer();
        var segmented = ComplaintTokenizer.Segment(text);

        Assert.Equal(withTerm.Words(text), withTerm.Words(text, segmented));
        Assert.EndsWith(" 七天无理由退货", withTerm.Words(text, segmented), StringComparison.Ordinal);
        Assert.Equal(segmented, without.Words(text, segmented));
    }

    [Fact]
    public void Predict_WithTheSharedSegmentation_GivesTheSameProbabilities_AsSegmentingAlone()
    {
        var examples = Examples.Select(e => new LabeledText(e.Text, e.Label)).ToList();
        using var model = TextClassificationModel.TrainWith(TextTrainer.MaximumEntropy, examples, new TextModelOptions(), ["七天无理由退货"]);
        const string text = "淘宝店拒绝七天无理由退货";

        var alone = model.Predict(text);
        var shared = model.Predict(text, ComplaintTokenizer.Segment(text));

        Assert.Equal("售后服务", alone[0].Key);
        Assert.Equal(alone.Select(p => p.Key), shared.Select(p => p.Key));
        Assert.Equal(alone.Select(p => Math.Round(p.Value, 6)), shared.Select(p => Math.Round(p.Value, 6)));
    }
}
