using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>Wiring of the operations features: the audit log, retention and its daily cleanup, consumers' data export and erasure.</summary>
public static class AuditRetentionHostExtensions
{
    public static WebApplicationBuilder AddAuditAndRetention(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.Schedule, out _), $"{RetentionOptions.Section}:Schedule 不是有效的 Quartz cron 表达式，如 0 15 3 * * ? (not a Quartz cron expression).")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), $"{RetentionOptions.Section}:TimeZone 不是已知的时区，如 Asia/Shanghai (unknown time zone).")
            .ValidateOnStart();
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<IDbContextFactory<DomainDbContext>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value.EffectiveNodeName));
        services.AddSingleton<SchemaMigrationAudit>();
        services.AddSingleton<ConsumerDataService>();
        services.AddSingleton<RetentionService>();
        if (builder.Configuration.GetSection(WorkflowsOptions.Section).Get<WorkflowsOptions>()?.Timers.UseQuartz ?? true)
        {
            services.AddHostedService<RetentionSchedule>();
        }

        return builder;
    }

    /// <summary>The audit of administrators' requests (after sign-in, so the user is known) and the operations API.</summary>
    public static WebApplication MapAuditAndRetention(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<AuditMiddleware>();
        app.MapAuditRetentionApi();
        return app;
    }
}
