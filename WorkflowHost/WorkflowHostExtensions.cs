using ComplaintWorkflows.Activities;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.CamundaRest;
using ComplaintWorkflows.WorkflowHost.Designer;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.LiveUpdates;
using ComplaintWorkflows.WorkflowHost.Messaging;
using ComplaintWorkflows.WorkflowHost.Odr;
using ComplaintWorkflows.WorkflowHost.Operations;
using ComplaintWorkflows.WorkflowHost.Security;
using ComplaintWorkflows.WorkflowHost.Timers;
using ComplaintWorkflows.WorkflowHost.Web;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>Wiring of the engine, its store and the endpoints into the ASP.NET Core host.</summary>
public static class WorkflowHostExtensions
{
    public static WebApplicationBuilder AddComplaintWorkflows(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // http://localhost:5080 unless --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP(S)_PORTS say otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]) && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        var services = builder.Services;
        services.AddOptions<WorkflowsOptions>()
            .BindConfiguration(WorkflowsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Database != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Workflows:ConnectionString is required when Workflows:Database is Postgres.")
            .ValidateOnStart();
        services.AddOptions<ExpressionOptions>().BindConfiguration("Workflows:Expressions");
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration("Workflows:Engine");
        services.AddStartupLock();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => WorkflowActivities.CreateRegistry());
        services.AddSingleton(sp => new ExpressionEngine(sp.GetRequiredService<IOptions<ExpressionOptions>>().Value));
        var configured = builder.Configuration.GetSection(WorkflowsOptions.Section).Get<WorkflowsOptions>() ?? new WorkflowsOptions();
        services.AddSingleton(sp => new SqliteWriteGate(sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value.SqliteWriteQueueTimeout) { Waited = sp.GetService<EngineMetrics>() is { } metrics ? metrics.WriteQueueWaited : null });
        services.AddSingleton<IWorkflowStore>(sp => CreateStore(sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value, sp.GetRequiredService<SqliteWriteGate>()));
        if (configured.Timers.UseQuartz)
        {
            services.AddWorkflowTimers(configured, SqliteFile(configured));
        }

        services.AddSingleton(sp => new WorkflowEngine(
            sp.GetRequiredService<ActivityRegistry>(),
            sp.GetRequiredService<ExpressionEngine>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value,
            sp,
            sp.GetRequiredService<ILogger<WorkflowEngine>>(),
            sp.GetRequiredService<IWorkflowStore>(),
            sp.GetService<ITimerScheduler>(),
            sp.GetService<EngineMetrics>()));
        services.AddComplaintWorkflowsIdentity();
        services.AddComplaintWorkflowsSecurity();
        services.AddComplaintDomain(builder.Configuration);
        services.AddSmsMessaging(builder.Configuration);
        services.AddOdrAndMobileIntake();
        services.AddHostedService<DomainStartup>();
        services.AddHostedService<WorkflowStartup>();
        services.AddHostedService<DemoComplaints>();
        services.AddHostedService<PendingIntakePoller>();
        services.AddHostedService<TimerPoller>();

        // After the domain tables are migrated and the processes deployed (the failure process is started from it).
        services.AddHostedService<Messaging.NotificationWorker>();
        services.AddSingleton<SqliteMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteMaintenance>());
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        // A body or parameter the framework cannot read (invalid JSON, a wrong encoding, a missing body) is the caller's
        // mistake: 400 with what the framework says is wrong, not 500 (found by the route fuzzing).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.Exception is BadHttpRequestException bad)
            {
                c.ProblemDetails.Title = "请求无法读取 (The request could not be read)";
                c.ProblemDetails.Detail = bad.Message;
            }
        });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>());
        services.AddCamundaRest();
        services.AddLiveUpdates();
        builder.AddOperations();
        builder.AddAuditAndRetention();
        return builder;
    }

    public static WebApplication MapComplaintWorkflows(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseComplaintWorkflowsSecurity();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.UseWebPages();
        app.UseCamundaRest();
        app.UseOperations();
        app.UseComplaintWorkflowsAuthentication();

        // After authentication: signed-in staff are not limited.
        app.UseRateLimiter();
        app.MapAuditAndRetention();

        // Open without sign-in: the OpenAPI document and health. Everything else needs a signed-in user (Policies).
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapIdentityEndpoints();
        app.MapEngineApi();
        app.MapComplaintEndpoints();
        app.MapSmsCallbacks();
        app.MapOdrAndMobileIntake();
        app.MapCamundaEndpoints();
        app.MapLiveUpdates();
        app.MapDesignerApi();
        app.MapWebPages();
        return app;
    }

    internal static IWorkflowStore CreateStore(WorkflowsOptions options, SqliteWriteGate? gate = null)
    {
        if (options.Database == DatabaseProvider.Postgres)
        {
            return EfWorkflowStore.Postgres(options.ConnectionString!);
        }

        return EfWorkflowStore.Sqlite(SqliteFile(options), QueueOrNull(gate), options.SqliteStepsPerTransaction);
    }

    /// <summary>The write queue, unless it is switched off (a zero <see cref="WorkflowsOptions.SqliteWriteQueueTimeout"/>).</summary>
    internal static SqliteWriteGate? QueueOrNull(SqliteWriteGate? gate) => gate is { Timeout.Ticks: > 0 } ? gate : null;

    /// <summary>The SQLite database file (its folder created), relative paths taken from the working directory.</summary>
    internal static string SqliteFile(WorkflowsOptions options)
    {
        var folder = Path.GetFullPath(options.DataFolder);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "complaintworkflows.db");
    }
}
