using System.Text.Json;
using ComplaintWorkflows.Activities.Operations;
using Microsoft.Extensions.Options;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>A retention run with its audit entry (the run's counts, or why it stopped).</summary>
internal static class RetentionRuns
{
    public static async Task<(RetentionRun Run, RetentionCounts Counts)> RunAndAuditAsync(RetentionService retention, AuditLog audit, string actor, string node, CancellationToken cancellationToken)
    {
        try
        {
            var result = await retention.RunAsync(actor, node, cancellationToken).ConfigureAwait(false);
            await audit.RecordAsync(actor, AuditActions.RetentionRun, $"run {result.Run.Id}", 0, result.Run.Counts, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await audit.RecordAsync(actor, AuditActions.RetentionRun, null, 0, JsonSerializer.Serialize(new { error = e.Message }), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>
/// The daily retention cleanup on Quartz: one cron trigger in the shared job store, so on PostgreSQL exactly one host of
/// the cluster runs it, never two at once (<see cref="DisallowConcurrentExecutionAttribute"/> holds across the
/// cluster), as the nightly classifier retraining.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class RetentionJob(RetentionService retention, AuditLog audit, IOptions<WorkflowsOptions> workflows, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Job = new("retention-cleanup", "operations");

    public static readonly TriggerKey Trigger = new("retention-cleanup-daily", "operations");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (run, _) = await RetentionRuns.RunAndAuditAsync(retention, audit, "schedule", workflows.Value.EffectiveNodeName, cancellationToken).ConfigureAwait(false);
        Ran(logger, run.Id, run.Counts ?? "{}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup run {RunId}: {Counts}")]
    private static partial void Ran(ILogger logger, long runId, string counts);
}

/// <summary>Puts the cleanup's job and cron trigger on Quartz at start (replacing them, so a changed schedule applies), or removes the trigger when the cleanup is off.</summary>
internal sealed class RetentionSchedule(ISchedulerFactory schedulers, IOptions<RetentionOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (!settings.Enabled)
        {
            await scheduler.UnscheduleJob(RetentionJob.Trigger, cancellationToken).ConfigureAwait(false);
            return;
        }

        var job = JobBuilder.Create<RetentionJob>().WithIdentity(RetentionJob.Job).StoreDurably().Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(RetentionJob.Trigger)
            .ForJob(RetentionJob.Job)
            .WithCronSchedule(settings.Schedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone)).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
