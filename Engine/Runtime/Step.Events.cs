using System.Globalization;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Timers;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Event subscriptions, boundary and event sub-process triggers, error and escalation propagation.</summary>
internal sealed partial class Step
{
    // ---- subscriptions --------------------------------------------------------------------------

    private void SubscribeBoundaryEvents(ExecutionNode node, Activity activity)
    {
        foreach (var boundary in activity.BoundaryEvents)
        {
            Subscribe(node, boundary);
        }
    }

    private void SubscribeEventSubProcesses(ExecutionNode scope, FlowContainer container)
    {
        foreach (var eventSub in container.EventSubProcesses)
        {
            foreach (var start in eventSub.Container.StartEvents)
            {
                Subscribe(scope, start);
            }
        }
    }

    /// <summary>Subscribes <paramref name="owner"/> to the message/signal/timer of a boundary or event sub-process start.</summary>
    private void Subscribe(ExecutionNode owner, EventNode catching)
    {
        switch (catching.Definition)
        {
            case MessageEventDefinition message:
                AddMessageSubscription(owner, catching, message.Message, message.CorrelationKey);
                break;
            case SignalEventDefinition signal:
                AddSignalSubscription(owner, catching, signal);
                break;
            case TimerEventDefinition timer:
                AddTimerSubscription(owner, catching, timer);
                break;
        }
    }

    private void AddMessageSubscription(ExecutionNode owner, FlowNode catching, MessageRef? message, Expressions.Expression? correlationKey)
    {
        if (message is null)
        {
            throw new WorkflowException($"{catching} has no message to wait for.") { Code = "invalid" };
        }

        var name = Convert.ToString(Expressions.Evaluate(message.Name, owner), CultureInfo.InvariantCulture) ?? message.Id;
        var key = correlationKey is null ? null : Convert.ToString(Expressions.Evaluate(correlationKey, owner), CultureInfo.InvariantCulture);
        AddSubscription(new Subscription
        {
            Id = Instance.NextSubscriptionId++,
            Kind = SubscriptionKind.Message,
            EventElementId = catching.Id,
            OwnerNodeId = owner.Id,
            EventName = name,
            CorrelationKey = key,
        });
    }

    private void AddSignalSubscription(ExecutionNode owner, FlowNode catching, SignalEventDefinition signal)
    {
        var name = SignalName(signal, owner);
        AddSubscription(new Subscription
        {
            Id = Instance.NextSubscriptionId++,
            Kind = SubscriptionKind.Signal,
            EventElementId = catching.Id,
            OwnerNodeId = owner.Id,
            EventName = name,
        });
    }

    private void AddTimerSubscription(ExecutionNode owner, FlowNode catching, TimerEventDefinition timer, string? eventName = null)
    {
        var text = Expressions.Evaluate(timer.Value, owner) switch
        {
            DateTimeOffset date => date.ToString("O", CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
        };
        if (!TimerSchedule.TryParse(timer.TimerKind, text, out var schedule, out var error, engine.Options.TimeZone))
        {
            throw new WorkflowException($"Timer of {catching}: {error}") { Code = "invalid-timer" };
        }

        AddSubscription(new Subscription
        {
            Id = Instance.NextSubscriptionId++,
            Kind = SubscriptionKind.Timer,
            EventElementId = catching.Id,
            OwnerNodeId = owner.Id,
            EventName = eventName,
            TimerKind = timer.TimerKind,
            TimerText = text,
            DueAt = schedule!.GetFirstDue(Now) ?? Now,
        });
    }

    private void AddSubscription(Subscription subscription)
    {
        Instance.Subscriptions.Add(subscription);
        Changes.SubscriptionAdded(subscription);
    }

    private void RemoveSubscription(Subscription subscription)
    {
        Instance.Subscriptions.Remove(subscription);
        Changes.SubscriptionRemoved(subscription);
    }

    private void RemoveSubscriptionsOf(ExecutionNode node)
    {
        var subscriptions = Instance.Subscriptions;
        for (var i = subscriptions.Count - 1; i >= 0; i--)
        {
            if (subscriptions[i].OwnerNodeId == node.Id)
            {
                Changes.SubscriptionRemoved(subscriptions[i]);
                subscriptions.RemoveAt(i);
            }
        }
    }

    // ---- triggering -----------------------------------------------------------------------------

    /// <summary>
    /// Delivers the event a subscription waits for. Returns false when the subscription is gone
    /// (already triggered or cancelled).
    /// </summary>
    public bool Trigger(int subscriptionId, IReadOnlyDictionary<string, object?>? variables)
    {
        var subscription = Instance.Subscriptions.Find(s => s.Id == subscriptionId);
        var owner = subscription is null ? null : Instance.FindNode(subscription.OwnerNodeId);
        if (subscription is null || owner is null)
        {
            return false;
        }

        if (IsTaskTimeout(subscription))
        {
            RemoveSubscription(subscription);
            RunTimeoutListener(owner, subscription.EventName!);
            return true;
        }

        var element = (FlowNode)Instance.Definition.Element(subscription.EventElementId);
        switch (element)
        {
            case BoundaryEvent boundary:
                if (boundary.CancelActivity)
                {
                    var parent = owner.Parent!;
                    Cancel(owner);
                    StartAndContinue(CreateNode(boundary, parent), variables);
                }
                else
                {
                    KeepOrReschedule(subscription);
                    StartAndContinue(CreateNode(boundary, owner.Parent), variables);
                }

                return true;
            case StartEvent start when start.Scope is SubProcess { TriggeredByEvent: true } eventSub:
                if (start.IsInterrupting)
                {
                    Interrupt(owner);
                }
                else
                {
                    KeepOrReschedule(subscription);
                }

                StartEventSubProcess(owner, eventSub, start, variables);
                return true;
        }

        if (owner.Wait == WaitKind.EventGateway)
        {
            var parent = owner.Parent!;
            var gateway = (FlowNode)owner.Element;
            var flow = gateway.Outgoing.First(f => f.Target == element);

            // The gateway ends and the flow to the event that happened is taken, with their listeners, as in Camunda.
            RunExecutionListeners(owner, gateway, ListenerEvent.End);
            RunExecutionListeners(owner, flow, ListenerEvent.Take);
            RemoveNode(owner);
            StartAndContinue(CreateNode(element, parent, flow.Id), variables);
            return true;
        }

        RemoveSubscription(subscription);
        owner.Wait = WaitKind.None;
        owner.State = NodeState.Running;
        Continue(owner, variables);
        return true;
    }

    private void Continue(ExecutionNode node, IReadOnlyDictionary<string, object?>? variables)
    {
        SetPayload(node, variables);
        Schedule(Op.Leave, node);
    }

    /// <summary>Variables delivered with a message, signal or task completion.</summary>
    public static void SetPayload(ExecutionNode node, IReadOnlyDictionary<string, object?>? variables)
    {
        if (variables is null)
        {
            return;
        }

        var hasOutputs = node.Element is FlowNode { OutputParameters.Count: > 0 };
        foreach (var (name, value) in variables)
        {
            if (hasOutputs)
            {
                node.SetLocalVariable(name, value);
            }
            else
            {
                node.SetVariable(name, value);
            }
        }
    }

    private void KeepOrReschedule(Subscription subscription)
    {
        if (subscription.Kind != SubscriptionKind.Timer)
        {
            return;
        }

        subscription.FiredCount++;
        var next = TimerSchedule.TryParse(subscription.TimerKind, subscription.TimerText!, out var schedule, out _, engine.Options.TimeZone)
            ? schedule!.GetNextDue(subscription.DueAt ?? Now, subscription.FiredCount)
            : null;
        if (next is null)
        {
            RemoveSubscription(subscription);
        }
        else
        {
            Changes.SubscriptionRemoved(subscription);
            subscription.DueAt = next;
            Changes.SubscriptionAdded(subscription);
        }
    }

    /// <summary>An interrupting event sub-process: every token of the scope and its other event subscriptions end.</summary>
    private void Interrupt(ExecutionNode scope)
    {
        foreach (var child in scope.Children?.ToList() ?? [])
        {
            Cancel(child);
        }

        RemoveSubscriptionsOf(scope);
    }

    private void StartEventSubProcess(ExecutionNode scope, SubProcess eventSub, StartEvent start, IReadOnlyDictionary<string, object?>? variables)
    {
        var subNode = CreateNode(eventSub, scope);
        subNode.State = NodeState.Running;
        SubscribeEventSubProcesses(subNode, eventSub.Container);
        StartAndContinue(CreateNode(start, subNode), variables);
    }

    // ---- errors and escalations -----------------------------------------------------------------

    /// <summary>
    /// Throws a BPMN error from <paramref name="from"/>: the innermost matching error boundary or error
    /// event sub-process catches it (a specific code before a catch-all); else it goes to the calling
    /// instance, or becomes an incident.
    /// </summary>
    public void ThrowError(ExecutionNode from, string code, string message, bool fromActivity)
    {
        for (var node = from; node is not null; node = node.Parent)
        {
            if (node != from && IsContainer(node) && FindEventSubStart<ErrorEventDefinition>(node, e => Matches(e.ErrorCode, code)) is { } start)
            {
                Interrupt(node);
                var eventSub = (SubProcess)start.Scope;
                SetErrorVariables(node, start.Definition as ErrorEventDefinition, code, message);
                StartEventSubProcess(node, eventSub, start, null);
                return;
            }

            if ((node != from || fromActivity) && HasBoundaries(node)
                && FindBoundary<ErrorEventDefinition>((Activity)node.Element, e => Matches(e.ErrorCode, code)) is { } boundary)
            {
                var parent = node.Parent!;
                Cancel(node);
                var caught = CreateNode(boundary, parent);
                SetErrorVariables(parent, boundary.Definition as ErrorEventDefinition, code, message);
                Schedule(Op.Leave, caught);
                return;
            }
        }

        if (Instance.ParentInstanceId is { } parentId)
        {
            After.Add(new PostAction.ErrorToCaller(parentId, Instance.ParentNodeId, code, message));
            var caller = Instance.ParentInstanceId;
            Instance.ParentInstanceId = null; // the caller is told through ErrorToCaller, not ResumeCaller
            EndInstance(InstanceStatus.Terminated);
            Instance.ParentInstanceId = caller;
            return;
        }

        Fail(from, "unhandled-error", $"BPMN error '{code}' ({message}) thrown at '{from.ElementId}' was not caught by any error boundary or event sub-process.");
    }

    /// <summary>Throws an escalation to the innermost matching catch; an interrupting one cancels the thrower too.</summary>
    public void ThrowEscalation(ExecutionNode from, string code, bool includeSelf = false)
    {
        for (var node = includeSelf ? from : from.Parent; node is not null; node = node.Parent)
        {
            if (IsContainer(node) && FindEventSubStart<EscalationEventDefinition>(node, e => Matches(e.EscalationCode, code)) is { } start)
            {
                if (start.IsInterrupting)
                {
                    Interrupt(node);
                }

                StartEventSubProcess(node, (SubProcess)start.Scope, start, null);
                return;
            }

            if (HasBoundaries(node) && FindBoundary<EscalationEventDefinition>((Activity)node.Element, e => Matches(e.EscalationCode, code)) is { } boundary)
            {
                var parent = node.Parent!;
                if (boundary.CancelActivity)
                {
                    Cancel(node);
                }

                Schedule(Op.Leave, CreateNode(boundary, parent));
                return;
            }
        }

        if (Instance.ParentInstanceId is { } parentId)
        {
            After.Add(new PostAction.EscalationToCaller(parentId, Instance.ParentNodeId, code));
        }
    }

    private static bool Matches(string? catchCode, string thrownCode) => catchCode is null || catchCode == thrownCode;

    private bool IsContainer(ExecutionNode node)
        => node == Instance.Root || (node.Element is SubProcess && node.MultiInstance != MultiInstanceRole.Body);

    private bool HasBoundaries(ExecutionNode node)
        => node != Instance.Root && node.MultiInstance != MultiInstanceRole.Inner && node.Element is Activity { BoundaryEvents.Count: > 0 };

    private static BoundaryEvent? FindBoundary<TDefinition>(Activity activity, Func<TDefinition, bool> matches)
        where TDefinition : EventDefinition
    {
        BoundaryEvent? catchAll = null;
        foreach (var boundary in activity.BoundaryEvents)
        {
            if (boundary.Definition is TDefinition definition && matches(definition))
            {
                if (!IsCatchAll(definition))
                {
                    return boundary;
                }

                catchAll ??= boundary;
            }
        }

        return catchAll;
    }

    private StartEvent? FindEventSubStart<TDefinition>(ExecutionNode scope, Func<TDefinition, bool> matches)
        where TDefinition : EventDefinition
    {
        var container = scope == Instance.Root ? Instance.Definition.Model.Container : ((SubProcess)scope.Element).Container;
        StartEvent? catchAll = null;
        foreach (var eventSub in container.EventSubProcesses)
        {
            foreach (var start in eventSub.Container.StartEvents)
            {
                if (start.Definition is TDefinition definition && matches(definition))
                {
                    if (!IsCatchAll(definition))
                    {
                        return start;
                    }

                    catchAll ??= start;
                }
            }
        }

        return catchAll;
    }

    private static bool IsCatchAll(EventDefinition definition) => definition switch
    {
        ErrorEventDefinition e => e.ErrorCode is null,
        EscalationEventDefinition e => e.EscalationCode is null,
        _ => false,
    };

    private static void SetErrorVariables(ExecutionNode scope, ErrorEventDefinition? definition, string code, string message)
    {
        if (definition?.ErrorCodeVariable is { } codeVariable)
        {
            scope.SetLocalVariable(codeVariable, code);
        }

        if (definition?.ErrorMessageVariable is { } messageVariable)
        {
            scope.SetLocalVariable(messageVariable, message);
        }
    }

    // ---- messages and signals thrown ------------------------------------------------------------

    private void SendMessage(ExecutionNode node, MessageEventDefinition message)
        => SendMessage(node, message.Message, message.CorrelationKey);

    private void SendMessage(ExecutionNode node, MessageRef? message, Expressions.Expression? correlationKey)
    {
        if (message is null)
        {
            throw new WorkflowException($"{node.Element} throws no message.") { Code = "invalid" };
        }

        var name = Convert.ToString(Expressions.Evaluate(message.Name, node), CultureInfo.InvariantCulture) ?? message.Id;
        var key = correlationKey is null ? null : Convert.ToString(Expressions.Evaluate(correlationKey, node), CultureInfo.InvariantCulture);
        After.Add(new PostAction.SendMessage(name, key, VisibleVariables(node), Instance.Id, node.ElementId));
    }

    private string SignalName(SignalEventDefinition signal, ExecutionNode scope)
        => signal.SignalName is { } expression && Convert.ToString(Expressions.Evaluate(expression, scope), CultureInfo.InvariantCulture) is { Length: > 0 } name
            ? name
            : throw new WorkflowException("The signal event names no signal.") { Code = "invalid" };

    private void SendSignal(ExecutionNode node, SignalEventDefinition signal)
    {
        var name = SignalName(signal, node);
        After.Add(new PostAction.BroadcastSignal(name, VisibleVariables(node)));
    }
}

/// <summary>What a step leaves for the engine to do to other instances once the step is over.</summary>
internal abstract record PostAction
{
    public sealed record StartCalled(string ChildId, string Key, int? Version, Dictionary<string, object?> Variables, string? BusinessKey, string ParentInstanceId, int ParentNodeId) : PostAction;

    public sealed record ResumeCaller(string ParentInstanceId, int ParentNodeId, string ChildId, IReadOnlyDictionary<string, object?> Variables) : PostAction;

    public sealed record ErrorToCaller(string ParentInstanceId, int ParentNodeId, string Code, string Message) : PostAction;

    public sealed record EscalationToCaller(string ParentInstanceId, int ParentNodeId, string Code) : PostAction;

    public sealed record TerminateInstance(string InstanceId) : PostAction;

    public sealed record SendMessage(string Name, string? CorrelationKey, Dictionary<string, object?> Variables, string FromInstanceId, string FromElementId) : PostAction;

    public sealed record BroadcastSignal(string Name, Dictionary<string, object?> Variables) : PostAction;

    /// <summary>Triggers to put on (or replace in) the timer scheduler and triggers to take off it, by timer id.</summary>
    public sealed record ChangeTimers(IReadOnlyList<DueTimer> Scheduled, IReadOnlyList<string> Removed) : PostAction;
}
