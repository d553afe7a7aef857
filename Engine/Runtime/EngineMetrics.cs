using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// The engine's own instruments (<see cref="System.Diagnostics.Metrics"/>; the host decides where they go, e.g. an
/// OpenTelemetry meter provider listening to <see cref="MeterName"/>), and its trace source. Created from the host's
/// <see cref="IMeterFactory"/>, so every host (and every test host in one process) has meters of its own; figures that
/// need the database (jobs due, incidents, outbox) are read by the host, cached, through <see cref="Persistence.IEngineFigureStore"/>.
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string MeterName = "ComplaintWorkflows.Engine";

    /// <summary>Spans of engine steps (start, task completion, timer, job, message), children of the HTTP request's span.</summary>
    public static readonly ActivitySource Tracing = new(MeterName);

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _commitSeconds;
    private readonly Counter<long> _takeovers;
    private readonly Histogram<double> _timerLag;
    private readonly Histogram<double> _writeQueueWait;

    public EngineMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _started = Meter.CreateCounter<long>("cw.engine.instances.started", "{instance}", "Process instances started, by process key.");
        _completed = Meter.CreateCounter<long>("cw.engine.instances.completed", "{instance}", "Process instances that reached their end, by process key.");
        _failed = Meter.CreateCounter<long>("cw.engine.instances.failed", "{instance}", "Incidents raised (an instance stopped on a failure with no retries left), by process key.");
        _steps = Meter.CreateCounter<long>("cw.engine.steps.committed", "{step}", "Steps committed (an instance advanced from wait state to wait state).");
        _commitSeconds = Meter.CreateHistogram<double>("cw.engine.step.commit.duration", "s", "Time to commit a step (its transaction, or its turn in a group commit).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _takeovers = Meter.CreateCounter<long>("cw.engine.job.lock.takeovers", "{job}", "Jobs taken whose lock another worker held and let expire (a crashed or stalled host).");
        _timerLag = Meter.CreateHistogram<double>("cw.engine.timer.lag", "s", "Now minus due time of fired timers.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] });
        _writeQueueWait = Meter.CreateHistogram<double>("cw.sqlite.write_queue.wait", "s", "Time a write transaction waited in the host's SQLite write queue.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });

        // Exported as 0 from the start (an exporter shows a counter only once it was measured): an alert on
        // increase() then sees the first takeover, and a host without any is told from a host that does not export it.
        _steps.Add(0);
        _takeovers.Add(0);
    }

    /// <summary>The meter, for the host's own observable instruments beside the engine's.</summary>
    public Meter Meter { get; }

    internal void Started(string processKey) => _started.Add(1, new KeyValuePair<string, object?>("process_key", processKey));

    internal void Committed(Step step, InstanceStatus before, TimeSpan commit, DateTimeOffset now)
    {
        var instance = step.Instance;
        var key = new KeyValuePair<string, object?>("process_key", instance.Definition.Key);
        _steps.Add(1);
        _commitSeconds.Record(commit.TotalSeconds);
        if (before == InstanceStatus.Active && instance.Status == InstanceStatus.Completed)
        {
            _completed.Add(1, key);
        }

        if (step.IncidentsRaised > 0)
        {
            _failed.Add(step.IncidentsRaised, key);
        }

        if (step.FiredTimerDueAt is { } due)
        {
            _timerLag.Record(Math.Max(0, (now - due).TotalSeconds));
        }
    }

    internal void TakenOver(int jobs)
    {
        if (jobs > 0)
        {
            _takeovers.Add(jobs);
        }
    }

    /// <summary>A write transaction's wait in the SQLite write queue (<see cref="Persistence.SqliteWriteGate"/>).</summary>
    public void WriteQueueWaited(TimeSpan wait) => _writeQueueWait.Record(wait.TotalSeconds);
}
