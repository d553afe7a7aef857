using System.Globalization;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Timers;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// One atomic step over one instance: runs its agenda until every token waits, collecting what must
/// happen afterwards to other instances (messages, signals, called instances). Single-threaded; the
/// engine holds the instance's lock for the whole step.
/// </summary>
internal sealed partial class Step(WorkflowEngine engine, ProcessInstance instance, CancellationToken cancellationToken)
{
    private readonly Queue<(Op Op, ExecutionNode Node)> _agenda = new();
    private int _operations;

    public ProcessInstance Instance { get; } = instance;

    /// <summary>Work for other instances, run by the engine after this step.</summary>
    public List<PostAction> After { get; } = [];

    /// <summary>Tasks, waits and jobs the step created or ended, for the engine's indexes.</summary>
    public StepChanges Changes { get; } = new();

    private DateTimeOffset Now => engine.Time.GetUtcNow();

    private ExpressionEngine Expressions => engine.Expressions;

    internal enum Op
    {
        Enter,
        EnterSkipAsync,
        Execute,
        Leave,
        LeaveSkipAsync,
        CheckInclusiveJoins,
    }

    public void Schedule(Op op, ExecutionNode node) => _agenda.Enqueue((op, node));

    /// <summary>Incidents this step raised (a job whose step raises one is retried instead of committed).</summary>
    public int IncidentsRaised { get; private set; }

    /// <summary>The person on whose behalf the step runs (a task completion), for the journal.</summary>
    public string? UserId { get; set; }

    /// <summary>Starts recording into the journal; the engine calls <see cref="Finish"/> when the step is over.</summary>
    public Step Begin()
    {
        Instance.Recorder = this;
        return this;
    }

    public void Finish() => Instance.Recorder = null;

    /// <summary>
    /// The step's work of type <typeparamref name="T"/>, created at first use; null when the store cannot write it with
    /// the step (the in-memory store, or another database than the store's), and then the activity writes on its own.
    /// </summary>
    internal T? Work<T>(Func<T> create)
        where T : class, Persistence.IStepWork
    {
        foreach (var existing in Changes.Work)
        {
            if (existing is T mine)
            {
                return mine;
            }
        }

        var work = create();
        if (!engine.Store.CommitsStepWorkFor(work.Database))
        {
            work.Dispose();
            return null;
        }

        Changes.Work.Add(work);
        return work;
    }

    /// <summary>After the commit: tells the work's waiters.</summary>
    public void Committed()
    {
        foreach (var work in Changes.Work)
        {
            work.Committed();
        }
    }

    /// <summary>Lets go of the work's resources, committed or not.</summary>
    public void DisposeWork()
    {
        foreach (var work in Changes.Work)
        {
            work.Dispose();
        }

        Changes.Work.Clear();
    }

    internal void Journal(JournalKind kind, ExecutionNode node, string? detail = null)
    {
        if (!engine.Options.KeepJournal)
        {
            return;
        }

        Changes.Journal.Add(new JournalEntry(Instance.NextJournalSequence++, Now, kind, node.Id, node.ElementId, node.Element.TypeName, UserId, detail));
    }

    internal void VariableSet(ExecutionNode scope, string name, object? value)
    {
        if (engine.Options.KeepJournal)
        {
            var described = engine.Options.PersonalVariables.Contains(name) ? Variables.VariableValues.DescribeMasked(value) : Variables.VariableValues.Describe(value);
            Journal(JournalKind.VariableSet, scope, $"{name} = {described}");
        }
    }

    public async ValueTask RunAsync()
    {
        while (_agenda.TryDequeue(out var item))
        {
            var node = item.Node;
            if (node.Cancelled || node.State == NodeState.Failed)
            {
                continue;
            }

            if (++_operations > engine.Options.MaxOperationsPerStep)
            {
                Fail(node, "step-limit", $"More than {engine.Options.MaxOperationsPerStep} operations without reaching a wait state; the process may loop without waiting.");
                _agenda.Clear();
                break;
            }

            try
            {
                switch (item.Op)
                {
                    case Op.Enter:
                        Enter(node, skipAsync: false);
                        break;
                    case Op.EnterSkipAsync:
                        Enter(node, skipAsync: true);
                        break;
                    case Op.Execute:
                        await ExecuteAsync(node).ConfigureAwait(false);
                        break;
                    case Op.Leave:
                        Leave(node, skipAsync: false);
                        break;
                    case Op.LeaveSkipAsync:
                        Leave(node, skipAsync: true);
                        break;
                    case Op.CheckInclusiveJoins:
                        CheckInclusiveJoins(node);
                        break;
                }
            }
            catch (ExpressionException ex)
            {
                Fail(node, ex.IsLimitExceeded ? "expression-limit" : "expression-failed", ex.Message, item.Op);
            }
            catch (WorkflowException ex)
            {
                Fail(node, ex.Code, ex.Message, item.Op);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(node, "failed", $"{ex.GetType().Name}: {ex.Message}", item.Op);
            }
        }
    }

    // ---- node lifecycle -------------------------------------------------------------------------

    public ExecutionNode CreateNode(BaseElement element, ExecutionNode? parent, string? arrivedBy = null)
    {
        var node = new ExecutionNode(Instance, Instance.AllocateNodeId(), element, parent) { ArrivedBy = arrivedBy };
        parent?.AddChild(node);
        Journal(JournalKind.ElementEntered, node);
        return node;
    }

    private void Enter(ExecutionNode node, bool skipAsync)
    {
        node.State = NodeState.Running;
        var element = (FlowNode)node.Element;
        if (element.AsyncBefore && !skipAsync && node.MultiInstance != MultiInstanceRole.Inner)
        {
            Wait(node, WaitKind.AsyncBefore);
            AddJob(node, element);
            return;
        }

        if (element is Activity { MultiInstance: not null } && node.MultiInstance == MultiInstanceRole.None)
        {
            StartMultiInstance(node);
            return;
        }

        ApplyInputs(node, element);
        if (element is Activity activity && node.MultiInstance != MultiInstanceRole.Inner)
        {
            SubscribeBoundaryEvents(node, activity);
        }

        Schedule(Op.Execute, node);
    }

    private void AddJob(ExecutionNode node, FlowNode element)
    {
        var retries = Timers.RetrySchedule.TryParse(element.FailedJobRetryTimeCycle, engine.Options.DefaultJobRetries, out var schedule) ? schedule.Retries : engine.Options.DefaultJobRetries;
        Changes.JobAdded(node, Now, Math.Max(1, retries));
    }

    private void ApplyInputs(ExecutionNode node, FlowNode element)
    {
        foreach (var input in element.InputParameters)
        {
            // Inputs are evaluated in the parent's scope so an input can shadow the variable it reads.
            node.SetLocalVariable(input.Name, EvaluateIo(input.Value, node.Parent ?? node));
        }
    }

    private object? EvaluateIo(IoValue value, IVariableScope scope) => value switch
    {
        IoExpressionValue e => Expressions.Evaluate(e.Expression, scope),
        IoScriptValue s => Expressions.Evaluate(s.Script, scope),
        IoListValue l => l.Items.Select(i => EvaluateIo(i, scope)).ToList(),
        IoMapValue m => m.Entries.ToDictionary(kv => kv.Key, kv => EvaluateIo(kv.Value, scope), StringComparer.Ordinal),
        _ => null,
    };

    private void Leave(ExecutionNode node, bool skipAsync)
    {
        if (node.MultiInstance == MultiInstanceRole.Body)
        {
            TakeOutgoing(node);
            return;
        }

        var element = (FlowNode)node.Element;
        if (!skipAsync)
        {
            ApplyOutputs(node, element);
            if (element.AsyncAfter)
            {
                Wait(node, WaitKind.AsyncAfter);
                AddJob(node, element);
                return;
            }
        }

        if (node.MultiInstance == MultiInstanceRole.Inner)
        {
            InnerCompleted(node.Parent!, node);
            return;
        }

        TakeOutgoing(node);
    }

    private void ApplyOutputs(ExecutionNode node, FlowNode element)
    {
        if (element.OutputParameters.Count == 0)
        {
            return;
        }

        var target = node.Parent ?? node;
        foreach (var output in element.OutputParameters)
        {
            target.SetVariable(output.Name, EvaluateIo(output.Value, node));
        }
    }

    private static void Wait(ExecutionNode node, WaitKind kind)
    {
        node.State = NodeState.Waiting;
        node.Wait = kind;
    }

    private void TakeOutgoing(ExecutionNode node)
    {
        var element = (FlowNode)node.Element;
        var parent = node.Parent!;
        var taken = SelectFlows(node, element);
        RemoveNode(node);
        foreach (var flow in taken)
        {
            Schedule(Op.Enter, CreateNode(flow.Target, parent, flow.Id));
        }

        AfterRemoval(parent);
    }

    private List<SequenceFlow> SelectFlows(ExecutionNode node, FlowNode element)
    {
        var outgoing = element.Outgoing;
        var taken = new List<SequenceFlow>(outgoing.Count);
        if (outgoing.Count == 0)
        {
            return taken;
        }

        var defaultFlow = element switch
        {
            Gateway g => g.DefaultFlow,
            Activity a => a.DefaultFlow,
            _ => null,
        };

        switch (element.Kind)
        {
            case ElementKind.ParallelGateway:
                taken.AddRange(outgoing);
                return taken;
            case ElementKind.ExclusiveGateway:
                foreach (var flow in outgoing)
                {
                    if (flow != defaultFlow && (flow.Condition is null || Expressions.EvaluateCondition(flow.Condition, node)))
                    {
                        taken.Add(flow);
                        return taken;
                    }
                }

                return defaultFlow is not null
                    ? [defaultFlow]
                    : throw new WorkflowException($"No outgoing sequence flow of exclusive gateway '{element.Id}' has a true condition, and there is no default flow.") { Code = "no-outgoing-flow" };
            default:
                foreach (var flow in outgoing)
                {
                    if (flow != defaultFlow && (flow.Condition is null || Expressions.EvaluateCondition(flow.Condition, node)))
                    {
                        taken.Add(flow);
                    }
                }

                if (taken.Count == 0)
                {
                    if (defaultFlow is not null)
                    {
                        taken.Add(defaultFlow);
                    }
                    else if (element.Kind == ElementKind.InclusiveGateway || outgoing.Any(f => f.Condition is not null))
                    {
                        throw new WorkflowException($"No outgoing sequence flow of {element.TypeName} '{element.Id}' has a true condition, and there is no default flow.") { Code = "no-outgoing-flow" };
                    }
                }

                return taken;
        }
    }

    /// <summary>Removes a finished (or cancelled) node from its parent and from every index; nothing else.</summary>
    private void RemoveNode(ExecutionNode node, JournalKind how = JournalKind.ElementCompleted)
    {
        Journal(how, node);
        node.Parent?.Children?.Remove(node);
        RemoveSubscriptionsOf(node);
        if (node.Task is { } task)
        {
            Changes.TaskRemoved(task.TaskId);
            node.Task = null;
        }

        if (node.Wait is WaitKind.AsyncBefore or WaitKind.AsyncAfter)
        {
            Changes.JobRemoved(node);
        }
    }

    /// <summary>After a node left <paramref name="scope"/>: complete the scope if empty, else re-check waiting inclusive joins.</summary>
    private void AfterRemoval(ExecutionNode scope)
    {
        if (scope.Cancelled)
        {
            return;
        }

        if (!scope.HasChildren)
        {
            CompleteScope(scope);
            return;
        }

        foreach (var child in scope.Children!)
        {
            if (child.State == NodeState.Joining && child.Element.Kind == ElementKind.InclusiveGateway)
            {
                Schedule(Op.CheckInclusiveJoins, scope);
                return;
            }
        }
    }

    private void CompleteScope(ExecutionNode scope)
    {
        if (scope == Instance.Root)
        {
            EndInstance(InstanceStatus.Completed);
            return;
        }

        if (scope.MultiInstance == MultiInstanceRole.Body)
        {
            // A body empties only through InnerCompleted or cancellation, which handle it.
            return;
        }

        Schedule(Op.Leave, scope);
    }

    private void EndInstance(InstanceStatus status)
    {
        foreach (var child in Instance.Root.Children?.ToList() ?? [])
        {
            Cancel(child);
        }

        RemoveSubscriptionsOf(Instance.Root);
        Instance.Status = status;
        Instance.EndedAt = Now;
        Journal(status == InstanceStatus.Completed ? JournalKind.ProcessCompleted : JournalKind.ProcessTerminated, Instance.Root);
        _agenda.Clear();
        if (Instance.ParentInstanceId is { } parentId)
        {
            After.Add(new PostAction.ResumeCaller(parentId, Instance.ParentNodeId, Instance.Id, VisibleVariables(Instance.Root)));
        }
    }

    /// <summary>Cancels a node and everything below it: waits, tasks, subscriptions, called instances.</summary>
    public void Cancel(ExecutionNode node)
    {
        if (node.Children is { } children)
        {
            foreach (var child in children.ToList())
            {
                Cancel(child);
            }
        }

        node.Cancelled = true;
        if (node.CalledInstanceId is { } called)
        {
            After.Add(new PostAction.TerminateInstance(called));
        }

        if (node.State == NodeState.Failed)
        {
            Instance.Incidents.RemoveAll(i => i.NodeId == node.Id);
        }

        RemoveNode(node, JournalKind.ElementCancelled);
    }

    public void Fail(ExecutionNode node, string type, string message, Op? failedOp = null)
    {
        node.State = NodeState.Failed;
        node.FailedOp = failedOp;
        IncidentsRaised++;
        Instance.Incidents.Add(new Incident(node.Id, node.ElementId, type, message, Now));
        Journal(JournalKind.Incident, node, $"{type}: {message}");
        engine.LogIncident(Instance, node.ElementId, type, message);
    }

    // ---- element behaviour ----------------------------------------------------------------------

    private async ValueTask ExecuteAsync(ExecutionNode node)
    {
        switch (node.Element)
        {
            case StartEvent:
            case BoundaryEvent:
            case PassThroughTask:
                Schedule(Op.Leave, node);
                break;
            case EndEvent end:
                ExecuteEndEvent(node, end);
                break;
            case IntermediateThrowEvent throwEvent:
                ExecuteThrowEvent(node, throwEvent);
                break;
            case IntermediateCatchEvent catchEvent:
                ExecuteCatchEvent(node, catchEvent);
                break;
            case UserTask userTask:
                CreateUserTask(node, userTask);
                break;
            case ServiceTask serviceTask:
                await ExecuteServiceTaskAsync(node, serviceTask).ConfigureAwait(false);
                break;
            case ScriptTask script:
                var result = Expressions.Evaluate(script.Script, node);
                if (script.ResultVariable is { } resultVariable)
                {
                    (node.Parent ?? node).SetVariable(resultVariable, result);
                }

                Schedule(Op.Leave, node);
                break;
            case ReceiveTask receive:
                Wait(node, WaitKind.Message);
                AddMessageSubscription(node, receive, receive.Message, null);
                break;
            case SubProcess sub when !sub.TriggeredByEvent:
                StartScope(node, sub.Container);
                break;
            case CallActivity call:
                StartCalledInstance(node, call);
                break;
            case GatewayNode gateway:
                ExecuteGateway(node, gateway);
                break;
            default:
                Fail(node, "unsupported", $"The engine cannot execute {node.Element.TypeName} '{node.ElementId}'.");
                break;
        }
    }

    /// <summary>Starts a process or sub-process scope at its none start event and subscribes its event sub-processes.</summary>
    public void StartScope(ExecutionNode scope, FlowContainer container, StartEvent? startEvent = null)
    {
        if (scope == Instance.Root)
        {
            Journal(JournalKind.ProcessStarted, scope);
        }

        Wait(scope, WaitKind.None);
        scope.State = NodeState.Running;
        SubscribeEventSubProcesses(scope, container);
        startEvent ??= container.StartEvents.FirstOrDefault(s => s.Definition is null) ?? (container.StartEvents.Count > 0 ? container.StartEvents[0] : null);
        if (startEvent is null)
        {
            Fail(scope, "no-start-event", $"{scope.Element.TypeName} '{scope.ElementId}' has no start event to begin at.");
            return;
        }

        Schedule(Op.Enter, CreateNode(startEvent, scope));
    }

    private void ExecuteEndEvent(ExecutionNode node, EndEvent end)
    {
        switch (end.Definition)
        {
            case TerminateEventDefinition:
                Terminate(node.Parent!);
                return;
            case ErrorEventDefinition error:
                ThrowError(node, error.ErrorCode ?? "", error.ErrorName ?? error.ErrorCode ?? "error", fromActivity: false);
                return;
        }

        if (Throw(node, end.Definition))
        {
            var parent = node.Parent!;
            RemoveNode(node);
            AfterRemoval(parent);
        }
    }

    /// <summary>
    /// Throws what an end or intermediate throw event throws (escalation, message, signal). False when
    /// an interrupting catch ended the thrower's path.
    /// </summary>
    private bool Throw(ExecutionNode node, EventDefinition? definition)
    {
        switch (definition)
        {
            case EscalationEventDefinition escalation:
                ThrowEscalation(node, escalation.EscalationCode ?? "");
                break;
            case MessageEventDefinition message:
                SendMessage(node, message);
                break;
            case SignalEventDefinition signal:
                SendSignal(node, signal);
                break;
        }

        return !node.Cancelled;
    }

    /// <summary>Terminate end event: ends every token of the scope; the scope itself then completes.</summary>
    private void Terminate(ExecutionNode scope)
    {
        if (scope == Instance.Root)
        {
            EndInstance(InstanceStatus.Terminated);
            return;
        }

        Interrupt(scope);
        CompleteScope(scope);
    }

    private void ExecuteThrowEvent(ExecutionNode node, IntermediateThrowEvent throwEvent)
    {
        switch (throwEvent.Definition)
        {
            case LinkEventDefinition link:
                var target = Instance.Definition.LinkTarget(throwEvent.Scope, link.LinkName)
                    ?? throw new WorkflowException($"No link catch event named '{link.LinkName}' for link throw '{throwEvent.Id}'.") { Code = "invalid" };
                var parent = node.Parent!;
                RemoveNode(node);
                Schedule(Op.Leave, CreateNode(target, parent));
                return;
        }

        if (Throw(node, throwEvent.Definition))
        {
            Schedule(Op.Leave, node);
        }
    }

    private void ExecuteCatchEvent(ExecutionNode node, IntermediateCatchEvent catchEvent)
    {
        switch (catchEvent.Definition)
        {
            case MessageEventDefinition message:
                Wait(node, WaitKind.Message);
                AddMessageSubscription(node, catchEvent, message.Message, message.CorrelationKey);
                return;
            case SignalEventDefinition signal:
                Wait(node, WaitKind.Signal);
                AddSignalSubscription(node, catchEvent, signal);
                return;
            case TimerEventDefinition timer:
                Wait(node, WaitKind.Timer);
                AddTimerSubscription(node, catchEvent, timer);
                return;
            default:
                Schedule(Op.Leave, node);
                return;
        }
    }

    private void CreateUserTask(ExecutionNode node, UserTask userTask)
    {
        var now = Now;
        var state = new UserTaskState
        {
            TaskId = engine.NewId(),
            Assignee = EvaluateString(userTask.Assignee, node),
            CandidateUsers = EvaluateList(userTask.CandidateUsers, node),
            CandidateGroups = EvaluateList(userTask.CandidateGroups, node),
            DueDate = EvaluateDate(userTask.DueDate, node, now),
            FollowUpDate = EvaluateDate(userTask.FollowUpDate, node, now),
            Priority = EvaluatePriority(userTask.Priority, node),
            FormKey = userTask.FormKey,
            CreatedAt = now,
        };
        node.Task = state;
        Wait(node, WaitKind.UserTask);
        Changes.TaskCreated(node);
    }

    private async ValueTask ExecuteServiceTaskAsync(ExecutionNode node, ServiceTask task)
    {
        switch (task.Implementation)
        {
            case ImplementationKind.DelegateExpression:
            case ImplementationKind.Class:
                var name = task.ActivityName ?? EvaluateString(task.ImplementationExpression, node)
                    ?? throw new WorkflowException($"Service task '{task.Id}' names no activity.") { Code = "unknown-activity" };
                if (!engine.Activities.TryResolve(name, engine.Services, out var activity, out var descriptor))
                {
                    throw new WorkflowException($"Service task '{task.Id}' refers to activity '{name}', which is not registered.") { Code = "unknown-activity" };
                }

                try
                {
                    var pending = activity.ExecuteAsync(new ActivityContext(node, descriptor, engine.Time, engine.Services, this), cancellationToken);
                    if (!pending.IsCompletedSuccessfully)
                    {
                        await pending.ConfigureAwait(false);
                    }
                }
                catch (BpmnErrorException error)
                {
                    ThrowError(node, error.ErrorCode, error.Message, fromActivity: true);
                    return;
                }

                break;
            case ImplementationKind.Expression:
                var value = Expressions.Evaluate(task.ImplementationExpression!, node);
                if (task.ResultVariable is { } resultVariable)
                {
                    (node.Parent ?? node).SetVariable(resultVariable, value);
                }

                break;
            case ImplementationKind.External:
                throw new WorkflowException($"Service task '{task.Id}' is an external task (topic '{task.Topic}'), which this engine does not run.") { Code = "unsupported" };
            case ImplementationKind.None when task.Message is not null:
                SendMessage(node, task.Message, null);
                break;
        }

        Schedule(Op.Leave, node);
    }

    // ---- gateways -------------------------------------------------------------------------------

    private void ExecuteGateway(ExecutionNode node, GatewayNode gateway)
    {
        switch (gateway.Kind)
        {
            case ElementKind.ParallelGateway when gateway.Incoming.Count > 1:
                node.State = NodeState.Joining;
                TryJoinParallel(node, gateway);
                return;
            case ElementKind.InclusiveGateway when gateway.Incoming.Count > 1:
                node.State = NodeState.Joining;
                Schedule(Op.CheckInclusiveJoins, node.Parent!);
                return;
            case ElementKind.EventBasedGateway:
                Wait(node, WaitKind.EventGateway);
                foreach (var flow in gateway.Outgoing)
                {
                    switch (flow.Target)
                    {
                        case IntermediateCatchEvent { Definition: MessageEventDefinition message } target:
                            AddMessageSubscription(node, target, message.Message, message.CorrelationKey);
                            break;
                        case IntermediateCatchEvent { Definition: SignalEventDefinition signal } target:
                            AddSignalSubscription(node, target, signal);
                            break;
                        case IntermediateCatchEvent { Definition: TimerEventDefinition timer } target:
                            AddTimerSubscription(node, target, timer);
                            break;
                        case ReceiveTask receive:
                            AddMessageSubscription(node, receive, receive.Message, null);
                            break;
                        default:
                            throw new WorkflowException($"Event-based gateway '{gateway.Id}' leads to {flow.Target}, which is not a message, signal or timer catch event or a receive task.") { Code = "invalid" };
                    }
                }

                return;
            default:
                Schedule(Op.Leave, node);
                return;
        }
    }

    private void TryJoinParallel(ExecutionNode node, GatewayNode gateway)
    {
        var parent = node.Parent!;
        var arrivals = new Dictionary<string, ExecutionNode>(StringComparer.Ordinal);
        foreach (var sibling in parent.Children!)
        {
            if (sibling.Element == gateway && sibling.State == NodeState.Joining && sibling.ArrivedBy is { } flow)
            {
                arrivals.TryAdd(flow, sibling);
            }
        }

        if (arrivals.Count < gateway.Incoming.Count)
        {
            return;
        }

        Join(node, arrivals.Values);
    }

    private void CheckInclusiveJoins(ExecutionNode scope)
    {
        if (scope.Cancelled || scope.Children is null)
        {
            return;
        }

        var gateways = scope.Children.Where(c => c.State == NodeState.Joining && c.Element.Kind == ElementKind.InclusiveGateway)
            .Select(c => c.Element).Distinct().ToList();
        foreach (var gateway in gateways)
        {
            var upstream = Instance.Definition.UpstreamOf(gateway.Id);
            var blocked = false;
            var arrivals = new Dictionary<string, ExecutionNode>(StringComparer.Ordinal);
            foreach (var child in scope.Children)
            {
                if (child.Element == gateway && child.State == NodeState.Joining)
                {
                    arrivals.TryAdd(child.ArrivedBy ?? "", child);
                }
                else if (child.Element == gateway || upstream.Contains(child.ElementId))
                {
                    blocked = true;
                    break;
                }
            }

            if (!blocked && arrivals.Count > 0)
            {
                Join(arrivals.Values.First(), arrivals.Values);
                return;
            }
        }
    }

    /// <summary>Merges the joining tokens into <paramref name="survivor"/>, which leaves the gateway.</summary>
    private void Join(ExecutionNode survivor, IEnumerable<ExecutionNode> arrivals)
    {
        foreach (var other in arrivals.ToList())
        {
            if (other != survivor)
            {
                RemoveNode(other);
            }
        }

        survivor.State = NodeState.Running;
        Schedule(Op.Leave, survivor);
    }

    // ---- multi-instance -------------------------------------------------------------------------

    private void StartMultiInstance(ExecutionNode body)
    {
        var activity = (Activity)body.Element;
        var mi = activity.MultiInstance!;
        body.MultiInstance = MultiInstanceRole.Body;
        Wait(body, WaitKind.None);
        body.State = NodeState.Running;
        List<object?> items;
        if (mi.Collection is { } collection)
        {
            var value = collection.IsLiteral
                ? (body.TryGetVariable(collection.Text, out var variable) ? variable : throw new WorkflowException($"Multi-instance collection variable '{collection.Text}' of '{activity.Id}' is not set.") { Code = "invalid" })
                : Expressions.Evaluate(collection, body);
            items = value as List<object?> ?? throw new WorkflowException($"Multi-instance collection of '{activity.Id}' is {VariableValues.Describe(value)}, not a list.") { Code = "invalid" };
        }
        else
        {
            var count = Expressions.Evaluate(mi.LoopCardinality!, body) switch
            {
                long l => l,
                double d => (long)d,
                string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                var other => throw new WorkflowException($"Loop cardinality of '{activity.Id}' is {VariableValues.Describe(other)}, not a number.") { Code = "invalid" },
            };
            if (count < 0 || count > engine.Options.MaxMultiInstanceCount)
            {
                throw new WorkflowException($"Loop cardinality of '{activity.Id}' is {count}; it must be between 0 and {engine.Options.MaxMultiInstanceCount}.") { Code = "invalid" };
            }

            items = Enumerable.Repeat<object?>(null, (int)count).ToList();
        }

        body.SetLocalVariable("nrOfInstances", (long)items.Count);
        body.SetLocalVariable("nrOfCompletedInstances", 0L);
        body.SetLocalVariable("nrOfActiveInstances", mi.IsSequential ? Math.Min(1L, items.Count) : items.Count);
        SubscribeBoundaryEvents(body, activity);
        if (items.Count == 0)
        {
            Schedule(Op.Leave, body);
            return;
        }

        if (mi.IsSequential)
        {
            body.PendingItems = items;
            StartInner(body, mi, items[0]);
        }
        else
        {
            foreach (var item in items)
            {
                StartInner(body, mi, item);
            }
        }
    }

    private void StartInner(ExecutionNode body, MultiInstance mi, object? item)
    {
        var inner = CreateNode(body.Element, body);
        inner.MultiInstance = MultiInstanceRole.Inner;
        inner.SetLocalVariable("loopCounter", (long)body.NextLoopCounter++);
        if (mi.ElementVariable is { } elementVariable)
        {
            inner.SetLocalVariable(elementVariable, item);
        }

        Schedule(Op.EnterSkipAsync, inner);
    }

    private void InnerCompleted(ExecutionNode body, ExecutionNode inner)
    {
        var activity = (Activity)body.Element;
        var mi = activity.MultiInstance!;
        var completed = (long)body.Variables!["nrOfCompletedInstances"]! + 1;
        var active = (long)body.Variables!["nrOfActiveInstances"]! - 1;
        body.Variables["nrOfCompletedInstances"] = completed;
        body.Variables["nrOfActiveInstances"] = active;
        var done = mi.CompletionCondition is { } condition && Expressions.EvaluateCondition(condition, inner);
        RemoveNode(inner);
        if (done)
        {
            foreach (var other in body.Children?.ToList() ?? [])
            {
                Cancel(other);
            }

            body.PendingItems = null;
            Schedule(Op.Leave, body);
            return;
        }

        var total = (long)body.Variables["nrOfInstances"]!;
        if (mi.IsSequential && completed < total)
        {
            body.Variables["nrOfActiveInstances"] = 1L;
            StartInner(body, mi, body.PendingItems![(int)completed]);
            return;
        }

        if (active <= 0 && !body.HasChildren)
        {
            body.PendingItems = null;
            Schedule(Op.Leave, body);
        }
    }

    // ---- call activity --------------------------------------------------------------------------

    private void StartCalledInstance(ExecutionNode node, CallActivity call)
    {
        var key = EvaluateString(call.CalledElement, node)
            ?? throw new WorkflowException($"Call activity '{call.Id}' names no process to call.") { Code = "invalid" };
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        var visible = VisibleVariables(node);
        foreach (var mapping in call.InMappings)
        {
            MapVariables(mapping, node, visible, variables);
        }

        var businessKey = call.BusinessKey is { } bk ? EvaluateString(bk, node) : null;
        var childId = engine.NewId();
        node.CalledInstanceId = childId;
        Wait(node, WaitKind.CalledInstance);
        After.Add(new PostAction.StartCalled(childId, key, call.CalledElementBinding == "version" ? call.CalledElementVersion : null, variables, businessKey, Instance.Id, node.Id));
    }

    /// <summary>Applies one camunda:in/out mapping, reading from <paramref name="source"/> (whose variables are <paramref name="visible"/>).</summary>
    internal void MapVariables(VariableMapping mapping, IVariableScope source, IReadOnlyDictionary<string, object?> visible, Dictionary<string, object?> into)
    {
        if (mapping.AllVariables)
        {
            foreach (var (name, value) in visible)
            {
                into[name] = value;
            }

            return;
        }

        var target = mapping.Target ?? mapping.Source;
        if (target is null)
        {
            return;
        }

        if (mapping.SourceExpression is { } expression)
        {
            into[target] = Expressions.Evaluate(expression, source);
        }
        else if (mapping.Source is { } name && source.TryGetVariable(name, out var value))
        {
            into[target] = value;
        }
    }

    internal static Dictionary<string, object?> VisibleVariables(ExecutionNode node)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var scope = node; scope is not null; scope = scope.Parent)
        {
            if (scope.Variables is { } variables)
            {
                foreach (var (name, value) in variables)
                {
                    result.TryAdd(name, value);
                }
            }
        }

        return result;
    }

    // ---- small evaluation helpers ---------------------------------------------------------------

    private string? EvaluateString(Expression? expression, IVariableScope scope) => expression is null
        ? null
        : Expressions.Evaluate(expression, scope) switch
        {
            null => null,
            string s => s,
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };

    private IReadOnlyList<string> EvaluateList(Expression? expression, IVariableScope scope) => expression is null
        ? []
        : Expressions.Evaluate(expression, scope) switch
        {
            null => [],
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            List<object?> list => list.Where(i => i is not null).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)!).ToList(),
            var other => [Convert.ToString(other, CultureInfo.InvariantCulture)!],
        };

    private DateTimeOffset? EvaluateDate(Expression? expression, IVariableScope scope, DateTimeOffset now)
    {
        if (expression is null)
        {
            return null;
        }

        return Expressions.Evaluate(expression, scope) switch
        {
            null => null,
            DateTimeOffset date => date,
            string s when s.StartsWith('P') && IsoDuration.TryParse(s, out var duration) => duration.AddTo(now),
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date,
            var other => throw new WorkflowException($"'{expression.Text}' gave {VariableValues.Describe(other)}, which is neither a date nor an ISO-8601 duration.") { Code = "invalid" },
        };
    }

    private int EvaluatePriority(Expression? expression, IVariableScope scope) => expression is null
        ? 50
        : Expressions.Evaluate(expression, scope) switch
        {
            null => 50,
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            double d => (int)d,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            var other => throw new WorkflowException($"Priority '{expression.Text}' gave {VariableValues.Describe(other)}, not a number.") { Code = "invalid" },
        };
}
