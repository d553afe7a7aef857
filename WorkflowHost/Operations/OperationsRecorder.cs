using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// Every <see cref="OperationsOptions.HeartbeatInterval"/>: records this host's heartbeat (its row of
/// <c>ops_host_heartbeat</c>) and, once per <see cref="OperationsOptions.SampleInterval"/>, the figures into
/// <c>ops_sample</c> under the interval's start: the first host to write an interval writes it, the others find it written
/// (or have their insert refused by the key) and leave it. The host that writes an interval also removes the samples older
/// than <see cref="OperationsOptions.SampleRetention"/>.
/// </summary>
public sealed partial class OperationsRecorder(
    IDbContextFactory<AuthDbContext> contexts,
    OperationsFigures figures,
    TimeProvider time,
    IOptions<OperationsOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<OperationsRecorder> logger) : BackgroundService
{
    private readonly OperationsOptions _options = options.Value;
    private readonly DateTimeOffset _startedAt = time.GetUtcNow().ToUniversalTime();
    private long _lastInterval = -1;

    /// <summary>The name this host's heartbeat is recorded under.</summary>
    public string HostName { get; } = string.IsNullOrWhiteSpace(options.Value.HostName) ? Environment.MachineName : options.Value.HostName.Trim();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After every start-up step (the tables are migrated by then).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRecordFailed(logger, ex);
            }

            try
            {
                await Task.Delay(_options.HeartbeatInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Records that this host is alive now.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken = default)
    {
        // PostgreSQL's timestamptz takes UTC offsets only.
        var now = time.GetUtcNow().ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var beats = db.Set<HostHeartbeat>();
        var updated = await beats.Where(h => h.HostName == HostName)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.LastSeenAt, now).SetProperty(h => h.StartedAt, _startedAt).SetProperty(h => h.ProcessId, Environment.ProcessId), cancellationToken)
            .ConfigureAwait(false);
        if (updated == 0)
        {
            beats.Add(new HostHeartbeat { HostName = HostName, StartedAt = _startedAt, LastSeenAt = now, ProcessId = Environment.ProcessId, Version = typeof(OperationsRecorder).Assembly.GetName().Version?.ToString() });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another process with the same host name inserted the row first; its next beat and ours update it.
            }
        }
    }

    /// <summary>Writes the current interval's figures unless this host or another wrote them already; true when this host wrote them.</summary>
    public async Task<bool> SampleAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var length = (long)_options.SampleInterval.TotalMilliseconds;
        var interval = now.ToUnixTimeMilliseconds() / length * length;
        if (interval == _lastInterval)
        {
            return false;
        }

        _lastInterval = interval;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var samples = db.Set<MetricSample>();
        if (await samples.AnyAsync(s => s.At == interval, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var snapshot = await figures.ReadAsync(now, _options.SampleInterval, cancellationToken).ConfigureAwait(false);
        samples.AddRange(snapshot.Named().Select(f => new MetricSample { At = interval, Name = f.Name, Value = f.Value, HostName = HostName }));
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return false; // another host wrote this interval at the same moment
        }

        var expired = (now - _options.SampleRetention).ToUnixTimeMilliseconds();
        await samples.Where(s => s.At < expired).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the heartbeat or the operations figures failed; trying again at the next beat")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
