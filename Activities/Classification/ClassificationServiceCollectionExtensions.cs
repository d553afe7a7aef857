using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplaintWorkflows.Activities.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the classifier, its rule and model services and <see cref="ClassificationOptions"/> bound from
    /// <c>Workflows:Domain:Classification</c> (validated at start-up). Needs an
    /// <c>IDbContextFactory&lt;DomainDbContext&gt;</c> and a <see cref="TimeProvider"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddClassification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ClassificationOptions>()
            .Bind(configuration.GetSection(ClassificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ReviewDimensions.All(ClassificationDimensions.Labelled.Contains),
                $"{ClassificationOptions.Section}:ReviewDimensions 只能包含 {string.Join("/", ClassificationDimensions.Labelled)} (unknown review dimension).")
            .Validate(o => o.SeedExamplesFile is not { Length: > 0 } file || File.Exists(file),
                $"{ClassificationOptions.Section}:SeedExamplesFile 指定的文件不存在 (seed examples file not found).")
            .Validate(o => ValidTrainers(o.Model), $"{ClassificationOptions.Section}:Model:Trainers 只能包含 {string.Join("/", Enum.GetNames<TextTrainer>())}，且集成之外至少一个 (unknown trainer).")
            .Validate(o => o.RetrainTimeZone is { Length: > 0 } zone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _),
                $"{ClassificationOptions.Section}:RetrainTimeZone 不是已知时区 (unknown time zone).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClassificationRuleCache>();
        services.TryAddSingleton<ClassificationRuleService>();
        services.TryAddSingleton<ClassificationTermService>();
        services.TryAddSingleton<ClassificationModelService>();
        services.TryAddSingleton<ComplaintClassifier>();
        return services;
    }

    private static bool ValidTrainers(TextModelOptions model)
    {
        try
        {
            return model.TrainerList().Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
