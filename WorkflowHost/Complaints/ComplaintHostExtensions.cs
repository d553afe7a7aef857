using ComplaintWorkflows.Activities.Archive;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.WorkflowHost.Dashboard;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.WorkflowHost.Emergency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>Wiring of the complaint domain (its database, services and endpoints) into the host.</summary>
public static class ComplaintHostExtensions
{
    public static IServiceCollection AddComplaintDomain(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ComplaintOptions>().BindConfiguration(ComplaintOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KpiTargets>().BindConfiguration(KpiTargets.Section);
        services.PostConfigure<ComplaintWorkflows.Engine.Runtime.WorkflowEngineOptions>(engine => engine.PersonalVariables.UnionWith(PersonalData.ProcessVariables));
        services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => PersonalDataProtector.FromKeyRing(PersonalDataKeyRingFolder(
            sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value, sp.GetRequiredService<IOptions<PersonalDataOptions>>().Value)));
        services.AddSingleton<IDbContextFactory<DomainDbContext>>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value;
            var protector = sp.GetRequiredService<PersonalDataProtector>();
            return options.Database == DatabaseProvider.Postgres
                ? DomainDatabase.Postgres(options.ConnectionString!, protector)
                : DomainDatabase.Sqlite(WorkflowHostExtensions.SqliteFile(options), WorkflowHostExtensions.QueueOrNull(sp.GetRequiredService<ComplaintWorkflows.Engine.Persistence.SqliteWriteGate>()), protector);
        });
        // One writer of rows without SaveChanges for every activity: the statements it keeps prepared on a connection are then prepared once.
        services.AddSingleton<ComplaintWorkflows.Engine.Persistence.RowInserter>();
        services.AddWorkingCalendar(configuration);
        services.AddOrganisation(configuration);
        services.AddClassification(configuration);
        services.AddAttachments(configuration);
        Activities.Speech.SpeechServiceCollectionExtensions.AddSpeechRecognition(services, configuration);
        services.AddDashboard();
        services.AddNotifications(configuration);
        services.AddSingleton<TrackingNumberAllocator>();
        services.AddSingleton<ComplaintIntakeService>();
        services.AddSingleton<ArchiveService>();
        services.AddSingleton<FormCatalog>();
        services.AddEmergencyHost(configuration);
        return services;
    }

    /// <summary>The personal-data key ring: the configured folder, else <c>personal-data-keys</c> in the data folder (relative paths from the working directory).</summary>
    internal static string PersonalDataKeyRingFolder(WorkflowsOptions workflows, PersonalDataOptions personalData)
        => Path.GetFullPath(string.IsNullOrWhiteSpace(personalData.KeyRingFolder) ? Path.Combine(workflows.DataFolder, "personal-data-keys") : personalData.KeyRingFolder);

    public static IEndpointRouteBuilder MapComplaintEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapComplaintApi();
        endpoints.MapInboxApi();
        endpoints.MapKpiApi();
        endpoints.MapAdministrationApi();
        endpoints.MapAttachmentApi();
        endpoints.MapSpeechApi();
        endpoints.MapOrganisationAdminApi();
        endpoints.MapDashboardApi();
        endpoints.MapNotificationAdministrationApi();
        endpoints.MapPublicSurveyApi();
        endpoints.MapEmergencyApi();
        endpoints.MapRiskNoticeApi();
        endpoints.MapDutyRosterApi();
        endpoints.MapCaseLibraryApi();
        return endpoints;
    }
}

/// <summary>Brings the domain tables up to date before the engine loads and runs processes.</summary>
internal sealed partial class DomainStartup(IDbContextFactory<DomainDbContext> contexts, CalendarService calendar, ClassificationRuleService rules, ClassificationTermService terms, NotificationTemplateService templates, IServiceProvider services, IOptions<WorkflowsOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrations = services.GetRequiredService<Operations.SchemaMigrationAudit>();
        migrations.Applied("domain", await DomainDatabase.MigrateAsync(contexts, cancellationToken).ConfigureAwait(false));
        await migrations.RecordAsync(cancellationToken).ConfigureAwait(false);
        await PersonalDataMigration.CheckKeyRingAsync(contexts, services.GetRequiredService<PersonalDataProtector>(), cancellationToken).ConfigureAwait(false);
        var encrypted = await PersonalDataMigration.EncryptClearRowsAsync(contexts, services.GetRequiredService<IOptions<PersonalDataOptions>>().Value.MigrationBatchSize, cancellationToken).ConfigureAwait(false);
        if (encrypted > 0)
        {
            LogEncrypted(services.GetRequiredService<ILogger<DomainStartup>>(), encrypted);
        }

        await calendar.SeedAsync(cancellationToken).ConfigureAwait(false);
        await rules.SeedDefaultsAsync(cancellationToken).ConfigureAwait(false);
        await terms.SeedDefaultsAsync(cancellationToken).ConfigureAwait(false);
        await templates.SeedDefaultsAsync(cancellationToken).ConfigureAwait(false);
        await ComplaintWorkflows.Activities.Emergency.EmergencyNotificationTemplates.SeedAsync(contexts, services.GetRequiredService<TimeProvider>(), cancellationToken).ConfigureAwait(false);
        if (options.Value.SeedDemoData)
        {
            await DemoOrganisation.SeedAsync(services, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Encrypted the personal data of {Count} rows stored in clear")]
    private static partial void LogEncrypted(ILogger logger, int count);
}

/// <summary>Starts the process of complaints whose host stopped between registering them and starting it.</summary>
internal sealed partial class PendingIntakePoller(ComplaintIntakeService intake, IOptions<WorkflowsOptions> options, TimeProvider time, ILogger<PendingIntakePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Timers.SafetyNetInterval, time);
        while (await timer.WaitForNextPollAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var started = await intake.StartPendingAsync(options.Value.OutboxRedeliveryAge, stoppingToken).ConfigureAwait(false);
                if (started > 0)
                {
                    LogStarted(logger, started);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started the process of {Count} complaints registered without one")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for complaints without a process failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
