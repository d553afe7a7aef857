using ComplaintWorkflows.Activities.Emergency;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Emergency;

/// <summary>Wiring of the emergency plans, risk notices, duty roster and case library into the host.</summary>
public static class EmergencyHostExtensions
{
    public static IServiceCollection AddEmergencyHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmergency(configuration);
        services.AddHostedService<EmergencyWorker>();
        return services;
    }
}

/// <summary>
/// Runs the scheduled work every <see cref="EmergencyOptions.DetectionInterval"/>: detection after intake (and
/// risk notices), duty-roster reminders, case-library publication. Every part is safe with several hosts
/// (unique keys and conditional updates in the database), so each host runs it.
/// </summary>
internal sealed partial class EmergencyWorker(EmergencyScheduler scheduler, IOptions<EmergencyOptions> options, TimeProvider time, ILogger<EmergencyWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduledWork)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.DetectionInterval, time);
        while (await timer.WaitForNextPollAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var (detection, reminders, published) = await scheduler.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (detection.IncidentsOpened > 0 || detection.RiskNotices > 0 || reminders > 0 || published > 0)
                {
                    LogRound(logger, detection.Complaints, detection.IncidentsOpened, detection.RiskNotices, reminders, published);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Emergency round: {Complaints} complaints looked at, {Incidents} incidents opened, {Notices} risk notices, {Reminders} roster reminders, {Published} cases published")]
    private static partial void LogRound(ILogger logger, int complaints, int incidents, int notices, int reminders, int published);

    [LoggerMessage(Level = LogLevel.Error, Message = "Emergency round failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
