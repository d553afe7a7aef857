using ComplaintWorkflows.Activities.Classification;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassificationRuleServiceTests
{
    [Fact]
    public async Task SeedDefaults_GivesEveryLabelARule_AndChangesNothingTheSecondTime()
    {
        using var h = new ClassificationHarness();

        var added = await h.Rules.SeedDefaultsAsync();
        var again = await h.Rules.SeedDefaultsAsync();

        var rules = await h.Rules.ListAsync();
        Assert.Equal(added, rules.Count);
        Assert.Equal(0, again);
        foreach (var dimension in ClassificationDimensions.Labelled)
        {
            var missing = ClassificationDimensions.LabelsOf(dimension).Where(l => rules.All(r => r.Dimension != dimension || r.Label != l)).ToList();
            Assert.True(missing.Count == 0, $"{dimension} has no rule for {string.Join(",", missing)}");
        }

        Assert.Contains(rules, r => r.Dimension == ClassificationDimensions.Report);
        Assert.Contains(rules, r => r.Dimension == ClassificationDimensions.ProfessionalClaimant);
    }

    [Fact]
    public async Task SeedDefaults_LeavesADimensionAlone_WhenAnAdministratorHasRulesForIt()
    {
        using var h = new ClassificationHarness();
        await h.Rules.AddAsync(new ClassificationRuleDraft(ClassificationDimensions.ProblemType, "质量", "做工差"), "admin");

        await h.Rules.SeedDefaultsAsync();

        var problemTypeRules = await h.Rules.ListAsync(ClassificationDimensions.ProblemType);
        Assert.Equal("做工差", Assert.Single(problemTypeRules).Keyword);
    }

    [Theory]
    [InlineData("problemType", "质量", "  ", 1.0, "keyword")]
    [InlineData("colour", "质量", "坏了", 1.0, "dimension")]
    [InlineData("problemType", "质量", "坏了", 0.0, "weight")]
    [InlineData("problemType", "质量", "坏了", 11.0, "weight")]
    [InlineData("problemType", "", "坏了", 1.0, "label")]
    [InlineData("tier", "urgent", "坏了", 1.0, "label")]
    public async Task Add_RejectsAnInvalidRule_NamingTheField(string dimension, string label, string keyword, double weight, string field)
    {
        using var h = new ClassificationHarness();

        var error = await Assert.ThrowsAsync<ClassificationRuleValidationException>(
            () => h.Rules.AddAsync(new ClassificationRuleDraft(dimension, label, keyword, weight), "admin"));

        Assert.Equal([field], error.Errors.Keys);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Rules.ListAsync());
    }

    [Fact]
    public async Task Add_RejectsADuplicateKeyword_ForTheSameLabel()
    {
        using var h = new ClassificationHarness();
        await h.Rules.AddAsync(new ClassificationRuleDraft("problemType", "质量", "坏了"), "admin");

        var error = await Assert.ThrowsAsync<ClassificationRuleValidationException>(
            () => h.Rules.AddAsync(new ClassificationRuleDraft("problemType", "质量", "坏了", 2), "admin"));

        Assert.Equal(["keyword"], error.Errors.Keys);
    }

    [Fact]
    public async Task Classify_FollowsTheRules_AsAdministratorsAddChangeAndDeleteThem()
    {
        using var h = new ClassificationHarness();
        const string text = "购买的扫地机器人吸力很弱，基本扫不干净，完全是智商税。";
        Assert.Equal("其他", (await h.ClassifyAsync(text)).ProblemType.Label);

        var rule = await h.Rules.AddAsync(new ClassificationRuleDraft("problemType", "质量", "扫不干净", 3), "admin");
        Assert.Equal("质量", (await h.ClassifyAsync(text)).ProblemType.Label);

        await h.Rules.AddAsync(new ClassificationRuleDraft("problemType", "虚假宣传", "智商税", 5), "admin");
        var changed = await h.ClassifyAsync(text);
        Assert.Equal("虚假宣传", changed.ProblemType.Label);
        Assert.Contains("智商税", changed.Reason, StringComparison.Ordinal);

        await h.Rules.UpdateAsync(rule.Id, new ClassificationRuleDraft("problemType", "质量", "扫不干净", 9), "admin2");
        Assert.Equal("质量", (await h.ClassifyAsync(text)).ProblemType.Label);

        await h.Rules.UpdateAsync(rule.Id, new ClassificationRuleDraft("problemType", "质量", "扫不干净", 9, Enabled: false), "admin2");
        Assert.Equal("虚假宣传", (await h.ClassifyAsync(text)).ProblemType.Label);

        await h.Rules.DeleteAsync(rule.Id);
        Assert.Single(await h.Rules.ListAsync());
        await Assert.ThrowsAsync<ClassificationRuleNotFoundException>(() => h.Rules.DeleteAsync(rule.Id));
    }
}
