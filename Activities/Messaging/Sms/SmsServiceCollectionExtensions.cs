using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

public static class SmsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISmsSender"/> for the provider named by <c>Workflows:Sms:Provider</c> (Aliyun, Tencent, or
    /// None: <see cref="UnconfiguredSmsSender"/>), replacing one registered before; its HTTP client, the send ledger and the receipts; binds and validates <see cref="SmsOptions"/> at
    /// start-up. Needs an <c>IDbContextFactory&lt;DomainDbContext&gt;</c> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddSms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(AliyunSmsClient.HttpClientName);
        services.AddHttpClient(TencentSmsClient.HttpClientName);
        services.TryAddSingleton<SmsSendLedger>();
        services.TryAddSingleton<SmsReceipts>();
        services.TryAddSingleton<AliyunSmsClient>();
        services.TryAddSingleton<TencentSmsClient>();
        services.TryAddSingleton<AliyunSmsSender>();
        services.TryAddSingleton<TencentSmsSender>();
        services.TryAddSingleton<UnconfiguredSmsSender>();

        // Replaces the stand-in the notification service registers when no sender is known yet.
        services.RemoveAll<ISmsSender>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<IOptions<SmsOptions>>().Value.Provider switch
        {
            SmsProvider.Aliyun => sp.GetRequiredService<AliyunSmsSender>(),
            SmsProvider.Tencent => sp.GetRequiredService<TencentSmsSender>(),
            _ => sp.GetRequiredService<UnconfiguredSmsSender>(),
        });
        return services;
    }
}
