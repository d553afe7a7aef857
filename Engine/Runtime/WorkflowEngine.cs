using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Persistence;
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

    /// <summary>How often an operation is retried when another host changed the same instance first.</summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>Attempts of a job whose element gives no <c>camunda:failedJobRetryTimeCycle</c>.</summary>
    public int DefaultJobRetries { get; set; } = 3;

    /// <summary>
    /// How long a worker holds a job before another may take it. The lock of a job that is running is renewed
    /// every <see cref="JobLockRenewalInterval"/>, so this can be short: a killed worker's jobs come back after it.
    /// </summary>
    public TimeSpan JobLockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running job's lock is extended by <see cref="JobLockDuration"/>; null: a third of it.</summary>
    public TimeSpan? JobLockRenewalInterval { get; set; }

    /// <summary>Jobs a worker takes at once.</summary>
    public int JobBatchSize { get; set; } = 20;

    /// <summary>Whether each instance keeps its history (elements entered, completed, cancelled; variables; who).</summary>
    public bool KeepJournal { get; set; } = true;

    /// <summary>
    /// Variables holding personal data (a consumer's name, phone number, address): the history records that they were
    /// set, and of what type, but not their values, which stay in the instance's variables for whoever may read those.
    /// </summary>
    public HashSet<string> PersonalVariables { get; set; } = new(StringComparer.Ordinal);

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

/// <summary>
/// What a deployment gave: the definitions of its processes (new versions, or the current ones whose content did
/// not change), the validation findings, whether any version is new, and the deployment recorded (or, when none
/// was, the earlier one answered in its place; null when there is none).
/// </summary>
public sealed record DeploymentResult(IReadOnlyList<ProcessDefinition> Definitions, IReadOnlyList<ValidationFinding> Findings, bool Changed, DeploymentInfo? Deployment = null);

/// <summary>
/// The BPMN engine: deploys definitions, runs instances step by step until every token waits, and
/// answers queries. State lives in an <see cref="IWorkflowStore"/> (in memory by default). Thread-safe;
/// each instance is advanced by one caller at a time.
/// </summary>
public sealed partial class WorkflowEngine
{
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
        ITimerScheduler? timers = null)
    {
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

    /// <summary>Messages thrown by processes that nothing was waiting for.</summary>
    public IReadOnlyCollection<UndeliveredMessage> UndeliveredMessages => _undelivered;

    internal string NewId() => Guid.CreateVersion7(Time.GetUtcNow()).ToString("N");

    // ---- deployment -----------------------------------------------------------------------------

    /// <summary>Loads the definitions the store holds (deployed earlier or by another host).</summary>
    public async Task LoadDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var record in await Store.LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            Remember(record);
        }
    }

    private ProcessDefinition Remember(DefinitionRecord record)
    {
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(record.Id, out var known))
            {
                return known;
            }
        }

        var parsed = _parser.Parse(record.Xml, record.Key);
        var model = parsed.Definitions?.Processes.FirstOrDefault(p => p.Id == record.Key)
            ?? throw new WorkflowException($"Stored definition '{record.Id}' can no longer be read: {string.Join("; ", parsed.Findings)}") { Code = "invalid" };
        var definition = new ProcessDefinition(model, record.Version, record.Xml, record.ContentHash, record.DeployedAt, record.DeploymentId, record.ResourceName);
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(definition.Id, out var raced))
            {
                return raced;
            }

            _definitionsById[definition.Id] = definition;
            if (!_definitions.TryGetValue(definition.Key, out var versions))
            {
                _definitions[definition.Key] = versions = [];
            }

            versions.Add(definition);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
            return definition;
        }
    }

    /// <summary>Parses and validates a file; nothing is deployed.</summary>
    public IReadOnlyList<ValidationFinding> Validate(string xml, string? sourceName = null) => ParseAndValidate(xml, sourceName).Findings;

    /// <summary>The import's findings followed, when the file imported, by the executable validation's.</summary>
    private (BpmnDefinitions? Definitions, IReadOnlyList<ValidationFinding> Findings) ParseAndValidate(string xml, string? sourceName)
    {
        var parsed = _parser.Parse(xml, sourceName);
        return parsed.Definitions is null
            ? (null, parsed.Findings)
            : (parsed.Definitions, [.. parsed.Findings, .. ExecutableValidator.Validate(parsed.Definitions, Activities, (kind, text) => TimerSchedule.Check(kind, text, Options.TimeZone))]);
    }

    /// <summary>
    /// Deploys the executable processes of a BPMN file, with changed content only (see
    /// <see cref="DeploymentRequest.DuplicateFiltering"/>): a file whose content changed gives each of its
    /// processes a new version and records a deployment named after the file; an unchanged file deploys
    /// nothing new. Errors refuse the whole file.
    /// </summary>
    public Task<DeploymentResult> DeployAsync(string xml, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return DeployAsync(new DeploymentRequest([new DeploymentResource(sourceName ?? "process.bpmn", xml)]) { Name = sourceName, DuplicateFiltering = true }, cancellationToken);
    }

    /// <summary>
    /// Deploys the executable processes of the BPMN files of a request as one deployment, recorded with its
    /// name, source, tenant and each file's content hash. A process whose content changed gets a new version
    /// linked to the deployment; an unchanged one keeps its version. Errors in any file refuse all of them.
    /// </summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resources.Count == 0)
        {
            throw new WorkflowException($"Deployment '{request.Name}' has no resources to deploy.") { Code = "invalid" };
        }

        if (request.Resources.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new WorkflowException($"Deployment '{request.Name}' has two resources named '{twice.Key}'.") { Code = "invalid" };
        }

        var parsed = new List<(DeploymentResource Resource, BpmnDefinitions Definitions, string Hash)>();
        var allFindings = new List<ValidationFinding>();
        foreach (var resource in request.Resources)
        {
            var (definitions, findings) = ParseAndValidate(resource.Xml, resource.Name);
            allFindings.AddRange(findings);
            if (definitions is null || findings.Any(f => f.Severity == FindingSeverity.Error))
            {
                var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
                throw new DeploymentException(
                    $"{resource.Name} cannot be deployed: {errors.Count} error(s).{Environment.NewLine}{string.Join(Environment.NewLine, errors)}",
                    findings);
            }

            parsed.Add((resource, definitions, Hash(resource.Xml)));
        }

        await LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        var hashes = parsed.ToDictionary(p => p.Resource.Name, p => p.Hash, StringComparer.Ordinal);
        if (request.DuplicateFiltering && await LatestDeploymentAsync(request.Name, request.Source, cancellationToken).ConfigureAwait(false) is { } last
            && last.ResourceHashes.Count == hashes.Count && last.ResourceHashes.All(kv => hashes.TryGetValue(kv.Key, out var hash) && hash == kv.Value))
        {
            return new DeploymentResult(DefinitionsOf(last.Id), allFindings, false, last);
        }

        var deploymentId = NewId();
        var now = Time.GetUtcNow();
        var result = new List<ProcessDefinition>();
        var created = new List<(ProcessDefinition Definition, ProcessDefinition? Previous)>();
        foreach (var (resource, definitions, hash) in parsed)
        {
            foreach (var model in definitions.Processes.Where(p => p.IsExecutable))
            {
                ProcessDefinition? latest;
                lock (_definitionsGate)
                {
                    latest = _definitions.TryGetValue(model.Id, out var versions) && versions.Count > 0 ? versions[^1] : null;
                }

                if (latest?.ContentHash == hash)
                {
                    result.Add(latest);
                    continue;
                }

                var previous = created.LastOrDefault(c => c.Definition.Key == model.Id).Definition ?? latest;
                var definition = new ProcessDefinition(model, (previous?.Version ?? 0) + 1, resource.Xml, hash, now, deploymentId, resource.Name);
                created.Add((definition, previous));
                result.Add(definition);
            }
        }

        if (created.Count == 0 && request.DuplicateFiltering)
        {
            var earlier = result.Select(d => d.DeploymentId).FirstOrDefault(id => id is not null);
            var answered = earlier is null ? null : await FindDeploymentAsync(earlier, cancellationToken).ConfigureAwait(false);
            return new DeploymentResult(result, allFindings, false, answered);
        }

        var deployment = new DeploymentInfo(deploymentId, request.Name, request.Source, now, request.TenantId, hashes);
        await Store.SaveDeploymentAsync(
            deployment,
            [.. created.Select(c => new DefinitionRecord(c.Definition.Id, c.Definition.Key, c.Definition.Version, c.Definition.Xml, c.Definition.ContentHash, now, deploymentId, c.Definition.ResourceName))],
            cancellationToken).ConfigureAwait(false);
        lock (_definitionsGate)
        {
            foreach (var (definition, _) in created)
            {
                _definitionsById[definition.Id] = definition;
                if (!_definitions.TryGetValue(definition.Key, out var versions))
                {
                    _definitions[definition.Key] = versions = [];
                }

                versions.Add(definition);
            }
        }

        foreach (var (definition, previous) in created)
        {
            if (previous is not null)
            {
                var triggers = previous.Model.Container.StartEvents.Where(e => e.Definition is TimerEventDefinition).Select(e => StartTimerId(previous.Id, e.Id)).ToList();
                await WithTimerEntryAsync(
                    triggers.Count == 0 ? null : new PostAction.ChangeTimers([], triggers),
                    entry => Store.RemoveStartTimersAsync(previous.Id, entry, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
            }

            await ScheduleStartTimersAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        return new DeploymentResult(result, allFindings, created.Count > 0, deployment);
    }

    private static string Hash(string xml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));

    /// <summary>Recorded deployments matching the query (all when null), oldest first.</summary>
    public Task<IReadOnlyList<DeploymentInfo>> GetDeploymentsAsync(DeploymentQuery? query = null, CancellationToken cancellationToken = default)
        => Store.QueryDeploymentsAsync(query ?? new DeploymentQuery(), cancellationToken);

    /// <summary>One recorded deployment.</summary>
    public async Task<DeploymentInfo> GetDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default)
        => await FindDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkflowException($"Deployment '{deploymentId}' does not exist.") { Code = "not-found" };

    private async Task<DeploymentInfo?> FindDeploymentAsync(string deploymentId, CancellationToken cancellationToken)
        => await Store.QueryDeploymentsAsync(new DeploymentQuery(Id: deploymentId), cancellationToken).ConfigureAwait(false) is [var found, ..] ? found : null;

    /// <summary>The last deployment with exactly this name and source (what duplicate filtering compares with), or null.</summary>
    public async Task<DeploymentInfo?> LatestDeploymentAsync(string? name, string? source, CancellationToken cancellationToken = default)
        => (await Store.QueryDeploymentsAsync(new DeploymentQuery(Name: name, Source: source), cancellationToken).ConfigureAwait(false))
            .LastOrDefault(d => d.Name == name && d.Source == source);

    /// <summary>The definition versions a deployment created, by key and version.</summary>
    public async Task<IReadOnlyList<ProcessDefinition>> GetDeploymentDefinitionsAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        await GetDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        await LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        return DefinitionsOf(deploymentId);
    }

    private List<ProcessDefinition> DefinitionsOf(string deploymentId)
    {
        lock (_definitionsGate)
        {
            return [.. _definitionsById.Values.Where(d => d.DeploymentId == deploymentId).OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Version)];
        }
    }

    /// <summary>
    /// Deletes a deployment and the definition versions it created, with their instances (an ended instance's
    /// history goes with its definition). Refused (code <c>conflict</c>) while any of those instances is still
    /// running, unless <paramref name="cascade"/>: then the running ones are deleted too. The previous version of each process becomes the latest again (on this host at once;
    /// other hosts keep the deleted versions in memory until they restart).
    /// </summary>
    public async Task DeleteDeploymentAsync(string deploymentId, bool cascade = false, CancellationToken cancellationToken = default)
    {
        var definitions = await GetDeploymentDefinitionsAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var ids = definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var triggers = ids.Count == 0 || TimerScheduler is null
            ? []
            : (await Store.QueryTimersAsync(null, cancellationToken).ConfigureAwait(false)).Where(t => ids.Contains(t.DefinitionId)).Select(t => t.Id).ToList();
        var deleted = false;
        await WithTimerEntryAsync(
            triggers.Count == 0 ? null : new PostAction.ChangeTimers([], triggers),
            async entry => deleted = await Store.DeleteDeploymentAsync(deploymentId, [.. ids], cascade, entry, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            throw new WorkflowException($"Deployment '{deploymentId}' does not exist.") { Code = "not-found" };
        }

        lock (_definitionsGate)
        {
            foreach (var definition in definitions)
            {
                _definitionsById.Remove(definition.Id);
                if (_definitions.TryGetValue(definition.Key, out var versions))
                {
                    versions.Remove(definition);
                    if (versions.Count == 0)
                    {
                        _definitions.Remove(definition.Key);
                    }
                }
            }
        }
    }

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

                if (versions.FirstOrDefault(v => v.Version == version) is { } match)
                {
                    return match;
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

    private async Task ScheduleStartTimersAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        foreach (var start in definition.Model.Container.StartEvents)
        {
            if (StartTimerSchedule(start) is { } schedule && schedule.GetFirstDue(Time.GetUtcNow()) is { } due)
            {
                await ScheduleStartTimerAsync(new DueTimer(due, null, 0, definition.Id, start.Id, 0), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task ScheduleStartTimerAsync(DueTimer timer, CancellationToken cancellationToken)
        => WithTimerEntryAsync(
            new PostAction.ChangeTimers([timer], []),
            entry => Store.ScheduleStartTimerAsync(timer.DefinitionId, timer.ElementId, timer.DueAt, timer.FiredCount, entry, cancellationToken),
            cancellationToken);

    private static string StartTimerId(string definitionId, string elementId) => new DueTimer(default, null, 0, definitionId, elementId, 0).Id;

    /// <summary>
    /// Runs a store write that changes timers together with the outbox entry telling the scheduler (when there
    /// is one), then applies the entry and marks it done; a refused entry stays for the outbox redelivery.
    /// </summary>
    private async Task WithTimerEntryAsync(PostAction.ChangeTimers? change, Func<OutboxEntry?, Task> write, CancellationToken cancellationToken)
    {
        var entry = change is not null && TimerScheduler is not null ? NewOutboxEntry(change) : null;
        await write(entry).ConfigureAwait(false);
        if (entry is not null && await TryChangeTimersAsync(change!, cancellationToken).ConfigureAwait(false))
        {
            await Store.DeleteOutboxAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimerSchedule? StartTimerSchedule(StartEvent start)
        => start.Definition is TimerEventDefinition timer
            && TimerSchedule.TryParse(timer.TimerKind, Convert.ToString(Expressions.Evaluate(timer.Value, EmptyScope.Instance), CultureInfo.InvariantCulture) ?? "", out var schedule, out _, Options.TimeZone)
            ? schedule
            : null;

    // ---- starting -------------------------------------------------------------------------------

    /// <summary>Starts the latest version of a process at its none start event and runs it until every token waits.</summary>
    public Task<ProcessInstanceInfo> StartProcessAsync(string key, IReadOnlyDictionary<string, object?>? variables = null, string? businessKey = null, CancellationToken cancellationToken = default)
    {
        var (definition, start) = LatestNoneStart(key);
        return StartAsync(definition, start, variables, businessKey, cancellationToken);
    }

    /// <summary>The latest version of a process and its none start event.</summary>
    private (ProcessDefinition Definition, StartEvent Start) LatestNoneStart(string key)
    {
        var definition = GetDefinition(key);
        var start = definition.Model.Container.StartEvents.FirstOrDefault(s => s.Definition is null)
            ?? throw new WorkflowException($"Process '{key}' has no none start event; start it by message, signal or timer.") { Code = "invalid" };
        return (definition, start);
    }

    /// <summary>
    /// Starts the latest version of a process at its none start event, with rows of the host's own tables written in the
    /// transaction that stores the new instance (a complaint registered together with its process: both or neither).
    /// The engine owns <paramref name="work"/> from here on and disposes of it. Check <see cref="CommitsStepWorkFor"/>
    /// first: a store that cannot write the work refuses it.
    /// </summary>
    public async Task<ProcessInstanceInfo> StartProcessAsync(string key, IReadOnlyDictionary<string, object?>? variables, string? businessKey, IReadOnlyList<IStepWork> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            if (work.Any(w => !Store.CommitsStepWorkFor(w.Database)))
            {
                throw new WorkflowException("The engine's store cannot write this work with the step: it is not in the store's database.") { Code = "invalid" };
            }

            var (definition, start) = LatestNoneStart(key);
            return await StartAsync(definition, start, variables, businessKey, cancellationToken, work: work).ConfigureAwait(false);
        }
        finally
        {
            // The step disposed of it already unless the start failed before the step began.
            foreach (var item in work)
            {
                item.Dispose();
            }
        }
    }

    /// <summary>Whether the store writes step work for the database of <paramref name="database"/> (see <see cref="IStepWork"/>).</summary>
    public bool CommitsStepWorkFor(System.Data.Common.DbConnection database) => Store.CommitsStepWorkFor(database);

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

    private async Task<ProcessInstanceInfo> StartAsync(ProcessDefinition definition, StartEvent start, IReadOnlyDictionary<string, object?>? variables, string? businessKey, CancellationToken cancellationToken, string? id = null, (string Id, int NodeId)? caller = null, Delivery? delivery = null, IReadOnlyList<IStepWork>? work = null)
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

        Step step;
        List<(string Id, PostAction Action)> outbox;
        await using (var lease = await Store.CreateAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            step = new Step(this, instance, cancellationToken).Begin();
            step.Changes.Delivery = delivery;
            step.Changes.Work.AddRange(work ?? []);
            try
            {
                try
                {
                    foreach (var (name, value) in root.Variables ?? [])
                    {
                        step.VariableSet(root, name, value);
                    }

                    step.StartScope(root, definition.Model.Container, start);
                    await step.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    step.Finish();
                }

                outbox = ToOutbox(step);
                await lease.CommitAsync(step.Changes, cancellationToken).ConfigureAwait(false);
                TellCommitted(step);
            }
            finally
            {
                step.DisposeWork();
            }

            await ApplyTimerChangesAsync(outbox, cancellationToken).ConfigureAwait(false);
        }

        await RunAfterAsync(outbox, cancellationToken).ConfigureAwait(false);
        return InstanceViews.Instance(instance);
    }

    // ---- stepping -------------------------------------------------------------------------------

    /// <summary>
    /// Runs one step on an instance: load it, seed the step (false: nothing to do), run until every token
    /// waits, commit. When another host committed first, the whole operation is tried again on the new state.
    /// Returns false when the instance does not exist, has ended, or the seed found nothing to do.
    /// </summary>
    private async Task<bool> RunStepAsync(string instanceId, Func<Step, bool> seed, CancellationToken cancellationToken, bool allowEnded = false, Func<Step, bool>? commitWhen = null, Delivery? delivery = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            Step? step = null;
            List<(string Id, PostAction Action)> outbox;
            var lease = await Store.AcquireAsync(instanceId, GetDefinitionOrLoad, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return false;
            }

            try
            {
                var instance = lease.Instance;
                if (instance.Status != InstanceStatus.Active && !allowEnded)
                {
                    return false;
                }

                if (delivery is { } applying && await IsDeliveredAsync(applying, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                if (commitWhen is not null)
                {
                    lease.Checkpoint();
                }

                step = new Step(this, instance, cancellationToken).Begin();
                step.Changes.Delivery = delivery;
                try
                {
                    if (!seed(step))
                    {
                        return false;
                    }

                    await step.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    step.Finish();
                }

                if (commitWhen is not null && !commitWhen(step))
                {
                    lease.Discard();
                    return false;
                }

                outbox = ToOutbox(step);
                await lease.CommitAsync(step.Changes, cancellationToken).ConfigureAwait(false);
                TellCommitted(step);
                await ApplyTimerChangesAsync(outbox, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (attempt < Options.MaxConflictRetries)
            {
                continue;
            }
            finally
            {
                step?.DisposeWork();

                await lease.DisposeAsync().ConfigureAwait(false);
            }

            if (outbox.Count > 0)
            {
                await RunAfterAsync(outbox, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
    }

    private Task<bool> RunStepAsync(string instanceId, Action<Step> seed, CancellationToken cancellationToken, Delivery? delivery = null)
        => RunStepAsync(instanceId, step =>
        {
            seed(step);
            return true;
        }, cancellationToken, delivery: delivery);

    /// <summary>Whether the receiver of <paramref name="delivery"/> committed a step applying it already.</summary>
    private async Task<bool> IsDeliveredAsync(Delivery delivery, CancellationToken cancellationToken)
        => (await Store.FindDeliveryReceiversAsync(delivery.Id, cancellationToken).ConfigureAwait(false)).Contains(delivery.Receiver, StringComparer.Ordinal);

    /// <summary>The receiver key of a message: one for all instances, since a message goes to one wait (or starts one process).</summary>
    private const string MessageReceiver = "message";

    /// <summary>A definition by id, loading definitions deployed by another host when it is not known yet.</summary>
    private ProcessDefinition GetDefinitionOrLoad(string id)
    {
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(id, out var definition))
            {
                return definition;
            }
        }

        LoadDefinitionsAsync().GetAwaiter().GetResult();
        return GetDefinitionById(id);
    }

    /// <summary>The timer triggers a step began and ended (net), or null when it changed none or no scheduler is set.</summary>
    private PostAction.ChangeTimers? TimerChanges(ProcessInstance instance, StepChanges changes)
    {
        if (TimerScheduler is null)
        {
            return null;
        }

        var scheduled = new Dictionary<string, DueTimer>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes.Items)
        {
            if (change.Subscription is not { Kind: SubscriptionKind.Timer } subscription)
            {
                continue;
            }

            var timer = new DueTimer(change.DueAt!.Value, instance.Id, subscription.Id, instance.Definition.Id, subscription.EventElementId, subscription.FiredCount);
            if (change.Kind == StepChanges.ChangeKind.SubscriptionAdded)
            {
                scheduled[timer.Id] = timer;
                removed.Remove(timer.Id);
            }
            else
            {
                scheduled.Remove(timer.Id);
                removed.Add(timer.Id);
            }
        }

        return scheduled.Count == 0 && removed.Count == 0 ? null : new PostAction.ChangeTimers([.. scheduled.Values], [.. removed]);
    }

    /// <summary>
    /// Puts the timer entry of a just-committed step (the first entry, when there is one) on the scheduler
    /// and marks it done; an entry the scheduler refused stays for <see cref="RedeliverOutboxAsync"/>.
    /// </summary>
    private async Task ApplyTimerChangesAsync(List<(string Id, PostAction Action)> outbox, CancellationToken cancellationToken)
    {
        if (outbox.Count > 0 && outbox[0] is (var id, PostAction.ChangeTimers timers))
        {
            outbox.RemoveAt(0);
            if (await TryChangeTimersAsync(timers, cancellationToken).ConfigureAwait(false))
            {
                await Store.DeleteOutboxAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryChangeTimersAsync(PostAction.ChangeTimers timers, CancellationToken cancellationToken)
    {
        if (TimerScheduler is null)
        {
            // Nothing to tell: the store's timer rows are fired by FireDueTimersAsync.
            return true;
        }

        try
        {
            await TimerScheduler.TimersChangedAsync(timers.Scheduled, timers.Removed, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSchedulerFailed(_logger, string.Join(", ", timers.Scheduled.Select(t => t.Id).Concat(timers.Removed)), ex);
            return false;
        }
    }

    /// <summary>
    /// A timer entry done again (after a crash or a scheduler failure): each instance timer it names is put on
    /// the scheduler as the store has it now, or taken off when its wait is gone, so that entries done late
    /// or out of order still leave the scheduler right. Start timer changes are applied as written.
    /// </summary>
    private async Task<bool> RedeliverTimersAsync(PostAction.ChangeTimers timers, CancellationToken cancellationToken)
    {
        var scheduled = new List<DueTimer>();
        var removed = new List<string>();
        var named = timers.Scheduled.Where(t => t.InstanceId is not null).Select(t => (t.Id, t.InstanceId!))
            .Concat(timers.Removed.Where(id => !id.StartsWith("start:", StringComparison.Ordinal)).Select(id => (id, id[..Math.Max(0, id.LastIndexOf(':'))])))
            .DistinctBy(t => t.Item1, StringComparer.Ordinal);
        foreach (var group in named.GroupBy(t => t.Item2, StringComparer.Ordinal))
        {
            var current = (await Store.QueryTimersAsync(group.Key, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
            foreach (var (timerId, _) in group)
            {
                if (current.TryGetValue(timerId, out var timer))
                {
                    scheduled.Add(timer);
                }
                else
                {
                    removed.Add(timerId);
                }
            }
        }

        scheduled.AddRange(timers.Scheduled.Where(t => t.InstanceId is null));
        removed.AddRange(timers.Removed.Where(id => id.StartsWith("start:", StringComparison.Ordinal)));
        return await TryChangeTimersAsync(new PostAction.ChangeTimers(scheduled, removed), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the timer scheduler about timers {TimerIds}; the outbox entry stays and is applied again by the outbox redelivery")]
    private static partial void LogSchedulerFailed(ILogger logger, string timerIds, Exception exception);

    /// <summary>Gives each post action of a step an outbox entry, committed with the step; timer changes come first.</summary>
    private List<(string Id, PostAction Action)> ToOutbox(Step step)
    {
        var outbox = new List<(string, PostAction)>(step.After.Count + 1);
        if (TimerChanges(step.Instance, step.Changes) is { } timers)
        {
            outbox.Add((AddOutbox(step.Changes, timers), timers));
        }

        foreach (var action in step.After)
        {
            outbox.Add((AddOutbox(step.Changes, action), action));
        }

        return outbox;
    }

    private string AddOutbox(StepChanges changes, PostAction action)
    {
        var entry = NewOutboxEntry(action);
        changes.Outbox.Add(entry);
        return entry.Id;
    }

    private OutboxEntry NewOutboxEntry(PostAction action) => new(NewId(), Time.GetUtcNow(), PostActionJson.Write(action));

    /// <summary>Does what committed steps left for other instances, then marks each entry done.</summary>
    private async Task RunAfterAsync(List<(string Id, PostAction Action)> outbox, CancellationToken cancellationToken)
    {
        foreach (var (id, action) in outbox)
        {
            await DeliverAsync(action, id, cancellationToken).ConfigureAwait(false);
            await Store.DeleteOutboxAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Does outbox work older than <paramref name="age"/> that nobody finished (the host that committed it
    /// stopped first, or the timer scheduler refused it). Delivery is at least once, and each delivery carries
    /// its entry's id: a receiver records the ids it applied in its own step's transaction, so an entry done
    /// a second time (after a crash between the receiver's commit and the entry's deletion) changes nothing.
    /// Returns how many entries were done.
    /// </summary>
    public async Task<int> RedeliverOutboxAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var entries = await Store.FindOutboxAsync(Time.GetUtcNow() - age, 100, cancellationToken).ConfigureAwait(false);
        var done = 0;
        foreach (var entry in entries)
        {
            var action = PostActionJson.Read(entry.Payload);
            if (action is PostAction.ChangeTimers timers)
            {
                if (!await RedeliverTimersAsync(timers, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }
            else
            {
                await DeliverAsync(action, entry.Id, cancellationToken).ConfigureAwait(false);
            }

            await Store.DeleteOutboxAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            done++;
        }

        return done;
    }

    /// <summary>Does one outbox entry's work; <paramref name="deliveryId"/> (the entry's id) makes doing it twice a no-op.</summary>
    private async Task DeliverAsync(PostAction action, string deliveryId, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case PostAction.StartCalled start:
                await StartCalledAsync(start, cancellationToken).ConfigureAwait(false);
                break;
            case PostAction.ResumeCaller resume:
                await RunStepAsync(resume.ParentInstanceId, step => step.ResumeFromCalled(resume.ParentNodeId, resume.ChildId, resume.Variables), cancellationToken, new Delivery(deliveryId, resume.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.ErrorToCaller error:
                await RunStepAsync(error.ParentInstanceId, step => step.ErrorFromCalled(error.ParentNodeId, error.Code, error.Message), cancellationToken, new Delivery(deliveryId, error.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.EscalationToCaller escalation:
                await RunStepAsync(escalation.ParentInstanceId, step => step.EscalationFromCalled(escalation.ParentNodeId, escalation.Code), cancellationToken, new Delivery(deliveryId, escalation.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.TerminateInstance terminate:
                await RunStepAsync(terminate.InstanceId, step => step.TerminateInstance(), cancellationToken, new Delivery(deliveryId, terminate.InstanceId)).ConfigureAwait(false);
                break;
            case PostAction.SendMessage message:
                if (await IsDeliveredAsync(new Delivery(deliveryId, MessageReceiver), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                try
                {
                    await CorrelateMessageAsync(new MessageCorrelation(message.Name) { CorrelationKey = message.CorrelationKey, Variables = message.Variables }, deliveryId, cancellationToken).ConfigureAwait(false);
                }
                catch (WorkflowException ex) when (ex.Code is "no-match" or "ambiguous")
                {
                    _undelivered.Enqueue(new UndeliveredMessage(message.Name, message.CorrelationKey, message.FromInstanceId, message.FromElementId, message.Variables));
                    LogUndelivered(message.Name, message.FromInstanceId, ex.Message);
                }

                break;
            case PostAction.BroadcastSignal signal:
                await BroadcastSignalAsync(signal.Name, signal.Variables, deliveryId, cancellationToken).ConfigureAwait(false);
                break;
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
            await RunStepAsync(start.ParentInstanceId, step => step.FailNode(start.ParentNodeId, "call-failed", ex.Message), cancellationToken).ConfigureAwait(false);
            return;
        }

        var noneStart = definition.Model.Container.StartEvents.FirstOrDefault(s => s.Definition is null) ?? definition.Model.Container.StartEvents[0];
        try
        {
            await StartAsync(definition, noneStart, start.Variables, start.BusinessKey, cancellationToken, start.ChildId, (start.ParentInstanceId, start.ParentNodeId)).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "conflict")
        {
            // Started already: this outbox entry is being done a second time after a crash.
        }
    }

    // ---- user tasks -----------------------------------------------------------------------------

    /// <summary>
    /// Completes a user task with variables (on behalf of <paramref name="userId"/>, for the journal) and
    /// runs the instance on until every token waits.
    /// </summary>
    public async Task CompleteTaskAsync(string taskId, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        var normalized = VariableValues.NormalizeAll(variables);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.CompleteTask(location.NodeId, taskId, normalized);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    /// <summary>Sets or clears the assignee of a task (claim, unclaim, delegate), on behalf of <paramref name="userId"/>.</summary>
    public async Task SetAssigneeAsync(string taskId, string? assignee, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.SetAssignee(location.NodeId, taskId, assignee);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    private async Task<TaskLocation> FindTaskAsync(string taskId, CancellationToken cancellationToken)
        => await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkflowException($"Task '{taskId}' does not exist or is no longer active.") { Code = "not-found" };

    // ---- messages, signals, timers, jobs --------------------------------------------------------

    /// <summary>
    /// Delivers a message to the wait it matches (found through the store's index by name and key,
    /// business key or instance id, never by scanning instances), or starts a process with a matching
    /// message start event.
    /// </summary>
    public Task<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, CancellationToken cancellationToken = default)
        => CorrelateMessageAsync(correlation, null, cancellationToken);

    private async Task<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, string? deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        Delivery? delivery = deliveryId is null ? null : new Delivery(deliveryId, MessageReceiver);
        var variables = VariableValues.NormalizeAll(correlation.Variables);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var waits = await Store.FindMessageWaitsAsync(correlation.MessageName, correlation.CorrelationKey, correlation.BusinessKey, correlation.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
            if (correlation.ProcessInstanceId is not null && correlation.CorrelationKey is not null)
            {
                waits = [.. waits.Where(w => w.InstanceId == correlation.ProcessInstanceId)];
            }

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
                    ids.Add((await StartAsync(definition, start, variables, correlation.BusinessKey, cancellationToken, delivery: delivery).ConfigureAwait(false)).Id);
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
                var done = await RunStepAsync(wait.InstanceId, step =>
                    (correlation.BusinessKey is null || step.Instance.BusinessKey == correlation.BusinessKey)
                    && step.Trigger(wait.SubscriptionId, variables), cancellationToken, delivery: delivery).ConfigureAwait(false);
                if (done)
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
    public Task<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
        => BroadcastSignalAsync(signalName, variables, null, cancellationToken);

    /// <summary>With <paramref name="deliveryId"/>: each waiting instance and each signal start event is a receiver of its own.</summary>
    private async Task<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables, string? deliveryId, CancellationToken cancellationToken)
    {
        var normalized = VariableValues.NormalizeAll(variables);
        var reached = 0;
        var waits = await Store.FindSignalWaitsAsync(signalName, cancellationToken).ConfigureAwait(false);
        foreach (var group in waits.GroupBy(w => w.InstanceId))
        {
            var ids = group.Select(w => w.SubscriptionId).Order().ToList();
            await RunStepAsync(group.Key, step =>
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
            }, cancellationToken, delivery: deliveryId is null ? null : new Delivery(deliveryId, group.Key)).ConfigureAwait(false);
        }

        foreach (var (definition, start) in LatestStartEvents(s => s.Definition is SignalEventDefinition { SignalName: { IsLiteral: true } name } && name.Text == signalName))
        {
            Delivery? delivery = deliveryId is null ? null : new Delivery(deliveryId, $"start:{definition.Id}:{start.Id}");
            if (delivery is { } startDelivery && await IsDeliveredAsync(startDelivery, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await StartAsync(definition, start, normalized, null, cancellationToken, delivery: delivery).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (delivery is not null)
            {
                // Another host started it for this same entry meanwhile.
                continue;
            }

            reached++;
        }

        return reached;
    }

    /// <summary>Fires every timer due at the engine clock's now (up to <see cref="WorkflowEngineOptions.MaxTimersPerPoll"/>).</summary>
    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        foreach (var timer in await Store.FindDueTimersAsync(Time.GetUtcNow(), Options.MaxTimersPerPoll, cancellationToken).ConfigureAwait(false))
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
        if (!await FireTimerByIdAsync(timerId, onlyIfDue: false, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Timer '{timerId}' does not exist or has fired already.") { Code = "not-found" };
        }
    }

    /// <summary>
    /// Fires a timer by id if it still exists and (with <paramref name="onlyIfDue"/>) is due: what a scheduler's
    /// trigger calls; a trigger whose wait ended or moved fires into nothing. Returns whether it fired.
    /// </summary>
    public async Task<bool> FireTimerByIdAsync(string timerId, bool onlyIfDue = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timerId);
        var now = Time.GetUtcNow();
        if (!timerId.StartsWith("start:", StringComparison.Ordinal))
        {
            var separator = timerId.LastIndexOf(':');
            if (separator <= 0 || !int.TryParse(timerId.AsSpan(separator + 1), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var subscriptionId))
            {
                return false;
            }

            return await RunStepAsync(timerId[..separator], step => step.FireTimerIfDue(subscriptionId, onlyIfDue ? now : null), cancellationToken).ConfigureAwait(false);
        }

        var timer = (await Store.QueryTimersAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Id == timerId);
        return timer != default && (!onlyIfDue || timer.DueAt <= now) && await FireAsync(timer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> FireAsync(DueTimer timer, CancellationToken cancellationToken)
    {
        if (timer.InstanceId is not null)
        {
            return await RunStepAsync(timer.InstanceId, step => step.FireTimer(timer.SubscriptionId, timer.DueAt), cancellationToken).ConfigureAwait(false);
        }

        if (!await Store.ClaimStartTimerAsync(timer, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var definition = GetDefinitionOrLoad(timer.DefinitionId);
        var start = definition.Model.Container.StartEvents.First(s => s.Id == timer.ElementId);
        await StartAsync(definition, start, null, null, cancellationToken).ConfigureAwait(false);
        var firedCount = timer.FiredCount + 1;
        if (StartTimerSchedule(start)?.GetNextDue(timer.DueAt, firedCount) is { } next && GetDefinition(definition.Key) == definition)
        {
            await ScheduleStartTimerAsync(new DueTimer(next, null, 0, definition.Id, start.Id, firedCount), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Takes a batch of due jobs (asynchronous continuations) for <paramref name="owner"/> and runs them.
    /// A job whose step fails is not committed: it is tried again after the delay of its element's
    /// <c>camunda:failedJobRetryTimeCycle</c> (default: <see cref="WorkflowEngineOptions.DefaultJobRetries"/>
    /// attempts); the last failing attempt commits and leaves an incident at the element. Returns how many ran.
    /// </summary>
    public async Task<int> RunDueJobsAsync(string owner, CancellationToken cancellationToken = default)
    {
        var jobs = await Store.AcquireJobsAsync(owner, Time.GetUtcNow(), Options.JobBatchSize, Options.JobLockDuration, cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            await RunJobAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return jobs.Count;
    }

    /// <summary>Runs one job now, whatever its due time (administrators and tests).</summary>
    public async Task ExecuteJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = (await Store.QueryJobsAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(j => j.Id == jobId)
            ?? throw new WorkflowException($"Job '{jobId}' does not exist or has run already.") { Code = "not-found" };

        // Run outside any worker's lock: a worker holding it keeps renewing its own.
        await RunJobAsync(job with { LockOwner = null }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs due jobs until none is left (or <paramref name="max"/> ran); returns how many ran.</summary>
    public async Task<int> RunPendingJobsAsync(int max = 10_000, CancellationToken cancellationToken = default)
    {
        var ran = 0;
        while (ran < max && await RunDueJobsAsync("local", cancellationToken).ConfigureAwait(false) is > 0 and var count)
        {
            ran += count;
        }

        return ran;
    }

    /// <summary>Gives a job <paramref name="retries"/> more attempts, due now (after its retries ran out, say).</summary>
    public async Task SetJobRetriesAsync(string jobId, int retries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        if (!await Store.SetJobRetriesAsync(jobId, retries, Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Job '{jobId}' does not exist.") { Code = "not-found" };
        }
    }

    private async Task RunJobAsync(JobInfo job, CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = job.LockOwner is { } owner ? RenewJobLockAsync(job.Id, owner, running.Token) : Task.CompletedTask;
        try
        {
            await RunJobStepAsync(job, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extends a running job's lock every <see cref="WorkflowEngineOptions.JobLockRenewalInterval"/> until the job
    /// ends (<paramref name="cancellationToken"/>) or the lock turns out to be someone else's; a failed renewal
    /// is tried again at the next beat.
    /// </summary>
    private async Task RenewJobLockAsync(string jobId, string owner, CancellationToken cancellationToken)
    {
        var interval = Options.JobLockRenewalInterval ?? Options.JobLockDuration / 3;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // Beats on a fixed cadence from the job's start: time that passes while a renewal is under way counts towards
        // the next beat rather than delaying it.
        using var beats = new PeriodicTimer(interval, Time);
        try
        {
            while (await beats.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (!await Store.ExtendJobLockAsync(jobId, owner, Time.GetUtcNow() + Options.JobLockDuration, cancellationToken).ConfigureAwait(false))
                    {
                        LogJobLockLost(_logger, jobId, owner);
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogJobLockRenewalFailed(_logger, jobId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job ended (or the worker stops): no more renewals.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is no longer locked by {Owner}; its lock is not renewed any more")]
    private static partial void LogJobLockLost(ILogger logger, string jobId, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lock of job {JobId} failed; trying again at the next beat")]
    private static partial void LogJobLockRenewalFailed(ILogger logger, string jobId, Exception exception);

    /// <summary>Tells the step's work it was stored; the step is stored whatever the work then does, so a failure there is logged, not thrown.</summary>
    private void TellCommitted(Step step)
    {
        try
        {
            step.Committed();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStepWorkCommittedFailed(_logger, step.Instance.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of instance {InstanceId} was stored, but its work failed in what it does after the commit")]
    private static partial void LogStepWorkCommittedFailed(ILogger logger, string instanceId, Exception exception);

    private async Task RunJobStepAsync(JobInfo job, CancellationToken cancellationToken)
    {
        (DateTimeOffset DueAt, string Message)? retry = null;
        await RunStepAsync(job.ProcessInstanceId, step => step.ContinueJob(job.NodeId), cancellationToken, commitWhen: step =>
        {
            if (step.IncidentsRaised == 0 || job.Retries <= 1)
            {
                return true;
            }

            var element = step.Instance.Definition.Element(job.ElementId) as FlowNode;
            var schedule = RetrySchedule.TryParse(element?.FailedJobRetryTimeCycle, Options.DefaultJobRetries, out var parsed) ? parsed : RetrySchedule.Parse(null, Options.DefaultJobRetries);
            var attempt = Math.Max(1, schedule.Retries - job.Retries + 1);
            retry = (schedule.DueAfterFailure(attempt, Time.GetUtcNow()), step.Instance.Incidents[^1].Message);
            return false;
        }).ConfigureAwait(false);
        if (retry is { } failed)
        {
            await Store.FailJobAsync(job.Id, job.Retries - 1, failed.DueAt, failed.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- incidents ------------------------------------------------------------------------------

    /// <summary>Open incidents of active instances (of one instance when given); only instances marked as having one are read.</summary>
    public async Task<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(string? instanceId = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> ids = instanceId is not null
            ? [instanceId]
            : [.. (await Store.QueryInstancesAsync(null, activeOnly: true, withIncidentOnly: true, cancellationToken).ConfigureAwait(false)).Select(i => i.Id)];
        var result = new List<IncidentInfo>();
        foreach (var id in ids)
        {
            var info = await GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            result.AddRange(info.Incidents.Select(i => new IncidentInfo(info.Id, info.DefinitionId, i.NodeId, i.ElementId, i.Type, i.Message, i.CreatedAt)));
        }

        return result;
    }

    /// <summary>Runs the failed element of an incident again; a new failure raises a new incident.</summary>
    public async Task RetryIncidentAsync(string instanceId, int nodeId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.RetryFailed(nodeId), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' has no incident at node {nodeId}.") { Code = "not-found" };
        }
    }

    /// <summary>Closes an incident as handled outside the process: its token moves on without running the element again.</summary>
    public async Task ResolveIncidentAsync(string instanceId, int nodeId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.ResolveFailed(nodeId), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' has no incident at node {nodeId}.") { Code = "not-found" };
        }
    }

    /// <summary>Ends an instance at once (administrator action); its called instances end too.</summary>
    public async Task TerminateInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.TerminateInstance(), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' does not exist or has ended already.") { Code = "conflict" };
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
