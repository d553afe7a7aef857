using System.Collections.Concurrent;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// The BPMN engine: deploys definitions, runs instances step by step until every token waits, and
/// answers queries. State lives in an <see cref="IWorkflowStore"/> (in memory by default). Thread-safe;
/// each instance is advanced by one caller at a time.
/// </summary>
public sealed partial class WorkflowEngine
{
    // Where the rest of the engine lives (each a part of this class):
    //   WorkflowEngine.Definitions.cs  the definitions this host knows: loading, remembering, looking up
    //   WorkflowEngine.Deployment.cs   validating and deploying files, the recorded deployments, deleting one
    //   WorkflowEngine.Starting.cs     starting instances (by key, by definition, with step work, called ones)
    //   WorkflowEngine.Stepping.cs     running one step on an instance and committing it, with conflict retries
    //   WorkflowEngine.Outbox.cs       what a step leaves for other instances: outbox entries, delivery, redelivery
    //   WorkflowEngine.Timers.cs       start timers, keeping the timer scheduler in step with the store, firing timers
    //   WorkflowEngine.Correlation.cs  message correlation and signal broadcast
    //   WorkflowEngine.Tasks.cs        user task operations (complete, assign)
    //   WorkflowEngine.Jobs.cs         running jobs (asynchronous continuations): locks, renewal, retries
    //   WorkflowEngine.Incidents.cs    incidents (list, retry, resolve) and terminating an instance
    //   WorkflowEngine.Queries.cs      read-only views of instances, tasks, tokens, timers, jobs and history
    //   WorkflowEngine.Migration.cs    moving running instances to another version of their process
    //   WorkflowEngine.ExternalTasks.cs external tasks: fetch and lock, complete, failure, BPMN error, locks, queries

    private readonly Lock _definitionsGate = new();
    private readonly Dictionary<string, List<ProcessDefinition>> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessDefinition> _definitionsById = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<UndeliveredMessage> _undelivered = new();
    private readonly BpmnParser _parser;
    private readonly ILogger _logger;

    public WorkflowEngine(
        ActivityRegistry activities,
        ExpressionEngine? expressions = null,
        TimeProvider? time = null,
        WorkflowEngineOptions? options = null,
        IServiceProvider? services = null,
        ILogger<WorkflowEngine>? logger = null,
        IWorkflowStore? store = null,
        ITimerScheduler? timers = null,
        EngineMetrics? metrics = null)
    {
        Metrics = metrics;
        TimerScheduler = timers;
        Activities = activities ?? throw new ArgumentNullException(nameof(activities));
        Expressions = expressions ?? new ExpressionEngine();
        Time = time ?? TimeProvider.System;
        Options = options ?? new WorkflowEngineOptions();
        Services = services;
        Store = store ?? new InMemoryWorkflowStore();
        _logger = logger ?? NullLogger<WorkflowEngine>.Instance;
        _parser = new BpmnParser(Expressions);
    }

    public ActivityRegistry Activities { get; }

    public ExpressionEngine Expressions { get; }

    public TimeProvider Time { get; }

    public WorkflowEngineOptions Options { get; }

    public IWorkflowStore Store { get; }

    /// <summary>Fires timers at their due time when set; otherwise only <see cref="FireDueTimersAsync"/> fires them.</summary>
    public ITimerScheduler? TimerScheduler { get; }

    internal IServiceProvider? Services { get; }

    /// <summary>Where the engine counts what it does; null: not counted.</summary>
    public EngineMetrics? Metrics { get; }

    /// <summary>Messages thrown by processes that nothing was waiting for.</summary>
    public IReadOnlyCollection<UndeliveredMessage> UndeliveredMessages => _undelivered;

    internal string NewId() => Guid.CreateVersion7(Time.GetUtcNow()).ToString("N");
}
