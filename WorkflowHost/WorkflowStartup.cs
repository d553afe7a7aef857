using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>At start: creates the database when new, loads deployed definitions and deploys the shipped processes.</summary>
internal sealed partial class WorkflowStartup(WorkflowEngine engine, Operations.SchemaMigrationAudit migrations, IOptions<WorkflowsOptions> options, ILogger<WorkflowStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (engine.Store is EfWorkflowStore store)
        {
            migrations.Applied("engine", await store.MigrateAsync(cancellationToken).ConfigureAwait(false));
            await migrations.RecordAsync(cancellationToken).ConfigureAwait(false);
        }

        await engine.LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        var folder = Path.GetFullPath(options.Value.ProcessesFolder, AppContext.BaseDirectory);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var result = await engine.DeployAsync(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), name, cancellationToken).ConfigureAwait(false);
            foreach (var definition in result.Definitions)
            {
                LogDeployed(logger, definition.Key, definition.Version, name, result.Changed);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Process {Key} version {Version} from {File} (new: {Changed})")]
    private static partial void LogDeployed(ILogger logger, string key, int version, string file, bool changed);
}

/// <summary>Fires due timers and runs due jobs, every <see cref="WorkflowsOptions.PollInterval"/>, as one job worker among the hosts.</summary>
internal sealed partial class TimerPoller(WorkflowEngine engine, IOptions<WorkflowsOptions> options, TimeProvider time, ILogger<TimerPoller> logger) : BackgroundService
{
    /// <summary>This host's name as job lock owner: node name (<see cref="WorkflowsOptions.NodeName"/>), process and a random part, unique among hosts.</summary>
    private readonly string _owner = LockOwner(options.Value.EffectiveNodeName);

    private static string LockOwner(string node)
    {
        var owner = $"{node}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return owner.Length <= 100 ? owner : owner[^100..];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        var lastTimerSweep = DateTimeOffset.MinValue;
        while (await timer.WaitForNextPollAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // With Quartz firing timers at their due time, the sweep only catches triggers lost in a crash.
                var now = time.GetUtcNow();
                if (engine.TimerScheduler is null || now - lastTimerSweep >= options.Value.Timers.SafetyNetInterval)
                {
                    lastTimerSweep = now;
                    await engine.FireDueTimersAsync(stoppingToken).ConfigureAwait(false);
                }

                await engine.RedeliverOutboxAsync(options.Value.OutboxRedeliveryAge, stoppingToken).ConfigureAwait(false);
                while (await engine.RunDueJobsAsync(_owner, stoppingToken).ConfigureAwait(false) > 0 && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timers or running jobs failed; trying again at the next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}

/// <summary>Ready when the store answers.</summary>
internal sealed class StoreHealthCheck(WorkflowEngine engine) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await engine.Store.FindTaskAsync("health-probe", cancellationToken).ConfigureAwait(false);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The workflow store does not answer.", ex);
        }
    }
}
