using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Executing elements: events, user, service and script tasks, sub-processes and call activities.</summary>
internal sealed partial class Step
{
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

    private void ExecuteEndEvent(ExecutionNode node, EndEvent end)
    {
        RunExecutionListeners(node, end, ListenerEvent.End);
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

        // As in Camunda: assignment (when the task is created assigned), then create; before the task exists, so a
        // failing listener leaves no task behind and retrying the incident creates it once.
        if (state.Assignee is not null)
        {
            RunTaskListeners(node, ListenerEvent.Assignment);
        }

        RunTaskListeners(node, ListenerEvent.Create);
        node.Task = state;
        Wait(node, WaitKind.UserTask);
        Changes.TaskCreated(node);
        SubscribeTimeoutListeners(node, userTask);
    }

    private async ValueTask ExecuteServiceTaskAsync(ExecutionNode node, ServiceTask task)
    {
        switch (task.Implementation)
        {
            case ImplementationKind.DelegateExpression:
            case ImplementationKind.Class:
            case ImplementationKind.Expression when ActivityCalled(task) is not null:
                var name = ActivityCalled(task) ?? EvaluateString(task.ImplementationExpression, node)
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
                CreateExternalTask(node, task);
                return;
            case ImplementationKind.None when task.Message is not null:
                SendMessage(node, task.Message, null);
                break;
        }

        Schedule(Op.Leave, node);
    }

    /// <summary>
    /// The activity a service task runs: the one its delegate expression or class names, or, for Camunda's
    /// <c>camunda:expression="${bean.execute(execution)}"</c>, the registered activity called <c>bean</c>.
    /// </summary>
    private string? ActivityCalled(ServiceTask task) => task.Implementation == ImplementationKind.Expression
        ? task.ImplementationExpression?.BeanCall is { } call && engine.Activities.TryGetDescriptor(call.Bean, out _) ? call.Bean : null
        : task.ActivityName;

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
}
