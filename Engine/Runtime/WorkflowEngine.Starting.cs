using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Starting process instances: by key, by definition and start event, with the host's step work, and called instances.</summary>
public sealed partial class WorkflowEngine
{
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
        using var span = EngineMetrics.Tracing.StartActivity("engine start");
        span?.SetTag("cw.instance_id", instance.Id);
        span?.SetTag("cw.process_key", definition.Key);
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
                var commitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                await lease.CommitAsync(step.Changes, cancellationToken).ConfigureAwait(false);
                Metrics?.Started(definition.Key);
                Metrics?.Committed(step, InstanceStatus.Active, System.Diagnostics.Stopwatch.GetElapsedTime(commitStarted), Time.GetUtcNow());
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
}
