using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Timers;

/// <summary>
/// Puts each engine timer on Quartz.NET as a trigger keyed by the timer's id (persistent ADO.NET store in
/// the workflow database, clustered on PostgreSQL): Quartz fires it at its due time — also after the host
/// was down, as a misfire fired at once — and the engine checks the wait still exists before acting.
/// </summary>
internal sealed class QuartzTimerScheduler(ISchedulerFactory schedulers) : ITimerScheduler
{
    public static readonly JobKey Job = new("workflow-timer", "workflows");

    private const string Group = "workflow-timers";

    public async Task TimersChangedAsync(IReadOnlyList<DueTimer> scheduled, IReadOnlyList<string> cancelled, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var id in cancelled)
        {
            await scheduler.UnscheduleJob(TriggerKeyOf(id), cancellationToken).ConfigureAwait(false);
        }

        foreach (var timer in scheduled)
        {
            var trigger = TriggerBuilder.Create()
                .WithIdentity(TriggerKeyOf(timer.Id))
                .ForJob(Job)
                .UsingJobData(TimerJob.TimerIdKey, timer.Id)
                .StartAt(timer.DueAt)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        }
    }

    public static TriggerKey TriggerKeyOf(string timerId) => new(timerId, Group);
}

/// <summary>The Quartz job every timer trigger runs: fire the engine timer it names, if it is still waiting.</summary>
internal sealed class TimerJob(WorkflowEngine engine) : IJob
{
    public const string TimerIdKey = "timerId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timerId = context.MergedJobDataMap.GetString(TimerIdKey);
        if (timerId is not null)
        {
            await engine.FireTimerByIdAsync(timerId, onlyIfDue: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
