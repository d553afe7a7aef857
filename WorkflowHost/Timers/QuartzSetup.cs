using ComplaintWorkflows.Engine.Runtime;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Timers;

/// <summary>Quartz.NET with its ADO.NET job store in the workflow database (clustered on PostgreSQL).</summary>
internal static class QuartzSetup
{
    public static IServiceCollection AddWorkflowTimers(this IServiceCollection services, WorkflowsOptions options, string sqliteFile)
    {
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "ComplaintWorkflows";
                // Unique in the Quartz cluster (a restarted host is a new instance), led by the node name.
                s.InstanceId = $"{options.EffectiveNodeName}-{Guid.NewGuid():N}";
            });
            q.AddJob<TimerJob>(j => j.WithIdentity(QuartzTimerScheduler.Job).StoreDurably());
            q.AddJob<ClassificationRetrainJob>(j => j.WithIdentity(ClassificationRetrainJob.Job).StoreDurably());
            q.UsePersistentStore(store =>
            {
                if (options.Database == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(options.ConnectionString!);
                    store.UseClustering(c => c.CheckinInterval = options.Timers.ClusterCheckinInterval);
                }
                else
                {
                    store.UseSqlite($"Data Source={sqliteFile};Default Timeout=30");
                }

                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<ITimerScheduler, QuartzTimerScheduler>();
        services.AddHostedService<ClassificationRetrainSchedule>();
        services.AddOptions<ComplaintWorkflows.Activities.Classification.ClassificationOptions>()
            .Validate(o => o.RetrainSchedule is not { Length: > 0 } cron || CronExpression.TryParse(cron, out _),
                $"{ComplaintWorkflows.Activities.Classification.ClassificationOptions.Section}:RetrainSchedule 不是有效的 Quartz cron 表达式，如 0 30 2 * * ? (not a Quartz cron expression).");
        return services;
    }
}
