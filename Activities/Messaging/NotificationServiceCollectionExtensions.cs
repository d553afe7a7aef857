using ComplaintWorkflows.Activities.Surveys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the notification service, its templates, the delivery dispatcher, the failure process, the survey
    /// links and the email sender (MailKit when <c>Workflows:Email:Host</c> is set). An <see cref="ISmsSender"/> registered
    /// before this call is kept; otherwise <see cref="UnconfiguredSmsSender"/> stands in (SMS wait in status NoProvider).
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.RetryBaseDelay <= o.RetryMaxDelay, $"{NotificationOptions.Section}:RetryBaseDelay 不能大于 RetryMaxDelay (RetryBaseDelay must not exceed RetryMaxDelay).")
            .Validate(o => o.Survey.LinkLifetime > TimeSpan.Zero, $"{NotificationOptions.Section}:Survey:LinkLifetime 必须为正 (must be positive).")
            .Validate(o => SurveyTokens.IsUsableKey(o.Survey.SigningKey), $"{NotificationOptions.Section}:Survey:SigningKey 应为至少 32 字节的 base64 (must be base64 of at least 32 bytes).")
            .ValidateOnStart();
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.UserName) || !string.IsNullOrEmpty(o.Password), $"{EmailOptions.Section}:Password 必填（已设置 UserName） (Password is required with UserName).")
            .ValidateOnStart();
        services.AddOptions<NotificationOptions>()
            .Validate<IOptions<EmailOptions>>((n, e) => e.Value.Timeout * 2 <= n.LockDuration,
                $"{NotificationOptions.Section}:LockDuration 应至少为 {EmailOptions.Section}:Timeout 的两倍 (a send must end well within its lease).");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationSignal>();
        services.TryAddSingleton<NotificationTemplateService>();
        services.TryAddSingleton<ConsumerNotifications>();
        services.TryAddSingleton<NotificationProviders>();
        services.TryAddSingleton<NotificationService>();
        services.TryAddSingleton<INotificationService>(sp => sp.GetRequiredService<NotificationService>());
        services.TryAddSingleton<ISmsSender, UnconfiguredSmsSender>();
        services.TryAddSingleton<IEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<EmailOptions>>().Value.Host)
            ? new UnconfiguredEmailSender()
            : ActivatorUtilities.CreateInstance<MailKitEmailSender>(sp));

        services.TryAddSingleton<INotificationFailureHandler, NotificationFailureProcess>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<NotificationReceipts>();
        services.TryAddSingleton<SurveyTokens>();
        services.TryAddSingleton<SurveyInvitations>();
        return services;
    }
}
