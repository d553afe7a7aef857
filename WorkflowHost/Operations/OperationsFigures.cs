using System.Diagnostics.Metrics;
using ComplaintWorkflows.Activities;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>The figures read from the database at one time (the same on every host of a shared database).</summary>
public sealed record OperationsSnapshot(
    DateTimeOffset At,
    EngineFigures Engine,
    IReadOnlyDictionary<string, int> NotificationsPending,
    IReadOnlyDictionary<string, int> NotificationsFailed,
    int OverdueComplaints,
    int ComplaintsReceivedSince)
{
    /// <summary>The figures by the names the history (<c>ops_sample</c>) and the health page use.</summary>
    public IReadOnlyList<(string Name, double Value)> Named() =>
    [
        ("engine.instances.running", Engine.RunningInstances),
        ("engine.instances.started", Engine.StartedSince),
        ("engine.instances.ended", Engine.EndedSince),
        ("engine.jobs.due", Engine.JobsDue),
        ("engine.jobs.overdue", Engine.JobsOverdue),
        ("engine.incidents.open", Engine.OpenIncidents),
        ("engine.outbox.backlog", Engine.OutboxBacklog),
        ("engine.timers.overdue", Engine.TimersOverdue),
        ("complaints.received", ComplaintsReceivedSince),
        ("complaints.overdue", OverdueComplaints),
        ("notifications.pending", NotificationsPending.Values.Sum()),
        ("notifications.failed", NotificationsFailed.Values.Sum()),
    ];
}

/// <summary>
/// The database figures for <c>/metrics</c>'s gauges and the health page, read at most once per
/// <see cref="OperationsOptions.FigureCacheDuration"/> (a scrape reads the cached figures; one read at a time refreshes
/// them). Each host reads them for itself; on a shared database every host reports the same database-wide values
/// (aggregate them with <c>max</c>, not <c>sum</c>).
/// </summary>
public sealed partial class OperationsFigures : IDisposable
{
    private static readonly NotificationStatus[] Waiting = [NotificationStatus.Pending, NotificationStatus.NoProvider];
    private static readonly NotificationStatus[] Failed = [NotificationStatus.Failed, NotificationStatus.InvalidRecipient, NotificationStatus.Uncertain];

    private readonly WorkflowEngine _engine;
    private readonly IDbContextFactory<DomainDbContext> _domain;
    private readonly TimeProvider _time;
    private readonly OperationsOptions _options;
    private readonly ILogger<OperationsFigures> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile OperationsSnapshot? _current;

    public OperationsFigures(WorkflowEngine engine, IDbContextFactory<DomainDbContext> domain, TimeProvider time, IOptions<OperationsOptions> options,
        EngineMetrics engineMetrics, DomainMetrics domainMetrics, ILogger<OperationsFigures> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engineMetrics);
        ArgumentNullException.ThrowIfNull(domainMetrics);
        _engine = engine;
        _domain = domain;
        _time = time;
        _options = options.Value;
        _logger = logger;

        var meter = engineMetrics.Meter;
        meter.CreateObservableGauge("cw.engine.instances.running", () => Cached()?.Engine.RunningInstances ?? 0, "{instance}", "Process instances running (database-wide).");
        meter.CreateObservableGauge("cw.engine.jobs.due", () => Cached()?.Engine.JobsDue ?? 0, "{job}", "Jobs due now with retries left (database-wide).");
        meter.CreateObservableGauge("cw.engine.jobs.overdue", () => Cached()?.Engine.JobsOverdue ?? 0, "{job}", "Jobs more than OverdueAfter past their due time (database-wide).");
        meter.CreateObservableGauge("cw.engine.incidents.open", () => Cached()?.Engine.OpenIncidents ?? 0, "{instance}", "Running instances with an open incident (database-wide).");
        meter.CreateObservableGauge("cw.engine.outbox.backlog", () => Cached()?.Engine.OutboxBacklog ?? 0, "{entry}", "Outbox entries committed and not yet done (database-wide).");
        meter.CreateObservableGauge("cw.engine.timers.overdue", () => Cached()?.Engine.TimersOverdue ?? 0, "{timer}", "Timer waits more than OverdueAfter past their due time (database-wide).");
        var domainMeter = domainMetrics.Meter;
        domainMeter.CreateObservableGauge("cw.notifications.pending", () => PerChannel(Cached()?.NotificationsPending), "{notification}", "Notifications waiting to be sent (pending or without a provider), by channel.");
        domainMeter.CreateObservableGauge("cw.notifications.failed", () => PerChannel(Cached()?.NotificationsFailed), "{notification}", "Notifications failed for good or with an invalid recipient, by channel.");
        domainMeter.CreateObservableGauge("cw.complaints.overdue", () => Cached()?.OverdueComplaints ?? 0, "{complaint}", "Open complaints past their acceptance or handling deadline.");
    }

    /// <summary>The figures, read again when the cached ones are older than <see cref="OperationsOptions.FigureCacheDuration"/>.</summary>
    public async Task<OperationsSnapshot> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Fresh() ?? (_current = await ReadAsync(_time.GetUtcNow(), _options.SampleInterval, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Reads the figures now, counting what started, ended and arrived in the last <paramref name="window"/>.</summary>
    public async Task<OperationsSnapshot> ReadAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var engine = _engine.Store is IEngineFigureStore store
            ? await store.QueryFiguresAsync(now, _options.OverdueAfter, now - window, cancellationToken).ConfigureAwait(false)
            : new EngineFigures(0, 0, 0, 0, 0, 0, 0, 0);
        await using var db = await _domain.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notifications = db.Set<Notification>().AsNoTracking();
        var pending = await notifications.Where(n => Waiting.Contains(n.Status)).GroupBy(n => n.Channel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var failed = await notifications.Where(n => Failed.Contains(n.Status)).GroupBy(n => n.Channel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var complaints = db.Set<Complaint>().AsNoTracking();
        var overdue = await ComplaintAccess.Overdue(complaints, now).CountAsync(cancellationToken).ConfigureAwait(false);
        var since = now - window;
        var received = await complaints.CountAsync(c => c.ReceivedAt >= since, cancellationToken).ConfigureAwait(false);
        return new OperationsSnapshot(now, engine, Channels(pending.ToDictionary(p => p.Key, p => p.Count)), Channels(failed.ToDictionary(p => p.Key, p => p.Count)), overdue, received);
    }

    public void Dispose() => _refresh.Dispose();

    private OperationsSnapshot? Fresh() => _current is { } current && _time.GetUtcNow() - current.At < _options.FigureCacheDuration ? current : null;

    /// <summary>For the gauges (called on a scrape): the cached figures, refreshed when stale; the last ones if reading fails.</summary>
    private OperationsSnapshot? Cached()
    {
        try
        {
            return CurrentAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReadFailed(_logger, ex);
            return _current;
        }
    }

    private static Dictionary<string, int> Channels(Dictionary<MessageChannel, int> counts)
        => Enum.GetValues<MessageChannel>().ToDictionary(c => c.ToString(), c => counts.GetValueOrDefault(c), StringComparer.Ordinal);

    private static IEnumerable<Measurement<int>> PerChannel(IReadOnlyDictionary<string, int>? counts)
        => (counts ?? Channels([])).Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("channel", c.Key)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the operations figures from the database failed; the last ones are reported")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
