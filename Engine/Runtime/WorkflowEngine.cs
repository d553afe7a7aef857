using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Limits and settings of an engine; every one of them can come from configuration.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>Operations one step may run before the engine calls it a loop without wait state.</summary>
    public int MaxOperationsPerStep { get; set; } = 100_000;

    public int MaxMultiInstanceCount { get; set; } = 10_000;

    /// <summary>Zone for timer dates written without an offset (China Standard Time by default).</summary>
    public TimeZoneInfo TimeZone { get; set; } = FindZone("Asia/Shanghai");

    /// <summary>Timers fired per call of <see cref="WorkflowEngine.FireDueTimersAsync"/>.</summary>
    public int MaxTimersPerPoll { get; set; } = 1_000;

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}

/// <summary>A deployment refused because the file has errors; every finding is listed.</summary>
public sealed class DeploymentException(string message, IReadOnlyList<ValidationFinding> findings) : WorkflowException(message)
{
    public IReadOnlyList<ValidationFinding> Findings { get; } = findings;
}

public sealed record DeploymentResult(IReadOnlyList<ProcessDefinition> Definitions, IReadOnlyList<ValidationFinding> Findings, bool Changed);

/// <summary>
/// The BPMN engine, in memory: deploys definitions, runs instances step by step until every token
/// waits, and answers queries. Thread-safe; each instance is advanced by one caller at a time.
/// </summary>
public sealed partial class WorkflowEngine
{
    private readonly ConcurrentDictionary<string, InstanceEntry> _instances = new(StringComparer.Ordinal);
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
        ILogger<WorkflowEngine>? logger = null)
    {
        Activities = activities ?? throw new ArgumentNullException(nameof(activities));
        Expressions = expressions ?? new ExpressionEngine();
        Time = time ?? TimeProvider.System;
        Options = options ?? new WorkflowEngineOptions();
        Services = services;
        _logger = logger ?? NullLogger<WorkflowEngine>.Instance;
        _parser = new BpmnParser(Expressions);
    }

    public ActivityRegistry Activities { get; }

    public ExpressionEngine Expressions { get; }

    public TimeProvider Time { get; }

    public WorkflowEngineOptions Options { get; }

    internal IServiceProvider? Services { get; }

    internal EngineIndex Index { get; } = new();

    /// <summary>Messages thrown by processes that nothing was waiting for.</summary>
    public IReadOnlyCollection<UndeliveredMessage> UndeliveredMessages => _undelivered;

    internal string NewId() => Guid.CreateVersion7(Time.GetUtcNow()).ToString("N");

    // ---- deployment -----------------------------------------------------------------------------

    /// <summary>Parses and validates a file; nothing is deployed.</summary>
    public IReadOnlyList<ValidationFinding> Validate(string xml, string? sourceName = null)
    {
        var parsed = _parser.Parse(xml, sourceName);
        return parsed.Definitions is null
            ? parsed.Findings
            : [.. parsed.Findings, .. ExecutableValidator.Validate(parsed.Definitions, Activities, CheckTimer)];
    }

    /// <summary>
    /// Deploys the executable processes of a BPMN file. A file whose content changed gives each of its
    /// processes a new version; an unchanged file deploys nothing new. Errors refuse the whole file.
    /// </summary>
    public DeploymentResult Deploy(string xml, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var parsed = _parser.Parse(xml, sourceName);
        var findings = parsed.Definitions is null
            ? parsed.Findings
            : [.. parsed.Findings, .. ExecutableValidator.Validate(parsed.Definitions, Activities, CheckTimer)];
        if (parsed.Definitions is null || findings.Any(f => f.Severity == FindingSeverity.Error))
        {
            var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            throw new DeploymentException(
                $"{sourceName ?? "The BPMN file"} cannot be deployed: {errors.Count} error(s).{Environment.NewLine}{string.Join(Environment.NewLine, errors)}",
                findings);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));
        var deployed = new List<ProcessDefinition>();
        var changed = false;
        lock (_definitionsGate)
        {
            foreach (var model in parsed.Definitions.Processes.Where(p => p.IsExecutable))
            {
                if (!_definitions.TryGetValue(model.Id, out var versions))
                {
                    _definitions[model.Id] = versions = [];
                }

                if (versions.Count > 0 && versions[^1].ContentHash == hash)
                {
                    deployed.Add(versions[^1]);
                    continue;
                }

                var definition = new ProcessDefinition(model, versions.Count + 1, xml, hash, Time.GetUtcNow());
                if (versions.Count > 0)
                {
                    Index.RemoveStartTimers(versions[^1].Id);
                }

                versions.Add(definition);
                _definitionsById[definition.Id] = definition;
                ScheduleStartTimers(definition);
                deployed.Add(definition);
                changed = true;
            }
        }

        return new DeploymentResult(deployed, findings, changed);
    }

    private string? CheckTimer(TimerKind kind, string text)
        => TimerSchedule.TryParse(kind, text, out _, out var error, Options.TimeZone) ? null : error;

    public ProcessDefinition GetDefinition(string key, int? version = null)
    {
        lock (_definitionsGate)
        {
            if (_definitions.TryGetValue(key, out var versions) && versions.Count > 0)
            {
                if (version is null)
                {
                    return versions[^1];
                }

                if (version >= 1 && version <= versions.Count)
                {
                    return versions[version.Value - 1];
                }
            }
        }

        throw new WorkflowException(version is null ? $"No process with key '{key}' is deployed." : $"Process '{key}' has no version {version}.") { Code = "not-found" };
    }

    public ProcessDefinition GetDefinitionById(string id)
    {
        lock (_definitionsGate)
        {
            return _definitionsById.TryGetValue(id, out var definition)
                ? definition
                : throw new WorkflowException($"No process definition '{id}' is deployed.") { Code = "not-found" };
        }
    }

    public IReadOnlyList<ProcessDefinition> GetDefinitions()
    {
        lock (_definitionsGate)
        {
            return [.. _definitions.Values.SelectMany(v => v)];
        }
    }

    private List<(ProcessDefinition Definition, StartEvent Start)> LatestStartEvents(Func<StartEvent, bool> matches)
    {
        lock (_definitionsGate)
        {
            return [.. _definitions.Values
                .Select(v => v[^1])
                .SelectMany(d => d.Model.Container.StartEvents.Where(matches).Select(s => (d, s)))];
        }
    }

    private void ScheduleStartTimers(ProcessDefinition definition)
    {
        foreach (var start in definition.Model.Container.StartEvents)
        {
            if (start.Definition is TimerEventDefinition timer
                && TimerSchedule.TryParse(timer.TimerKind, Convert.ToString(Expressions.Evaluate(timer.Value, EmptyScope.Instance), CultureInfo.InvariantCulture) ?? "", out var schedule, out _, Options.TimeZone)
                && schedule!.GetFirstDue(Time.GetUtcNow()) is { } due)
            {
                Index.AddStartTimer(definition, start.Id, due);
            }
        }
    }

    // ---- starting -------------------------------------------------------------------------------

    /// <summary>Starts the latest version of a process at its none start event and runs it until every token waits.</summary>
    public Task<ProcessInstanceInfo> StartProcessAsync(string key, IReadOnlyDictionary<string, object?>? variables = null, string? businessKey = null, CancellationToken cancellationToken = default)
    {
        var definition = GetDefinition(key);
        var start = definition.Model.Container.StartEvents.FirstOrDefault(s => s.Definition is null)
            ?? throw new WorkflowException($"Process '{key}' has no none start event; start it by message, signal or timer.") { Code = "invalid" };
        return StartAsync(definition, start, variables, businessKey, cancellationToken);
    }

    /// <summary>Starts a given definition version at a given start event (none when null).</summary>
    public Task<ProcessInstanceInfo> StartProcessAsync(ProcessDefinition definition, string? startEventId = null, IReadOnlyDictionary<string, object?>? variables = null, string? businessKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var start = startEventId is null
            ? definition.Model.Container.StartEvents.FirstOrDefault(s => s.Definition is null)
            : definition.Model.Container.StartEvents.FirstOrDefault(s => s.Id == startEventId);
        return start is null
            ? throw new WorkflowException($"Process '{definition.Key}' has no start event '{startEventId ?? "(none)"}'.") { Code = "invalid" }
            : StartAsync(definition, start, variables, businessKey, cancellationToken);
    }

    private async Task<ProcessInstanceInfo> StartAsync(ProcessDefinition definition, StartEvent start, IReadOnlyDictionary<string, object?>? variables, string? businessKey, CancellationToken cancellationToken, string? id = null, (string Id, int NodeId)? caller = null)
    {
        var instance = new ProcessInstance(id ?? NewId(), definition, businessKey, Time.GetUtcNow());
        if (caller is { } c)
        {
            instance.ParentInstanceId = c.Id;
            instance.ParentNodeId = c.NodeId;
        }

        var root = new ExecutionNode(instance, instance.AllocateNodeId(), definition.Model, null);
        instance.Root = root;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                root.SetLocalVariable(name, VariableValues.Normalize(value));
            }
        }

        var entry = new InstanceEntry(instance);
        if (!_instances.TryAdd(instance.Id, entry))
        {
            throw new WorkflowException($"Process instance '{instance.Id}' exists already.") { Code = "conflict" };
        }

        await RunStepAsync(entry, step => step.StartScope(root, definition.Model.Container, start), cancellationToken).ConfigureAwait(false);
        return Describe(instance);
    }

    // ---- stepping -------------------------------------------------------------------------------

    private sealed class InstanceEntry(ProcessInstance instance)
    {
        public ProcessInstance Instance { get; set; } = instance;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    /// <summary>Runs one step on an instance under its lock; <paramref name="seed"/> returns false when there is nothing to do.</summary>
    private async Task<bool> RunStepAsync(InstanceEntry entry, Func<Step, bool> seed, CancellationToken cancellationToken, bool allowEnded = false)
    {
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        Step step;
        try
        {
            var instance = entry.Instance;
            if (instance.Status != InstanceStatus.Active && !allowEnded)
            {
                return false;
            }

            step = new Step(this, instance, cancellationToken);
            if (!seed(step))
            {
                return false;
            }

            await step.RunAsync().ConfigureAwait(false);
            Index.Apply(instance, step.Changes);
            instance.Revision++;
        }
        finally
        {
            entry.Gate.Release();
        }

        if (step.After.Count > 0)
        {
            await RunAfterAsync(step.After, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private Task<bool> RunStepAsync(InstanceEntry entry, Action<Step> seed, CancellationToken cancellationToken)
        => RunStepAsync(entry, step =>
        {
            seed(step);
            return true;
        }, cancellationToken);

    private InstanceEntry Entry(string instanceId) => _instances.TryGetValue(instanceId, out var entry)
        ? entry
        : throw new WorkflowException($"Process instance '{instanceId}' does not exist.") { Code = "not-found" };

    private async Task RunAfterAsync(List<PostAction> actions, CancellationToken cancellationToken)
    {
        var queue = new Queue<PostAction>(actions);
        while (queue.TryDequeue(out var action))
        {
            switch (action)
            {
                case PostAction.StartCalled start:
                    await StartCalledAsync(start, cancellationToken).ConfigureAwait(false);
                    break;
                case PostAction.ResumeCaller resume when _instances.TryGetValue(resume.ParentInstanceId, out var parent):
                    await RunStepAsync(parent, step => step.ResumeFromCalled(resume.ParentNodeId, resume.ChildId, Entry(resume.ChildId).Instance), cancellationToken).ConfigureAwait(false);
                    break;
                case PostAction.ErrorToCaller error when _instances.TryGetValue(error.ParentInstanceId, out var parent):
                    await RunStepAsync(parent, step => step.ErrorFromCalled(error.ParentNodeId, error.Code, error.Message), cancellationToken).ConfigureAwait(false);
                    break;
                case PostAction.EscalationToCaller escalation when _instances.TryGetValue(escalation.ParentInstanceId, out var parent):
                    await RunStepAsync(parent, step => step.EscalationFromCalled(escalation.ParentNodeId, escalation.Code), cancellationToken).ConfigureAwait(false);
                    break;
                case PostAction.TerminateInstance terminate when _instances.TryGetValue(terminate.InstanceId, out var child):
                    await RunStepAsync(child, step => step.TerminateInstance(), cancellationToken).ConfigureAwait(false);
                    break;
                case PostAction.SendMessage message:
                    try
                    {
                        await CorrelateMessageAsync(new MessageCorrelation(message.Name) { CorrelationKey = message.CorrelationKey, Variables = message.Variables }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WorkflowException ex) when (ex.Code is "no-match" or "ambiguous")
                    {
                        _undelivered.Enqueue(new UndeliveredMessage(message.Name, message.CorrelationKey, message.FromInstanceId, message.FromElementId, message.Variables));
                        LogUndelivered(message.Name, message.FromInstanceId, ex.Message);
                    }

                    break;
                case PostAction.BroadcastSignal signal:
                    await BroadcastSignalAsync(signal.Name, signal.Variables, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task StartCalledAsync(PostAction.StartCalled start, CancellationToken cancellationToken)
    {
        ProcessDefinition definition;
        try
        {
            definition = GetDefinition(start.Key, start.Version);
        }
        catch (WorkflowException ex)
        {
            if (_instances.TryGetValue(start.ParentInstanceId, out var parent))
            {
                await RunStepAsync(parent, step => step.FailNode(start.ParentNodeId, "call-failed", ex.Message), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var noneStart = definition.Model.Container.StartEvents.FirstOrDefault(s => s.Definition is null) ?? definition.Model.Container.StartEvents[0];
        await StartAsync(definition, noneStart, start.Variables, start.BusinessKey, cancellationToken, start.ChildId, (start.ParentInstanceId, start.ParentNodeId)).ConfigureAwait(false);
    }

    // ---- user tasks -----------------------------------------------------------------------------

    /// <summary>Completes a user task with variables and runs the instance on until every token waits.</summary>
    public async Task CompleteTaskAsync(string taskId, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
    {
        var entry = TaskEntry(taskId, out var reference);
        var normalized = VariableValues.NormalizeAll(variables);
        var done = await RunStepAsync(entry, step => step.CompleteTask(reference.NodeId, taskId, normalized), cancellationToken).ConfigureAwait(false);
        if (!done)
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    /// <summary>Sets or clears the assignee of a task (claim, unclaim, delegate).</summary>
    public async Task SetAssigneeAsync(string taskId, string? assignee, CancellationToken cancellationToken = default)
    {
        var entry = TaskEntry(taskId, out var reference);
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var node = entry.Instance.FindNode(reference.NodeId);
            if (node?.Task?.TaskId != taskId)
            {
                throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
            }

            node.Task.Assignee = assignee;
            entry.Instance.Revision++;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private InstanceEntry TaskEntry(string taskId, out TaskRef reference)
    {
        if (!Index.TryGetTask(taskId, out reference) || !_instances.TryGetValue(reference.InstanceId, out var entry))
        {
            throw new WorkflowException($"Task '{taskId}' does not exist or is no longer active.") { Code = "not-found" };
        }

        return entry;
    }

    // ---- messages, signals, timers, jobs --------------------------------------------------------

    /// <summary>
    /// Delivers a message to the wait it matches (found through the index by name and key, business key
    /// or instance id, never by scanning instances), or starts a process with a matching message start event.
    /// </summary>
    public async Task<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        var variables = VariableValues.NormalizeAll(correlation.Variables);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var waits = Index.FindMessageWaits(correlation.MessageName, correlation.CorrelationKey, correlation.BusinessKey, correlation.ProcessInstanceId)
                .Where(w => Matches(w, correlation))
                .ToList();
            if (waits.Count == 0)
            {
                var starts = correlation.ProcessInstanceId is null
                    ? LatestStartEvents(s => s.Definition is MessageEventDefinition m && m.Message is { } r && r.Name.IsLiteral && r.Name.Text == correlation.MessageName)
                    : [];
                if (starts.Count == 0)
                {
                    throw new WorkflowException($"No process instance is waiting for message '{correlation.MessageName}'{DescribeKeys(correlation)}, and no process starts with it.") { Code = "no-match" };
                }

                if (starts.Count > 1 && !correlation.All)
                {
                    throw new WorkflowException($"Message '{correlation.MessageName}' starts {starts.Count} processes ({string.Join(", ", starts.Select(s => s.Definition.Key))}); correlate with All to start each.") { Code = "ambiguous" };
                }

                var ids = new List<string>();
                foreach (var (definition, start) in starts)
                {
                    ids.Add((await StartAsync(definition, start, variables, correlation.BusinessKey, cancellationToken).ConfigureAwait(false)).Id);
                }

                return new CorrelationResult(ids.Count, ids, true);
            }

            if (waits.Count > 1 && !correlation.All)
            {
                throw new WorkflowException($"Message '{correlation.MessageName}'{DescribeKeys(correlation)} matches {waits.Count} waits; give a correlation key, business key or instance id, or correlate with All.") { Code = "ambiguous" };
            }

            var delivered = new List<string>();
            foreach (var wait in waits)
            {
                if (_instances.TryGetValue(wait.InstanceId, out var entry)
                    && await RunStepAsync(entry, step => step.Trigger(wait.SubscriptionId, variables), cancellationToken).ConfigureAwait(false))
                {
                    delivered.Add(wait.InstanceId);
                }
            }

            if (delivered.Count > 0)
            {
                return new CorrelationResult(delivered.Count, delivered, false);
            }
        }

        throw new WorkflowException($"Message '{correlation.MessageName}' found only waits that ended meanwhile; try again.") { Code = "conflict" };
    }

    private bool Matches(SubRef wait, MessageCorrelation correlation)
    {
        if (!_instances.TryGetValue(wait.InstanceId, out var entry))
        {
            return false;
        }

        var instance = entry.Instance;
        return (correlation.BusinessKey is null || instance.BusinessKey == correlation.BusinessKey)
            && (correlation.ProcessInstanceId is null || instance.Id == correlation.ProcessInstanceId);
    }

    private static string DescribeKeys(MessageCorrelation c)
    {
        var parts = new List<string>();
        if (c.CorrelationKey is not null)
        {
            parts.Add($"correlation key '{c.CorrelationKey}'");
        }

        if (c.BusinessKey is not null)
        {
            parts.Add($"business key '{c.BusinessKey}'");
        }

        if (c.ProcessInstanceId is not null)
        {
            parts.Add($"instance '{c.ProcessInstanceId}'");
        }

        return parts.Count == 0 ? "" : " with " + string.Join(" and ", parts);
    }

    /// <summary>Broadcasts a signal to every waiting catch and signal start event; returns how many it reached.</summary>
    public async Task<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
    {
        var normalized = VariableValues.NormalizeAll(variables);
        var reached = 0;
        foreach (var group in Index.FindSignalWaits(signalName).GroupBy(w => w.InstanceId))
        {
            if (!_instances.TryGetValue(group.Key, out var entry))
            {
                continue;
            }

            var ids = group.Select(w => w.SubscriptionId).Order().ToList();
            await RunStepAsync(entry, step =>
            {
                var any = false;
                foreach (var id in ids)
                {
                    if (step.Trigger(id, normalized))
                    {
                        reached++;
                        any = true;
                    }
                }

                return any;
            }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (definition, start) in LatestStartEvents(s => s.Definition is SignalEventDefinition { SignalName: { IsLiteral: true } name } && name.Text == signalName))
        {
            await StartAsync(definition, start, normalized, null, cancellationToken).ConfigureAwait(false);
            reached++;
        }

        return reached;
    }

    /// <summary>Fires every timer due at the engine clock's now (up to <see cref="WorkflowEngineOptions.MaxTimersPerPoll"/>).</summary>
    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        foreach (var timer in Index.DueTimers(Time.GetUtcNow(), Options.MaxTimersPerPoll))
        {
            if (await FireAsync(timer, cancellationToken).ConfigureAwait(false))
            {
                fired++;
            }
        }

        return fired;
    }

    /// <summary>Fires one timer now, whether or not it is due (administrators and tests).</summary>
    public async Task FireTimerAsync(string timerId, CancellationToken cancellationToken = default)
    {
        var timer = Index.AllTimers().FirstOrDefault(t => t.Id == timerId);
        if (timer == default || !await FireAsync(timer, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Timer '{timerId}' does not exist or has fired already.") { Code = "not-found" };
        }
    }

    private async Task<bool> FireAsync(TimerRef timer, CancellationToken cancellationToken)
    {
        if (timer.InstanceId is null)
        {
            if (!Index.RemoveTimer(timer))
            {
                return false;
            }

            var definition = GetDefinitionById(timer.DefinitionId!);
            var start = definition.Model.Container.StartEvents.First(s => s.Id == timer.StartElementId);
            await StartAsync(definition, start, null, null, cancellationToken).ConfigureAwait(false);
            RescheduleStartTimer(definition, start, timer);
            return true;
        }

        return _instances.TryGetValue(timer.InstanceId, out var entry)
            && await RunStepAsync(entry, step => step.FireTimer(timer.SubscriptionId, timer.DueAt), cancellationToken).ConfigureAwait(false);
    }

    private void RescheduleStartTimer(ProcessDefinition definition, StartEvent start, TimerRef fired)
    {
        var timer = (TimerEventDefinition)start.Definition!;
        var text = Convert.ToString(Expressions.Evaluate(timer.Value, EmptyScope.Instance), CultureInfo.InvariantCulture) ?? "";
        var firedCount = _startTimerFirings.AddOrUpdate(fired.Id, 1, (_, n) => n + 1);
        if (TimerSchedule.TryParse(timer.TimerKind, text, out var schedule, out _, Options.TimeZone)
            && schedule!.GetNextDue(fired.DueAt, firedCount) is { } next)
        {
            lock (_definitionsGate)
            {
                if (_definitions.TryGetValue(definition.Key, out var versions) && versions[^1] == definition)
                {
                    Index.AddStartTimer(definition, start.Id, next);
                }
            }
        }
    }

    private readonly ConcurrentDictionary<string, int> _startTimerFirings = new(StringComparer.Ordinal);

    /// <summary>Runs an asynchronous continuation (<c>camunda:asyncBefore</c>/<c>asyncAfter</c>).</summary>
    public async Task ExecuteJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (!Index.TryGetJob(jobId, out var job) || !_instances.TryGetValue(job.InstanceId, out var entry)
            || !await RunStepAsync(entry, step => step.ContinueJob(job.NodeId), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Job '{jobId}' does not exist or has run already.") { Code = "not-found" };
        }
    }

    /// <summary>Runs pending jobs until none is left (or <paramref name="max"/> ran); returns how many ran.</summary>
    public async Task<int> RunPendingJobsAsync(int max = 10_000, CancellationToken cancellationToken = default)
    {
        var ran = 0;
        while (ran < max && Index.AllJobs() is { Count: > 0 } jobs)
        {
            foreach (var (id, _) in jobs)
            {
                await ExecuteJobAsync(id, cancellationToken).ConfigureAwait(false);
                if (++ran >= max)
                {
                    break;
                }
            }
        }

        return ran;
    }

    /// <summary>Ends an instance at once (administrator action); its called instances end too.</summary>
    public async Task TerminateInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(Entry(instanceId), step => step.TerminateInstance(), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' has ended already.") { Code = "conflict" };
        }
    }

    // ---- logging --------------------------------------------------------------------------------

    internal void LogIncident(ProcessInstance instance, string elementId, string type, string message)
        => LogIncidentRaised(_logger, instance.Id, elementId, type, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {Type} in instance {InstanceId} at {ElementId}: {Message}")]
    private static partial void LogIncidentRaised(ILogger logger, string instanceId, string elementId, string type, string message);

    private void LogUndelivered(string name, string instanceId, string reason) => LogUndeliveredMessage(_logger, name, instanceId, reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageName} thrown by instance {InstanceId} was not delivered: {Reason}")]
    private static partial void LogUndeliveredMessage(ILogger logger, string messageName, string instanceId, string reason);

    /// <summary>A scope with no variables, for expressions evaluated outside any instance.</summary>
    private sealed class EmptyScope : IVariableScope
    {
        public static readonly EmptyScope Instance = new();

        public string? ProcessInstanceId => null;

        public string? BusinessKey => null;

        public string? ActivityId => null;

        public bool TryGetVariable(string name, out object? value)
        {
            value = null;
            return false;
        }

        public void SetVariable(string name, object? value) => throw new InvalidOperationException("No variables can be set here.");
    }
}
