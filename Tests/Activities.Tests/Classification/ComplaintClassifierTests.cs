using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ComplaintClassifierTests
{
    [Fact]
    public async Task Classify_ReturnsQualityAppliancesAndGeneralTier_GivenADefectComplaint()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();

        var result = await h.ClassifyAsync("本人在鹏程家电卖场购买的冰箱使用不到一个月就出现质量问题，不制冷，要求检测后更换。");

        Assert.Equal("质量", result.ProblemType.Label);
        Assert.Equal("家用电子电器", result.GoodsOrService.Label);
        Assert.Equal("家电数码", result.Industry.Label);
        Assert.Equal("general", result.Tier.Label);
        Assert.False(result.NeedsReview);
        Assert.InRange(result.Confidence, 0.6, 1.0);
        Assert.Contains("质量问题", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_MatchesKeywords_IgnoringTheirCase()
    {
        using var h = new ClassificationHarness();
        await h.Rules.AddAsync(new ClassificationRuleDraft(ClassificationDimensions.GoodsOrService, "通讯器材", "iPhone", 5), "admin");
        await h.Rules.AddAsync(new ClassificationRuleDraft(ClassificationDimensions.GoodsOrService, "汽车及零部件", "4s店", 5), "admin");

        var phone = await h.ClassifyAsync("在专卖店买的IPHONE 15 屏幕有坏点，店家不给换。");
        var car = await h.ClassifyAsync("我在某某4S店保养后发动机漏油。");

        Assert.Equal("通讯器材", phone.GoodsOrService.Label);
        Assert.Contains("iPhone", phone.GoodsOrService.MatchedKeywords);
        Assert.Equal("汽车及零部件", car.GoodsOrService.Label);
    }

    [Fact]
    public async Task Classify_AsksForReview_WhenTheEvidenceIsWeakOrSplit()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();

        var nothing = await h.ClassifyAsync("我想问一下这个事情应该找哪个部门。");
        var split = await h.ClassifyAsync("商家虚假宣传，而且质量问题严重。");

        Assert.Equal("其他", nothing.ProblemType.Label);
        Assert.Equal(0, nothing.Confidence);
        Assert.True(nothing.NeedsReview);
        Assert.Contains("人工复核", nothing.Reason, StringComparison.Ordinal);
        Assert.InRange(split.Confidence, 0.01, 0.599);
        Assert.True(split.NeedsReview);
    }

    [Fact]
    public async Task Classify_NeedsReviewFollowsTheConfiguredThreshold()
    {
        using var strict = new ClassificationHarness(new Dictionary<string, string?> { ["Workflows:Domain:Classification:ConfidenceThreshold"] = "0.99" });
        await strict.Rules.AddAsync(new ClassificationRuleDraft("problemType", "质量", "坏了", 1.5), "admin");

        var result = await strict.ClassifyAsync("手机用了三天就坏了。");

        Assert.Equal("质量", result.ProblemType.Label);
        Assert.Equal(0.75, result.Confidence, 3);
        Assert.True(result.NeedsReview);
    }

    [Fact]
    public async Task Classify_TakesTheLowestConfidenceOfTheConfiguredReviewDimensions()
    {
        using var h = new ClassificationHarness(new Dictionary<string, string?>
        {
            ["Workflows:Domain:Classification:ReviewDimensions:0"] = "problemType",
            ["Workflows:Domain:Classification:ReviewDimensions:1"] = "industry",
        });
        await h.Rules.AddAsync(new ClassificationRuleDraft("problemType", "质量", "坏了", 2), "admin");
        await h.Rules.AddAsync(new ClassificationRuleDraft("industry", "零售", "超市", 1), "admin");

        var result = await h.ClassifyAsync("超市买的台灯坏了。");

        Assert.Equal(1.0, result.ProblemType.Confidence, 3);
        Assert.Equal(0.5, result.Industry.Confidence, 3);
        Assert.Equal(0.5, result.Confidence, 3);
        Assert.True(result.NeedsReview);
    }

    [Fact]
    public async Task Classify_SplitsOffTheReportPart_AndKeepsAPlainComplaintWhole()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();

        var mixed = await h.ClassifyAsync("在惠民超市买的酸奶已经过期三天，喝了拉肚子，要求退款赔偿。另外该超市长期销售过期食品，且无证经营，请求依法查处。");
        var plain = await h.ClassifyAsync("在惠民超市买的酸奶已经过期三天，喝了拉肚子，要求退款赔偿。");

        Assert.True(mixed.HasReportPart);
        Assert.Equal("另外该超市长期销售过期食品，且无证经营，请求依法查处。", mixed.ReportText);
        Assert.Equal("食品安全", mixed.ProblemType.Label);
        Assert.False(plain.HasReportPart);
        Assert.Equal("", plain.ReportText);
    }

    [Fact]
    public async Task Classify_SuspectsAProfessionalClaimant_ByKeywordCues()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();

        var cues = await h.ClassifyAsync("本人批量购买了该店的进口饼干共50箱，标签无中文，依法要求十倍赔偿。");
        var ordinary = await h.ClassifyAsync("买的饼干过期了，要求退款。");

        Assert.True(cues.SuspectedProfessionalClaimant);
        Assert.Contains("批量购买", cues.Reason, StringComparison.Ordinal);
        Assert.False(ordinary.SuspectedProfessionalClaimant);
    }

    [Fact]
    public async Task Classify_SuspectsAProfessionalClaimant_ByTheConsumersRecentComplaints()
    {
        using var h = new ClassificationHarness(new Dictionary<string, string?>
        {
            ["Workflows:Domain:Classification:ProfessionalHistoryDays"] = "30",
            ["Workflows:Domain:Classification:ProfessionalHistoryThreshold"] = "3",
        });
        await h.Rules.SeedDefaultsAsync();
        const string text = "买的饼干过期了，要求退款。";
        await h.AddComplaintAsync("13900000001", "甲超市", ClassificationHarness.Start.AddDays(-40));
        await h.AddComplaintAsync("13900000001", "乙超市", ClassificationHarness.Start.AddDays(-20));
        await h.AddComplaintAsync("13900000001", "丙超市", ClassificationHarness.Start.AddDays(-10));

        Assert.False((await h.ClassifyAsync(text, "丁超市", "13900000001")).SuspectedProfessionalClaimant);

        await h.AddComplaintAsync("13900000001", "戊超市", ClassificationHarness.Start.AddDays(-1));
        var result = await h.ClassifyAsync(text, "丁超市", "13900000001");

        Assert.True(result.SuspectedProfessionalClaimant);
        Assert.Contains("近 30 日已有 3 件投诉", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("13900000001", result.Reason, StringComparison.Ordinal);
        Assert.False((await h.ClassifyAsync(text, "丁超市", "13900000002")).SuspectedProfessionalClaimant);
    }

    [Fact]
    public async Task Classify_SuspectsAGroupComplaint_WhenEnoughConsumersComplainedAboutTheRespondentWithin72Hours()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();
        const string text = "力动健身会所突然关门，办的年卡无法使用，要求退还剩余费用。";
        for (var i = 0; i < 4; i++)
        {
            await h.AddComplaintAsync($"1380000000{i}", "力动健身会所", ClassificationHarness.Start.AddHours(-10 * i));
        }

        await h.AddComplaintAsync("13800000009", "别家健身会所", ClassificationHarness.Start);

        var group = await h.ClassifyAsync(text, "力动健身会所", "13811111111");
        Assert.True(group.SuspectedGroupComplaint);
        Assert.Equal("complex", group.Tier.Label);
        Assert.Contains("群体投诉", group.Reason, StringComparison.Ordinal);

        // The oldest of the four (30 h before) leaves the 72-hour window 42 hours later.
        h.Clock.Advance(TimeSpan.FromHours(43));
        var later = await h.ClassifyAsync(text, "力动健身会所", "13811111111");
        Assert.False(later.SuspectedGroupComplaint);
        Assert.NotEqual("complex", later.Tier.Label);
    }

    [Fact]
    public async Task Classify_DoesNotCountTheSameConsumerTwice_ForAGroupComplaint()
    {
        using var h = new ClassificationHarness();
        for (var i = 0; i < 6; i++)
        {
            await h.AddComplaintAsync("13800000001", "力动健身会所", ClassificationHarness.Start.AddHours(-i));
        }

        var result = await h.ClassifyAsync("健身房关门了。", "力动健身会所", "13811111111");

        Assert.False(result.SuspectedGroupComplaint);
    }

    [Fact]
    public async Task Classify_MakesALargeAmountComplex_AndReturnsSimple()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();

        var large = await h.ClassifyAsync("在阳光4S店购买新车，支付车款25.8万元，提车后发现是事故车，要求退车。");
        var simple = await h.ClassifyAsync("网购的衬衫尺码不合适，申请七天无理由退货被拒绝。");

        Assert.Equal("complex", large.Tier.Label);
        Assert.Contains("258000", large.Reason, StringComparison.Ordinal);
        Assert.Equal("simple", simple.Tier.Label);
    }
}
