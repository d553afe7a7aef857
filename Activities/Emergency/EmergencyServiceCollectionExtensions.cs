using ComplaintWorkflows.Activities.CaseLibrary;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.RiskNotices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Emergency;

public static class EmergencyServiceCollectionExtensions
{
    private static readonly string[] Levels = ["I", "II", "III", "IV"];
    private static readonly string[] Grades = ["blue", "yellow", "orange", "red"];

    /// <summary>
    /// The emergency plans, 舆情 response, risk notices, duty roster and case library, with
    /// <see cref="EmergencyOptions"/> from <c>Workflows:Domain:Emergency</c> checked at start. Needs the domain
    /// contexts, the calendar, the organisation, the engine and an <c>INotificationService</c> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddEmergency(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmergencyOptions>().Bind(configuration.GetSection(EmergencyOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.LevelIIIConsumers < o.LevelIIConsumers && o.LevelIIConsumers < o.LevelIConsumers, $"{EmergencyOptions.Section}: LevelIIIConsumers < LevelIIConsumers < LevelIConsumers (级别人数阈值须递增).")
            .Validate(o => o.LevelIIISurgeMultiple < o.LevelIISurgeMultiple && o.LevelIISurgeMultiple < o.LevelISurgeMultiple, $"{EmergencyOptions.Section}: LevelIIISurgeMultiple < LevelIISurgeMultiple < LevelISurgeMultiple (级别倍数阈值须递增).")
            .Validate(o => Levels.All(l => o.ReportDeadlineHours.TryGetValue(l, out var h) && h is > 0 and <= 720), $"{EmergencyOptions.Section}:ReportDeadlineHours needs I, II, III and IV, each 1..720 hours (各级信息报送时限).")
            .Validate(o => Grades.All(g => o.OpinionReportHours.TryGetValue(g, out var h) && h is > 0 and <= 720), $"{EmergencyOptions.Section}:OpinionReportHours needs blue, yellow, orange and red, each 1..720 hours (各级舆情报告时限).")
            .Validate(o => o.RosterReminderDay <= o.RosterDueDay, $"{EmergencyOptions.Section}: RosterReminderDay must not be after RosterDueDay (提醒日不能晚于报送截止日).")
            .ValidateOnStart();
        services.TryAddSingleton<IncidentService>();
        services.TryAddSingleton<IncidentDetector>();
        services.TryAddSingleton<RiskNoticeService>();
        services.TryAddSingleton<DutyRosterService>();
        services.TryAddSingleton<CaseLibraryService>();
        services.TryAddSingleton<EmergencyScheduler>();
        return services;
    }
}

/// <summary>One round of the scheduled work: detection (and risk notices), duty-roster reminders, case-library publication.</summary>
public sealed class EmergencyScheduler(IncidentDetector detector, DutyRosterService roster, CaseLibraryService cases)
{
    public async Task<(DetectionRound Detection, int RosterReminders, int CasesPublished)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var detection = await detector.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var reminders = await roster.RemindAsync(cancellationToken).ConfigureAwait(false);
        var published = await cases.PublishDueAsync(cancellationToken).ConfigureAwait(false);
        return (detection, reminders, published);
    }
}
