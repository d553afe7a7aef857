using ComplaintWorkflows.Activities.Classification;
using Microsoft.Extensions.Options;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Timers;

/// <summary>
/// The nightly retraining of the classifier, on Quartz: one cron trigger in the shared job store, so on a cluster
/// (PostgreSQL) exactly one host runs it each night, and never two at once (<see cref="DisallowConcurrentExecutionAttribute"/>
/// holds across the cluster). A night missed while every host was down is run when one comes back.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ClassificationRetrainJob(ClassificationModelService models, ILogger<ClassificationRetrainJob> logger) : IJob
{
    public static readonly JobKey Job = new("classification-retrain", "classification");

    public static readonly TriggerKey Trigger = new("classification-retrain-nightly", "classification");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = await models.RetrainAsync(cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            Retrained(logger, result.Dimension, result.Replaced, result.Trainer, result.HeldOutAccuracy ?? double.NaN, result.PreviousHeldOutAccuracy ?? double.NaN);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly retraining of {Dimension}: replaced {Replaced} ({Trainer}, held-out accuracy {Candidate:0.0000}, previous {Previous:0.0000})")]
    private static partial void Retrained(ILogger logger, string dimension, bool replaced, string trainer, double candidate, double previous);
}

/// <summary>Puts the nightly retraining's cron trigger on Quartz at start-up (replacing it, so a changed schedule applies), or removes it when the schedule is empty.</summary>
internal sealed class ClassificationRetrainSchedule(ISchedulerFactory schedulers, IOptions<ClassificationOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (settings.RetrainSchedule is not { Length: > 0 } cron)
        {
            await scheduler.UnscheduleJob(ClassificationRetrainJob.Trigger, cancellationToken).ConfigureAwait(false);
            return;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.RetrainTimeZone);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(ClassificationRetrainJob.Trigger)
            .ForJob(ClassificationRetrainJob.Job)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
