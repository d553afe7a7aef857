using ComplaintWorkflows.Activities.Classification;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassificationTermServiceTests
{
    [Fact]
    public async Task Terms_AreSeededOnce_AddedAndDeleted()
    {
        using var h = new ClassificationHarness();
        var terms = h.Services.GetRequiredService<ClassificationTermService>();

        Assert.Equal(ClassificationTermService.Defaults.Count, await terms.SeedDefaultsAsync());
        Assert.Equal(0, await terms.SeedDefaultsAsync());
        var added = await terms.AddAsync(new ClassificationTermDraft(" 惠民超市 ", ClassificationTerm.KindBrand), "admin");
        Assert.Equal("惠民超市", added.Term);
        Assert.Equal(h.Clock.GetUtcNow(), added.UpdatedAt);
        Assert.Contains("惠民超市", await terms.TermsAsync());

        Assert.True(await terms.DeleteAsync(added.Id));
        Assert.False(await terms.DeleteAsync(added.Id));
        Assert.DoesNotContain("惠民超市", await terms.TermsAsync());
    }

    [Fact]
    public async Task AddTerm_RejectsDuplicatesUnknownKindsAndEmptyTerms_NamingTheField()
    {
        using var h = new ClassificationHarness();
        var terms = h.Services.GetRequiredService<ClassificationTermService>();
        await terms.AddAsync(new ClassificationTermDraft("三包", ClassificationTerm.KindLegal), "admin");

        var duplicate = await Assert.ThrowsAsync<ClassificationRuleValidationException>(() => terms.AddAsync(new ClassificationTermDraft("三包", ClassificationTerm.KindLegal), "admin"));
        var kind = await Assert.ThrowsAsync<ClassificationRuleValidationException>(() => terms.AddAsync(new ClassificationTermDraft("充电宝", "gadget"), "admin"));
        var empty = await Assert.ThrowsAsync<ClassificationRuleValidationException>(() => terms.AddAsync(new ClassificationTermDraft(" ", ClassificationTerm.KindProduct), "admin"));

        Assert.Equal(["term"], duplicate.Errors.Keys);
        Assert.Contains("已存在", duplicate.Errors["term"], StringComparison.Ordinal);
        Assert.Equal(["kind"], kind.Errors.Keys);
        Assert.Equal(["term"], empty.Errors.Keys);
    }
}
