using ComplaintWorkflows.Activities.Classification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassificationRegistrationTests
{
    [Fact]
    public void AddClassification_BindsOptionsFromTheDomainSection()
    {
        using var h = new ClassificationHarness(new Dictionary<string, string?>
        {
            ["Workflows:Domain:Classification:ConfidenceThreshold"] = "0.7",
            ["Workflows:Domain:Classification:GroupThreshold"] = "10",
            ["Workflows:Domain:Classification:Model:CharacterNgramLength"] = "3",
        });

        Assert.Equal(0.7, h.Options.ConfidenceThreshold);
        Assert.Equal(10, h.Options.GroupThreshold);
        Assert.Equal(3, h.Options.Model.CharacterNgramLength);
        Assert.Equal(72, h.Options.GroupWindowHours);
    }

    [Theory]
    [InlineData("ConfidenceThreshold", "1.5")]
    [InlineData("GroupThreshold", "1")]
    [InlineData("ReviewDimensions:0", "colour")]
    [InlineData("SeedExamplesFile", "/no/such/file.tsv")]
    public void AddClassification_RejectsInvalidOptions_NamingTheSetting(string key, string value)
    {
        using var h = new ClassificationHarness(new Dictionary<string, string?> { ["Workflows:Domain:Classification:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<IOptions<ClassificationOptions>>().Value);

        Assert.Contains(key.Split(':')[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrain_UsesTheSeedExamplesFile_BeforeAnyCorrection()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "complaints-labeled.tsv");
        // One trainer: comparing them all is the evaluate command's test, and slow.
        using var h = new ClassificationHarness(new Dictionary<string, string?> { ["Workflows:Domain:Classification:SeedExamplesFile"] = seed, ["Workflows:Domain:Classification:Model:Trainers:0"] = "maximumEntropy" });

        var trained = Assert.Single(await h.Models.RetrainAsync());

        Assert.Equal(ClassificationDimensions.ProblemType, trained.Dimension);
        Assert.Equal(12, trained.Labels.Count);
        var result = await h.ClassifyAsync("在菜市场买的牛肉回家一称少了二两，摊主的秤有问题。");
        Assert.Equal("计量", result.ProblemType.Label);
    }
}
