using ComplaintWorkflows.WorkflowHost.Identity;

namespace ComplaintWorkflows.WorkflowHost.LiveUpdates;

public static class LiveUpdateExtensions
{
    /// <summary>SignalR, <see cref="LiveUpdateOptions"/> (validated at start) and the watcher that tells browsers of new tasks.</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddOptions<LiveUpdateOptions>().BindConfiguration(LiveUpdateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<TaskArrivalWatcher>();
        return services;
    }

    /// <summary>The task hub at <c>/hubs/tasks</c>, for signed-in staff only.</summary>
    public static IEndpointRouteBuilder MapLiveUpdates(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<TaskHub>(TaskHub.Path).RequireAuthorization(Policies.Staff);
        return endpoints;
    }
}
