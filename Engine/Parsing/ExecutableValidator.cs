using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>
/// Says, element by element, what in an imported file the engine cannot execute: element types it
/// does not run, missing references and conditions, unknown activities, missing or mistyped activity
/// inputs, malformed timers. A file with no Error finding runs.
/// </summary>
public static class ExecutableValidator
{
    public static IReadOnlyList<ValidationFinding> Validate(BpmnDefinitions definitions, IActivityCatalog? catalog, Func<TimerKind, string, string?>? timerCheck = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var findings = new List<ValidationFinding>();
        var executable = definitions.Processes.Where(p => p.IsExecutable).ToList();
        if (executable.Count == 0)
        {
            findings.Add(new ValidationFinding(FindingSeverity.Error, "not-executable",
                definitions.Processes.Count == 0
                    ? "The file has no process to execute."
                    : $"No process is marked isExecutable=\"true\" ({string.Join(", ", definitions.Processes.Select(p => p.Id))}).",
                definitions.Processes.Count > 0 ? definitions.Processes[0].Id : null, "process", definitions.Processes.Count > 0 ? definitions.Processes[0].Line : 0));
        }

        foreach (var process in definitions.Processes.Where(p => !p.IsExecutable && executable.Count > 0))
        {
            findings.Add(ValidationFinding.At(FindingSeverity.Warning, "not-executable", "The process is not marked isExecutable=\"true\"; it is not deployed.", process, process.Id));
        }

        var executableIds = executable.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        findings.AddRange(definitions.ExecutionNotes.Where(n => n.ProcessId is null || executableIds.Contains(n.ProcessId)));
        foreach (var process in executable)
        {
            new Checker(process, catalog, timerCheck, findings).Run();
        }

        return findings;
    }

    private sealed class Checker(ProcessModel process, IActivityCatalog? catalog, Func<TimerKind, string, string?>? timerCheck, List<ValidationFinding> findings)
    {
        public void Run()
        {
            CheckContainer(process.Container, process);
            foreach (var element in process.ElementsById.Values)
            {
                CheckListeners(element, element.ExecutionListeners);
                if (element is UserTask task)
                {
                    CheckListeners(element, task.TaskListeners);
                }
            }
        }

        /// <summary>A listener's activity must be registered; a bean call on one must call what an activity has.</summary>
        private void CheckListeners(BaseElement element, IReadOnlyList<Listener> listeners)
        {
            foreach (var listener in listeners)
            {
                if (listener.Kind == ListenerKind.DelegateExpression && listener.ActivityName is { } name && catalog is not null && !catalog.TryGetDescriptor(name, out _))
                {
                    Error(element, "unknown-activity", $"The {listener.Describe()} names activity '{name}', which is not registered.");
                }

                if (listener.Kind == ListenerKind.Expression)
                {
                    CheckBeanCall(element, listener.Code, $"the {listener.Describe()}", "notify", "execute");
                }

                if (listener.Kind != ListenerKind.DelegateExpression && listener.Code.Code.Any(c => c.BindNames.Contains("task", StringComparer.Ordinal)))
                {
                    Warning(element, "listener-task-object", $"The {listener.Describe()} uses 'task', Camunda's task object, which this engine does not give listeners; unless a variable is called task, it fails when it runs. Read and write variables with execution.getVariable/setVariable.");
                }

                if (listener.Timeout is { } timeout)
                {
                    CheckTimer(element, timeout.TimerKind, timeout.Value);
                }
            }
        }

        /// <summary>${bean.method(...)} where bean is a registered activity: the activity is run, so the method must be one of <paramref name="methods"/>.</summary>
        private ActivityDescriptor? CheckBeanCall(BaseElement element, Expression? expression, string where, params string[] methods)
        {
            if (expression?.BeanCall is not { } call || catalog is null || !catalog.TryGetDescriptor(call.Bean, out var descriptor))
            {
                return null;
            }

            if (!methods.Contains(call.Method, StringComparer.Ordinal))
            {
                Error(element, "untranslatable-juel", $"In {where}, '{call.Bean}' is a registered activity, which has no method '{call.Method}'; it is run as ${{{call.Bean}.{methods[0]}(execution)}} (or camunda:delegateExpression=\"${{{call.Bean}}}\").");
                return null;
            }

            return descriptor;
        }

        private void Error(BaseElement element, string code, string message) => findings.Add(ValidationFinding.At(FindingSeverity.Error, code, message, element, process.Id));

        private void Warning(BaseElement element, string code, string message) => findings.Add(ValidationFinding.At(FindingSeverity.Warning, code, message, element, process.Id));

        private void CheckContainer(FlowContainer container, BaseElement owner)
        {
            var isEventSub = owner is SubProcess { TriggeredByEvent: true };
            var starts = container.StartEvents;
            if (owner is ProcessModel && starts.Count == 0)
            {
                Error(owner, "no-start-event", "The process has no start event.");
            }
            else if (owner is SubProcess { TriggeredByEvent: false } && starts.Count(s => s.Definition is null) != 1)
            {
                Error(owner, "no-start-event", "An embedded sub-process needs exactly one none start event.");
            }
            else if (isEventSub && starts.Count != 1)
            {
                Error(owner, "no-start-event", "An event sub-process needs exactly one start event with a trigger.");
            }

            foreach (var node in container.Nodes)
            {
                CheckNode(node, owner, isEventSub);
            }

            CheckLinks(container);
        }

        private void CheckNode(FlowNode node, BaseElement owner, bool inEventSub)
        {
            switch (node)
            {
                case UnsupportedNode { TypeName: "transaction" }:
                    Error(node, "unsupported-transaction", "Transaction sub-processes are not executed by this engine: it has no compensation and no cancel events, so it cannot undo what the transaction did. Use a plain sub-process; end a failed attempt with an error end event and catch it with an error boundary event.");
                    return;
                case UnsupportedNode:
                    Error(node, "unsupported-element", $"{node.TypeName} is not executed by this engine.");
                    return;
                case EventNode { Definition: UnsupportedEventDefinition { Reported: true } }:
                    return;
                case BoundaryEvent { Definition: UnsupportedEventDefinition { TypeName: "cancelEventDefinition" } }:
                    Error(node, "unsupported-cancel-event", "A cancel boundary event catches the cancellation of a transaction sub-process by a cancel end event, after compensating what it did; transactions, cancel events and compensation are not executed by this engine. Model the failure with an error end event inside a plain sub-process and an error boundary event in place of this one.");
                    return;
                case EventNode { Definition: UnsupportedEventDefinition unsupported }:
                    Error(node, "unsupported-event", $"{(unsupported.TypeName == "multiple" ? "Events with several definitions" : unsupported.TypeName)} is not executed by this engine.");
                    return;
            }

            CheckOutgoing(node);
            CheckEvent(node, owner, inEventSub);
            if (node is Activity activity)
            {
                CheckActivity(activity);
            }

            if (node is GatewayNode gateway)
            {
                CheckGateway(gateway);
            }

            if (node is SubProcess sub)
            {
                CheckContainer(sub.Container, sub);
            }
        }

        private void CheckOutgoing(FlowNode node)
        {
            if (node is Gateway && node.Outgoing.Count == 0)
            {
                Error(node, "no-outgoing-flow", "A gateway needs at least one outgoing sequence flow.");
            }

            if (node.Incoming.Count == 0 && node is not (StartEvent or BoundaryEvent or SubProcess { TriggeredByEvent: true }) && node is not IntermediateCatchEvent { Definition: LinkEventDefinition })
            {
                Warning(node, "unreachable", "No sequence flow leads here; the element is never reached.");
            }
        }

        private void CheckEvent(FlowNode node, BaseElement owner, bool inEventSub)
        {
            if (node is not EventNode e)
            {
                return;
            }

            var definition = e.Definition;
            switch (e)
            {
                case StartEvent start when inEventSub:
                    if (definition is null or TerminateEventDefinition or LinkEventDefinition)
                    {
                        Error(e, "invalid-start-event", "The start event of an event sub-process needs a message, timer, signal, error or escalation trigger.");
                    }
                    else if (definition is ErrorEventDefinition && !start.IsInterrupting)
                    {
                        Error(e, "invalid-start-event", "An error start event is always interrupting.");
                    }

                    break;
                case StartEvent when owner is SubProcess && definition is not null:
                    Error(e, "invalid-start-event", "The start event of an embedded sub-process must be a none start event.");
                    break;
                case StartEvent when definition is not (null or MessageEventDefinition or TimerEventDefinition or SignalEventDefinition):
                    Error(e, "invalid-start-event", "A process starts by none, message, timer or signal start events.");
                    break;
                case EndEvent when definition is TimerEventDefinition or LinkEventDefinition:
                    Error(e, "invalid-end-event", "An end event cannot wait for a timer or be a link.");
                    break;
                case EndEvent when definition is ErrorEventDefinition { ErrorCode: null }:
                    Error(e, "missing-error-code", "An error end event must refer to an error with an error code.");
                    break;
                case IntermediateCatchEvent when definition is null or ErrorEventDefinition or EscalationEventDefinition or TerminateEventDefinition:
                    Error(e, "invalid-catch-event", "An intermediate catch event waits for a timer, message, signal or link.");
                    break;
                case IntermediateThrowEvent when definition is TimerEventDefinition or ErrorEventDefinition or TerminateEventDefinition:
                    Error(e, "invalid-throw-event", "An intermediate throw event throws a signal, message, escalation or link.");
                    break;
                case BoundaryEvent boundary:
                    if (definition is null or LinkEventDefinition or TerminateEventDefinition)
                    {
                        Error(e, "invalid-boundary-event", "A boundary event catches a timer, message, signal, error or escalation.");
                    }
                    else if (definition is ErrorEventDefinition && !boundary.CancelActivity)
                    {
                        Error(e, "invalid-boundary-event", "An error boundary event is always interrupting (cancelActivity must not be false).");
                    }

                    break;
            }

            switch (definition)
            {
                case MessageEventDefinition { Message: null }:
                    Error(e, "missing-message", "The message event names no message (messageRef).");
                    break;
                case TimerEventDefinition timer:
                    CheckTimer(e, timer.TimerKind, timer.Value);
                    break;
            }
        }

        private void CheckTimer(BaseElement element, TimerKind kind, Expression value)
        {
            if (value.IsLiteral && timerCheck?.Invoke(kind, value.Text) is { } problem)
            {
                Error(element, "invalid-timer", problem);
            }
        }

        private void CheckGateway(GatewayNode gateway)
        {
            switch (gateway.Kind)
            {
                case ElementKind.ExclusiveGateway when gateway.Outgoing.Count > 1:
                    foreach (var flow in gateway.Outgoing.Where(f => f.Condition is null && !f.IsDefault))
                    {
                        Warning(flow, "missing-condition", $"Sequence flow '{flow.Id}' leaves exclusive gateway '{gateway.Id}' without a condition and is not its default flow; it is taken whenever the flows before it are not.");
                    }

                    break;
                case ElementKind.ParallelGateway:
                    foreach (var flow in gateway.Outgoing.Where(f => f.Condition is not null))
                    {
                        Warning(flow, "ignored-condition", $"The condition of sequence flow '{flow.Id}' is ignored: a parallel gateway takes every outgoing flow.");
                    }

                    break;
                case ElementKind.EventBasedGateway:
                    foreach (var flow in gateway.Outgoing)
                    {
                        if (flow.Target is not (IntermediateCatchEvent { Definition: MessageEventDefinition or SignalEventDefinition or TimerEventDefinition } or ReceiveTask))
                        {
                            Error(flow, "invalid-event-gateway", $"An event-based gateway must lead to message, signal or timer catch events or receive tasks; '{flow.Target.Id}' is a {flow.Target.TypeName}.");
                        }
                    }

                    if (gateway.Outgoing.Count < 2)
                    {
                        Warning(gateway, "event-gateway-single", "An event-based gateway with fewer than two outgoing flows chooses between nothing.");
                    }

                    break;
            }
        }

        private void CheckActivity(Activity activity)
        {
            if (activity.MultiInstance is { LoopCardinality: null, Collection: null })
            {
                Error(activity, "invalid-multi-instance", "Multi-instance needs a loopCardinality or a camunda:collection.");
            }

            switch (activity)
            {
                case ServiceTask task:
                    CheckServiceTask(task);
                    break;
                case ReceiveTask { Message: null }:
                    Error(activity, "missing-message", "The receive task names no message (messageRef).");
                    break;
                case ScriptTask script when string.IsNullOrWhiteSpace(script.Script.Text):
                    Error(activity, "empty-script", "The script task has no script.");
                    break;
                case CallActivity { CalledElement: { IsLiteral: true, Text.Length: 0 } }:
                    Error(activity, "missing-called-element", "The call activity names no process to call (calledElement).");
                    break;
            }
        }

        private void CheckServiceTask(ServiceTask task)
        {
            switch (task.Implementation)
            {
                case ImplementationKind.None when task.Kind == ElementKind.SendTask:
                    if (task.Message is null)
                    {
                        Warning(task, "no-implementation", "The send task has neither an implementation nor a message; it completes without doing anything.");
                    }

                    break;
                case ImplementationKind.None:
                    Error(task, "no-implementation", $"The {task.TypeName} has no implementation: set camunda:delegateExpression=\"${{activityName}}\" (or camunda:class / camunda:expression).");
                    break;
                case ImplementationKind.External when string.IsNullOrWhiteSpace(task.Topic):
                    Error(task, "external-task-without-topic", "The external task has no camunda:topic: workers fetch external tasks by topic.");
                    break;
                case ImplementationKind.External when task.Topic!.Contains("${", StringComparison.Ordinal) || task.Topic.Contains("#{", StringComparison.Ordinal):
                    Error(task, "unsupported-external-task-topic", $"The topic '{task.Topic}' is an expression; this engine takes external-task topics as written (give a fixed topic name).");
                    break;
                case ImplementationKind.Expression when CheckBeanCall(task, task.ImplementationExpression, "camunda:expression", "execute") is { } bean:
                    CheckInputs(task, bean);
                    break;
                case ImplementationKind.DelegateExpression or ImplementationKind.Class when task.ActivityName is { } name && catalog is not null:
                    if (!catalog.TryGetDescriptor(name, out var descriptor))
                    {
                        var known = catalog.Descriptors.Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
                        Error(task, "unknown-activity", $"No activity named '{name}' is registered.{(known.Count is > 0 and <= 30 ? $" Registered: {string.Join(", ", known)}." : "")}");
                        break;
                    }

                    CheckInputs(task, descriptor);
                    break;
            }
        }

        private void CheckInputs(ServiceTask task, ActivityDescriptor descriptor)
        {
            var given = task.InputParameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var input in descriptor.Inputs)
            {
                if (!given.TryGetValue(input.Name, out var value))
                {
                    if (input.Required && input.Default is null)
                    {
                        Error(task, "missing-input", $"Activity '{descriptor.Name}' needs input '{input.Name}' ({input.DisplayName}, {input.Type}); add a camunda:inputParameter named '{input.Name}'.");
                    }

                    continue;
                }

                if (value is IoExpressionValue { Expression.IsLiteral: true } literal)
                {
                    var text = literal.Expression.Text;
                    if (text.Length == 0 && input.Required)
                    {
                        Error(task, "missing-input", $"Input '{input.Name}' of activity '{descriptor.Name}' is required but empty.");
                    }
                    else if (input.Type is VariableType.List or VariableType.Map)
                    {
                        Error(task, "invalid-input", $"Input '{input.Name}' of activity '{descriptor.Name}' must be a {input.Type}; '{text}' is plain text (use camunda:{(input.Type == VariableType.List ? "list" : "map")} or an expression).");
                    }
                    else if (text.Length > 0 && !VariableValues.TryConvert(text, input.Type, out _, out var error))
                    {
                        Error(task, "invalid-input", $"Input '{input.Name}' of activity '{descriptor.Name}': '{text}' is not a valid {input.Type} ({error}).");
                    }
                }
                else if ((value is IoListValue && input.Type is not (VariableType.List or VariableType.Any))
                    || (value is IoMapValue && input.Type is not (VariableType.Map or VariableType.Any)))
                {
                    Error(task, "invalid-input", $"Input '{input.Name}' of activity '{descriptor.Name}' must be a {input.Type}, not a {(value is IoListValue ? "list" : "map")}.");
                }
            }

            foreach (var parameter in task.InputParameters.Where(p => descriptor.Inputs.All(i => i.Name != p.Name)))
            {
                Warning(task, "unknown-input", $"Activity '{descriptor.Name}' declares no input '{parameter.Name}'; it is available to the task as a local variable only.");
            }
        }

        private void CheckLinks(FlowContainer container)
        {
            var catches = container.Nodes.Where(n => n is IntermediateCatchEvent { Definition: LinkEventDefinition }).ToList();
            foreach (var group in catches.GroupBy(c => ((LinkEventDefinition)((EventNode)c).Definition!).LinkName).Where(g => g.Count() > 1))
            {
                Error(group.Skip(1).First(), "duplicate-link", $"Two link catch events are named '{group.Key}' in the same scope.");
            }

            var names = catches.Select(c => ((LinkEventDefinition)((EventNode)c).Definition!).LinkName).ToHashSet(StringComparer.Ordinal);
            foreach (var node in container.Nodes)
            {
                if (node is IntermediateThrowEvent { Definition: LinkEventDefinition link } && !names.Contains(link.LinkName))
                {
                    Error(node, "unmatched-link", $"No link catch event named '{link.LinkName}' in the same scope.");
                }
            }
        }
    }
}
