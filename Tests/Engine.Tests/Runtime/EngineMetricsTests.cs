using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>
/// The engine's instruments, read with a <see cref="MeterListener"/> on this test's own meter: each moves by what the
/// engine did (instances started, completed and failed per process key, steps committed and timed, timer lag).
/// </summary>
public abstract class EngineMetricsTests(StoreKind store)
{
    [Fact]
    public async Task InstancesStartedCompletedAndFailed_AreCountedPerProcessKey_AndEveryCommittedStepIsTimedOnce()
    {
        using var meters = new TestMeterFactory();
        var metrics = new EngineMetrics(meters);
        using var readings = new MeterReadings(metrics.Meter);
        var h = new EngineHarness(store: store, metrics: metrics);
        h.Deploy("""<bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="e" />""", id: "straight");
        h.Deploy($"""<bpmn:startEvent id="s" /><bpmn:userTask id="review" /><bpmn:endEvent id="e" />{Chain("s", "review", "e")}""", id: "reviewed");
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="send" camunda:asyncBefore="true" camunda:delegateExpression="${flaky}">
              <bpmn:extensionElements>
                <camunda:failedJobRetryTimeCycle>R2/PT1M</camunda:failedJobRetryTimeCycle>
                <camunda:inputOutput><camunda:inputParameter name="failures">5</camunda:inputParameter></camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="done" />
            {{Chain("s", "send", "done")}}
            """, id: "flaky");

        await h.StartAsync("straight");
        await h.StartAsync("straight");
        var reviewed = await h.StartAsync("reviewed");
        await h.StartAsync("flaky");

        Assert.Equal(2, readings.Sum("cw.engine.instances.started", "straight"));
        Assert.Equal(1, readings.Sum("cw.engine.instances.started", "reviewed"));
        Assert.Equal(1, readings.Sum("cw.engine.instances.started", "flaky"));
        Assert.Equal(2, readings.Sum("cw.engine.instances.completed", "straight"));
        Assert.Equal(0, readings.Sum("cw.engine.instances.completed", "reviewed"));
        Assert.Equal(4, readings.Sum("cw.engine.steps.committed"));

        // A task completed is one step more, and the instance that reached its end one completion more.
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(reviewed.Id)).Id);
        Assert.Equal(5, readings.Sum("cw.engine.steps.committed"));
        Assert.Equal(1, readings.Sum("cw.engine.instances.completed", "reviewed"));

        // The first failure is retried (no incident, not counted as failed); the second, with no retries left, is.
        await h.Engine.RunDueJobsAsync("worker");
        Assert.Equal(0, readings.Sum("cw.engine.instances.failed"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Engine.RunDueJobsAsync("worker");
        Assert.Single(await h.Engine.GetIncidentsAsync());
        Assert.Equal(1, readings.Sum("cw.engine.instances.failed", "flaky"));
        Assert.Equal(1, readings.Sum("cw.engine.instances.failed"));
        Assert.Equal(0, readings.Sum("cw.engine.instances.completed", "flaky"));

        var steps = readings.Sum("cw.engine.steps.committed");
        Assert.Equal(steps, readings.Values("cw.engine.step.commit.duration").Count);
        Assert.All(readings.Values("cw.engine.step.commit.duration"), seconds => Assert.InRange(seconds, 0, 60));
        Assert.Empty(readings.Values("cw.engine.timer.lag"));
    }

    [Fact]
    public async Task AFiredTimer_RecordsItsLag_NowMinusItsDueTime()
    {
        using var meters = new TestMeterFactory();
        var metrics = new EngineMetrics(meters);
        using var readings = new MeterReadings(metrics.Meter);
        var h = new EngineHarness(store: store, metrics: metrics);
        h.Deploy($"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="call" />
            {Chain("s", "wait", "call")}
            """);
        var instance = await h.StartAsync();

        h.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(16)); // 15 minutes past due when the poller fires it
        Assert.Equal(1, await h.Engine.FireDueTimersAsync());

        Assert.Equal(["call"], await h.ActiveElementsAsync(instance.Id));
        Assert.Equal(900, Assert.Single(readings.Values("cw.engine.timer.lag")), 3);
    }
}

public sealed class EngineMetricsTests_InMemory() : EngineMetricsTests(StoreKind.InMemory);

public sealed class EngineMetricsTests_Sqlite() : EngineMetricsTests(StoreKind.Sqlite);

public sealed class EngineMetricsTests_Postgres() : EngineMetricsTests(StoreKind.Postgres);

/// <summary>Meters of one test only (as a host's <see cref="IMeterFactory"/> gives), disposed with it.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>Every measurement of one meter's instruments, by instrument name, with its process key (if any).</summary>
internal sealed class MeterReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string? ProcessKey)> _measurements = new();

    public MeterReadings(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, KeyOf(tags))));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, KeyOf(tags))));
        _listener.Start();
    }

    /// <summary>The sum of a counter's measurements, of one process key when given.</summary>
    public double Sum(string instrument, string? processKey = null)
        => _measurements.Where(m => m.Instrument == instrument && (processKey is null || m.ProcessKey == processKey)).Sum(m => m.Value);

    /// <summary>The values a histogram recorded.</summary>
    public IReadOnlyList<double> Values(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

    public void Dispose() => _listener.Dispose();

    private static string? KeyOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "process_key")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
