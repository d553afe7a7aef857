using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplaintWorkflows.Activities.Attachments;

public static class AttachmentServiceCollectionExtensions
{
    /// <summary>Registers <see cref="AttachmentService"/> and binds <see cref="AttachmentOptions"/> from <c>Workflows:Domain:Attachments</c>, validated at start-up.</summary>
    public static IServiceCollection AddAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AttachmentOptions>()
            .Bind(configuration.GetSection(AttachmentOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedTypes.All(t => AttachmentTypes.Known.Any(k => k.MediaType == t)),
                $"{AttachmentOptions.Section}:AllowedTypes 只能包含 (may only name) {string.Join(", ", AttachmentTypes.Known.Select(k => k.MediaType))}.")
            .Validate(o => o.MaxFileBytes <= o.MaxBytesPerComplaint, $"{AttachmentOptions.Section}:MaxFileBytes 不能大于 MaxBytesPerComplaint.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AttachmentService>();
        return services;
    }
}
