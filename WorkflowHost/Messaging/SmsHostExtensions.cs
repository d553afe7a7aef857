using ComplaintWorkflows.Activities.Messaging.Sms;

namespace ComplaintWorkflows.WorkflowHost.Messaging;

/// <summary>Wiring of the SMS provider, its callbacks and the reply matching into the host.</summary>
public static class SmsHostExtensions
{
    public static IServiceCollection AddSmsMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSms(configuration);
        services.AddSingleton<SmsReplyProcessor>();
        return services;
    }
}
