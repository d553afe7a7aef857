using System.Collections.Concurrent;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.Engine.Variables;
using ComplaintWorkflows.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>Which store an engine under test keeps its state in.</summary>
public enum StoreKind
{
    InMemory,
    Sqlite,
    Postgres,
}

/// <summary>An engine with a fake clock, a few test activities and the store under test.</summary>
internal sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    public EngineHarness(ExpressionOptions? expressionOptions = null, StoreKind store = StoreKind.InMemory, ITimerScheduler? timers = null, WorkflowEngineOptions? options = null, EngineMetrics? metrics = null)
        : this(expressionOptions, CreateStore(store), new FakeTimeProvider(Start), timers, options, metrics)
    {
    }

    private EngineHarness(ExpressionOptions? expressionOptions, IWorkflowStore store, FakeTimeProvider clock, ITimerScheduler? timers = null, WorkflowEngineOptions? options = null, EngineMetrics? metrics = null)
    {
        Clock = clock;
        Metrics = metrics;
        Activities
            .Register(new ActivityDescriptor("record", "Record", "Test", "Records that it ran.", [], []), new RecordActivity(Trail))
            .Register(
                new ActivityDescriptor("fail", "Fail", "Test", "Throws a BPMN error.", [new ActivityPort("code", VariableType.String, "Code", "Error code", Required: true)], []),
                new FailActivity())
            .Register(
                new ActivityDescriptor("double", "Double", "Test", "Doubles a number.", [new ActivityPort("amount", VariableType.Integer, "Amount", "", Required: true)], [new ActivityPort("doubled", VariableType.Integer, "Doubled", "")]),
                new DoubleActivity())
            .Register(new ActivityDescriptor("crash", "Crash", "Test", "Throws an exception.", [], []), new CrashActivity())
            .Register(
                new ActivityDescriptor("flaky", "Flaky", "Test", "Fails the first times it runs for an instance.", [new ActivityPort("failures", VariableType.Integer, "Failures", "", Required: true)], []),
                new FlakyActivity(Attempts));
        Engine = new WorkflowEngine(Activities, new ExpressionEngine(expressionOptions), Clock, options, store: store, timers: timers, metrics: metrics);
    }

    /// <summary>Where this harness's engines count (null: not counted); other engines of <see cref="OtherEngine"/> count there too.</summary>
    public EngineMetrics? Metrics { get; }

    /// <summary>Another engine (a second host) on this engine's store, clock and activities.</summary>
    public WorkflowEngine OtherEngine(IWorkflowStore? store = null, ITimerScheduler? timers = null, WorkflowEngineOptions? options = null)
        => new(Activities, new ExpressionEngine(), Clock, options, store: store ?? Engine.Store, timers: timers, metrics: Metrics);

    /// <summary>Two hosts: separate engines and stores over one database, on one clock.</summary>
    public static (EngineHarness First, EngineHarness Second) TwoHosts(StoreKind kind)
    {
        var database = NewDatabase(kind);
        var clock = new FakeTimeProvider(Start);
        return (new EngineHarness(null, OpenStore(kind, database), clock), new EngineHarness(null, OpenStore(kind, database), clock));
    }

    private static IWorkflowStore CreateStore(StoreKind kind)
        => kind == StoreKind.InMemory ? new InMemoryWorkflowStore() : OpenStore(kind, NewDatabase(kind));

    private static string NewDatabase(StoreKind kind) => kind switch
    {
        StoreKind.Sqlite => TestFiles.NewSqliteFile(),
        StoreKind.Postgres => TestPostgres.NewDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only database stores can be shared."),
    };

    private static EfWorkflowStore OpenStore(StoreKind kind, string database)
    {
        var store = kind == StoreKind.Sqlite ? EfWorkflowStore.Sqlite(database) : EfWorkflowStore.Postgres(database);
        store.MigrateAsync().GetAwaiter().GetResult();
        return store;
    }

    public FakeTimeProvider Clock { get; }

    public ActivityRegistry Activities { get; } = new();

    public WorkflowEngine Engine { get; }

    /// <summary>How often the "flaky" activity ran, per instance.</summary>
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>Element ids of "record" service tasks, in the order they ran.</summary>
    public ConcurrentQueue<string> Trail { get; } = new();

    public ProcessDefinition Deploy(string process, string roots = "", string id = "p")
        => Engine.DeployAsync(Bpmn.Wrap(process, roots, id), id + ".bpmn").GetAwaiter().GetResult().Definitions.Single(d => d.Key == id);

    public Task<ProcessInstanceInfo> StartAsync(string key = "p", object? variables = null, string? businessKey = null)
        => Engine.StartProcessAsync(key, ToDictionary(variables), businessKey);

    public static IReadOnlyDictionary<string, object?>? ToDictionary(object? values) => values switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> d => d,
        _ => values.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(values)),
    };

    public async Task<TaskInfo> SingleTaskAsync(string instanceId) => Assert.Single(await Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId)));

    public async Task<IReadOnlyList<string>> ActiveElementsAsync(string instanceId)
        => [.. (await Engine.GetTokensAsync(instanceId)).Where(t => t.ParentNodeId is not null).Select(t => t.ElementId).Order(StringComparer.Ordinal)];

    public async Task<InstanceStatus> StatusAsync(string instanceId) => (await Engine.GetInstanceAsync(instanceId)).Status;

    public async Task<object?> VariableAsync(string instanceId, string name) => (await Engine.GetVariablesAsync(instanceId)).GetValueOrDefault(name);

    private sealed class RecordActivity(ConcurrentQueue<string> trail) : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            trail.Enqueue(context.ElementId);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailActivity : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
            => throw new BpmnErrorException(context.GetInput<string>("code")!, "failed on purpose");
    }

    private sealed class DoubleActivity : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            context.SetOutput("doubled", context.GetInput<long>("amount") * 2);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FlakyActivity(ConcurrentDictionary<string, int> attempts) : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            var attempt = attempts.AddOrUpdate(context.ProcessInstanceId, 1, (_, n) => n + 1);
            return attempt <= context.GetInput<long>("failures")
                ? throw new TimeoutException($"the SMS gateway timed out (attempt {attempt})")
                : ValueTask.CompletedTask;
        }
    }

    private sealed class CrashActivity : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("the database is on fire");
    }
}

/// <summary>Wraps process XML in a BPMN definitions element with the usual namespaces.</summary>
internal static class Bpmn
{
    public static string Wrap(string process, string roots = "", string id = "p") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          id="defs-{id}" targetNamespace="http://complaintworkflows/tests">
          {roots}
          <bpmn:process id="{id}" isExecutable="true">
            {process}
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>A sequence flow, optionally with a condition.</summary>
    public static string Flow(string id, string from, string to, string? condition = null) => condition is null
        ? $"""<bpmn:sequenceFlow id="{id}" sourceRef="{from}" targetRef="{to}" />"""
        : $"""<bpmn:sequenceFlow id="{id}" sourceRef="{from}" targetRef="{to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>""";

    /// <summary>Flows through the given ids in order: a -> b -> c.</summary>
    public static string Chain(params string[] ids)
        => string.Concat(ids.Zip(ids.Skip(1)).Select(p => Flow($"f_{p.First}_{p.Second}", p.First, p.Second)));
}
