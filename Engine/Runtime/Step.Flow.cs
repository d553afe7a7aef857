using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Token movement: nodes entered and left, sequence flows taken, scopes started and completed, cancellation and failure.</summary>
internal sealed partial class Step
{
    public ExecutionNode CreateNode(BaseElement element, ExecutionNode? parent, string? arrivedBy = null)
    {
        var node = new ExecutionNode(Instance, Instance.AllocateNodeId(), element, parent) { ArrivedBy = arrivedBy };
        parent?.AddChild(node);
        Journal(JournalKind.ElementEntered, node);
        return node;
    }

    /// <summary>Starts a process or sub-process scope at its none start event and subscribes its event sub-processes.</summary>
    public void StartScope(ExecutionNode scope, FlowContainer container, StartEvent? startEvent = null)
    {
        if (scope == Instance.Root)
        {
            Journal(JournalKind.ProcessStarted, scope);
            RunExecutionListeners(scope, scope.Element, ListenerEvent.Start);
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
        RunExecutionListeners(node, element, ListenerEvent.Start);
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
            // A user task is left when it was completed: its complete listeners, the output mapping, its end listeners.
            RunTaskListeners(node, ListenerEvent.Complete);
            ApplyOutputs(node, element);
            RunExecutionListeners(node, element, ListenerEvent.End);
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
        foreach (var flow in taken)
        {
            RunExecutionListeners(node, flow, ListenerEvent.Take);
        }

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
        // A user task's journal entry keeps the task's id, for the history of activity instances (Camunda's taskId).
        Journal(how, node, node.Element is UserTask ? node.Task?.TaskId ?? node.EndedTaskId : null);
        node.Parent?.Children?.Remove(node);
        RemoveSubscriptionsOf(node);
        if (node.Task is { } task)
        {
            Changes.TaskRemoved(task.TaskId);
            node.Task = null;
        }

        if (node.External is { } external)
        {
            Changes.ExternalTaskRemoved(external.Id);
            node.External = null;
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
        // As in Camunda: the tokens still running end first (their end listeners run), then the process.
        foreach (var child in Instance.Root.Children?.ToList() ?? [])
        {
            Cancel(child);
        }

        RunExecutionListeners(Instance.Root, Instance.Root.Element, ListenerEvent.End);

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
        // Camunda runs the end listeners of an activity that is cancelled once it has begun (its start listeners ran):
        // a waiting activity, a running scope, a waiting event gateway; not one queued to be entered or waiting before it.
        var begun = node.State switch
        {
            NodeState.Waiting => node.Wait is not (WaitKind.AsyncBefore or WaitKind.AsyncAfter),
            NodeState.Running => node.Children is { Count: > 0 },
            _ => false,
        };
        if (node.Children is { } children)
        {
            foreach (var child in children.ToList())
            {
                Cancel(child);
            }
        }

        if (node.Task is not null)
        {
            RunTaskListeners(node, ListenerEvent.Delete);
        }

        if (begun && node.Element is FlowNode element)
        {
            RunExecutionListeners(node, element, ListenerEvent.End);
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
}
