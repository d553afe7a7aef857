using ComplaintWorkflows.Engine.Expressions;

namespace ComplaintWorkflows.Engine.Model;

/// <summary>What an element is, independent of its CLR type (several BPMN types share one class).</summary>
public enum ElementKind
{
    Process,
    SubProcess,
    EventSubProcess,
    CallActivity,
    Task,
    UserTask,
    ServiceTask,
    ScriptTask,
    SendTask,
    ReceiveTask,
    ManualTask,
    BusinessRuleTask,
    StartEvent,
    EndEvent,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    BoundaryEvent,
    ExclusiveGateway,
    ParallelGateway,
    InclusiveGateway,
    EventBasedGateway,
    SequenceFlow,
}

/// <summary>Common to every element read from a BPMN file: identity and where it was found.</summary>
public abstract class BaseElement
{
    public required string Id { get; init; }
    public string? Name { get; init; }

    /// <summary>BPMN XML local name, e.g. <c>userTask</c>.</summary>
    public required string TypeName { get; init; }
    public required ElementKind Kind { get; init; }

    /// <summary>1-based line of the element's start tag in the source file; 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary><c>camunda:properties</c> of the element (name -> value).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    /// <summary><c>camunda:executionListener</c>s: start and end on flow nodes and processes, take on sequence flows.</summary>
    public IReadOnlyList<Listener> ExecutionListeners { get; internal set; } = [];

    internal static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    public override string ToString() => $"{TypeName} '{Id}'";
}

/// <summary>The flow nodes and sequence flows of a process or sub-process.</summary>
public sealed class FlowContainer
{
    public required IReadOnlyList<FlowNode> Nodes { get; init; }
    public required IReadOnlyList<SequenceFlow> Flows { get; init; }

    /// <summary>Start events of this container (not of nested sub-processes, not of event sub-processes).</summary>
    public required IReadOnlyList<StartEvent> StartEvents { get; init; }

    /// <summary>Event sub-processes directly in this container.</summary>
    public required IReadOnlyList<SubProcess> EventSubProcesses { get; init; }
}

public abstract class FlowNode : BaseElement
{
    /// <summary>The process or sub-process whose container holds this node.</summary>
    public BaseElement Scope { get; internal set; } = null!;
    public IReadOnlyList<SequenceFlow> Incoming { get; internal set; } = [];
    public IReadOnlyList<SequenceFlow> Outgoing { get; internal set; } = [];
    public bool AsyncBefore { get; init; }
    public bool AsyncAfter { get; init; }

    /// <summary><c>camunda:failedJobRetryTimeCycle</c>, e.g. <c>R3/PT10S</c>.</summary>
    public string? FailedJobRetryTimeCycle { get; init; }
    public IReadOnlyList<IoParameter> InputParameters { get; init; } = [];
    public IReadOnlyList<IoParameter> OutputParameters { get; init; } = [];
}

/// <summary>A <c>camunda:inputParameter</c> or <c>camunda:outputParameter</c>.</summary>
public sealed class IoParameter
{
    public required string Name { get; init; }
    public required IoValue Value { get; init; }
}

/// <summary>The value of an input/output parameter: text/expression, list, map or script.</summary>
public abstract class IoValue;

public sealed class IoExpressionValue(Expression expression) : IoValue
{
    public Expression Expression { get; } = expression;
}

public sealed class IoListValue(IReadOnlyList<IoValue> items) : IoValue
{
    public IReadOnlyList<IoValue> Items { get; } = items;
}

public sealed class IoMapValue(IReadOnlyList<KeyValuePair<string, IoValue>> entries) : IoValue
{
    public IReadOnlyList<KeyValuePair<string, IoValue>> Entries { get; } = entries;
}

public sealed class IoScriptValue(Expression script) : IoValue
{
    public Expression Script { get; } = script;
}

public sealed class SequenceFlow : BaseElement
{
    public FlowNode Source { get; internal set; } = null!;
    public FlowNode Target { get; internal set; } = null!;
    public Expression? Condition { get; init; }
    public bool IsDefault { get; internal set; }
}

/// <summary>A task, sub-process or call activity: what can carry boundary events and multi-instance.</summary>
public abstract class Activity : FlowNode
{
    public IReadOnlyList<BoundaryEvent> BoundaryEvents { get; internal set; } = [];
    public MultiInstance? MultiInstance { get; init; }
    public SequenceFlow? DefaultFlow { get; internal set; }
}

public sealed class MultiInstance
{
    public bool IsSequential { get; init; }
    public Expression? LoopCardinality { get; init; }

    /// <summary><c>camunda:collection</c>: an expression or a variable name.</summary>
    public Expression? Collection { get; init; }
    public string? ElementVariable { get; init; }
    public Expression? CompletionCondition { get; init; }
}

/// <summary>Plain task and manual task: pass straight through.</summary>
public sealed class PassThroughTask : Activity;

public sealed class UserTask : Activity
{
    public Expression? Assignee { get; init; }
    public Expression? CandidateUsers { get; init; }
    public Expression? CandidateGroups { get; init; }
    public Expression? DueDate { get; init; }
    public Expression? FollowUpDate { get; init; }
    public Expression? Priority { get; init; }
    public string? FormKey { get; init; }

    /// <summary><c>camunda:taskListener</c>s: create, assignment, complete, delete, timeout.</summary>
    public IReadOnlyList<Listener> TaskListeners { get; internal set; } = [];
}

/// <summary>When a listener runs.</summary>
public enum ListenerEvent
{
    Start,
    End,
    Take,
    Create,
    Assignment,
    Complete,
    Delete,
    Timeout,
}

/// <summary>What a listener runs.</summary>
public enum ListenerKind
{
    /// <summary><c>expression="${...}"</c>: evaluated for its effect; <c>${bean.notify(execution)}</c> on a registered activity runs the activity.</summary>
    Expression,

    /// <summary><c>delegateExpression="${name}"</c>: a registered activity (or listener class registered as one).</summary>
    DelegateExpression,

    /// <summary><c>camunda:script</c> in JavaScript, on the expression sandbox.</summary>
    Script,
}

/// <summary>A Camunda execution or task listener the engine runs inside the step that reaches its event.</summary>
public sealed class Listener
{
    public required ListenerEvent Event { get; init; }
    public required ListenerKind Kind { get; init; }

    /// <summary>The expression, delegate expression or script.</summary>
    public required Expression Code { get; init; }

    /// <summary>The registered activity a delegate expression (or a bean call) names, when known at import.</summary>
    public string? ActivityName { get; init; }

    /// <summary>The listener's id (timeout listeners have one), else null.</summary>
    public string? Id { get; init; }

    /// <summary>For a timeout listener: when it fires, counted from the task's creation.</summary>
    public TimerEventDefinition? Timeout { get; init; }
    public int Line { get; init; }

    /// <summary>How a finding or an incident names it: <c>executionListener (start)</c>.</summary>
    public string Describe() => $"{(Event is ListenerEvent.Start or ListenerEvent.End or ListenerEvent.Take ? "executionListener" : "taskListener")} ({Event.ToString().ToLowerInvariant()}{(Id is null ? "" : $" '{Id}'")})";
}

public enum ImplementationKind
{
    /// <summary>No implementation given: the task completes at once (send task without one, for instance).</summary>
    None,

    /// <summary><c>camunda:delegateExpression="${name}"</c>: a registered activity by name.</summary>
    DelegateExpression,

    /// <summary><c>camunda:class</c>: a registered activity looked up by its class name.</summary>
    Class,

    /// <summary><c>camunda:expression</c>: evaluated, its value optionally stored in <c>resultVariable</c>.</summary>
    Expression,

    /// <summary><c>camunda:type="external"</c> with a topic: not executed by this engine.</summary>
    External,
}

/// <summary>Service, send and business-rule tasks.</summary>
public sealed class ServiceTask : Activity
{
    public ImplementationKind Implementation { get; init; }

    /// <summary>Registered activity name (delegate expression or class) when known at parse time.</summary>
    public string? ActivityName { get; init; }

    /// <summary>The delegate expression or <c>camunda:expression</c> as written.</summary>
    public Expression? ImplementationExpression { get; init; }
    public string? ResultVariable { get; init; }
    public string? Topic { get; init; }

    /// <summary>For send tasks with a <c>messageRef</c>.</summary>
    public MessageRef? Message { get; init; }
}

public sealed class ScriptTask : Activity
{
    public required string ScriptFormat { get; init; }
    public required Expression Script { get; init; }
    public string? ResultVariable { get; init; }
}

public sealed class ReceiveTask : Activity
{
    public MessageRef? Message { get; init; }
}

/// <summary>Embedded sub-process or, with <see cref="TriggeredByEvent"/>, an event sub-process.</summary>
public sealed class SubProcess : Activity
{
    public bool TriggeredByEvent { get; init; }
    public FlowContainer Container { get; internal set; } = null!;
}

public sealed class CallActivity : Activity
{
    public required Expression CalledElement { get; init; }

    /// <summary><c>latest</c> (default), <c>deployment</c>, <c>version</c>.</summary>
    public string? CalledElementBinding { get; init; }
    public int? CalledElementVersion { get; init; }
    public Expression? BusinessKey { get; init; }
    public IReadOnlyList<VariableMapping> InMappings { get; init; } = [];
    public IReadOnlyList<VariableMapping> OutMappings { get; init; } = [];
}

/// <summary><c>camunda:in</c>/<c>camunda:out</c>: either all variables, a source variable or an expression.</summary>
public sealed class VariableMapping
{
    public bool AllVariables { get; init; }
    public string? Source { get; init; }
    public Expression? SourceExpression { get; init; }
    public string? Target { get; init; }
    public bool Local { get; init; }
}

public abstract class Gateway : FlowNode
{
    public SequenceFlow? DefaultFlow { get; internal set; }
}

/// <summary>Exclusive, parallel, inclusive and event-based gateways (distinguished by <see cref="BaseElement.Kind"/>).</summary>
public sealed class GatewayNode : Gateway;

public abstract class EventNode : FlowNode
{
    /// <summary>The single event definition; null for a none event.</summary>
    public EventDefinition? Definition { get; init; }
}

public sealed class StartEvent : EventNode
{
    /// <summary>Only meaningful in event sub-processes.</summary>
    public bool IsInterrupting { get; init; } = true;
}

public sealed class EndEvent : EventNode;

public sealed class IntermediateCatchEvent : EventNode;

public sealed class IntermediateThrowEvent : EventNode;

public sealed class BoundaryEvent : EventNode
{
    public Activity AttachedTo { get; internal set; } = null!;
    public bool CancelActivity { get; init; } = true;
}

public abstract class EventDefinition
{
    /// <summary>Line of the definition element; 0 when unknown.</summary>
    public int Line { get; init; }
}

/// <summary>A resolved <c>bpmn:message</c>.</summary>
public sealed class MessageRef
{
    public required string Id { get; init; }

    /// <summary>The message name used for correlation (may contain an expression).</summary>
    public required Expression Name { get; init; }
}

public sealed class MessageEventDefinition : EventDefinition
{
    public MessageRef? Message { get; init; }

    /// <summary>
    /// Optional correlation key, from <c>camunda:properties</c> property <c>correlationKey</c> on the event
    /// (e.g. <c>${complaintId}</c>), evaluated when the wait begins and indexed so a correlation by key is a lookup.
    /// </summary>
    public Expression? CorrelationKey { get; init; }
}

public enum TimerKind
{
    Date,
    Duration,
    Cycle,
}

public sealed class TimerEventDefinition : EventDefinition
{
    public required TimerKind TimerKind { get; init; }
    public required Expression Value { get; init; }
}

public sealed class SignalEventDefinition : EventDefinition
{
    /// <summary>The <c>signalRef</c>; null when the file gives none (reported by the executable validation).</summary>
    public string? SignalId { get; init; }

    /// <summary>The signal's name (may contain an expression); null when there is no resolvable signal.</summary>
    public Expression? SignalName { get; init; }
}

public sealed class ErrorEventDefinition : EventDefinition
{
    public string? ErrorId { get; init; }

    /// <summary>Null on a catch means "catch every error".</summary>
    public string? ErrorCode { get; init; }
    public string? ErrorName { get; init; }
    public string? ErrorCodeVariable { get; init; }
    public string? ErrorMessageVariable { get; init; }
}

public sealed class EscalationEventDefinition : EventDefinition
{
    public string? EscalationId { get; init; }

    /// <summary>Null on a catch means "catch every escalation".</summary>
    public string? EscalationCode { get; init; }
}

public sealed class TerminateEventDefinition : EventDefinition;

public sealed class LinkEventDefinition : EventDefinition
{
    public required string LinkName { get; init; }
}

public sealed class ProcessModel : BaseElement
{
    public bool IsExecutable { get; init; }
    public string? VersionTag { get; init; }
    public FlowContainer Container { get; internal set; } = null!;

    /// <summary>Every element of the process, nested ones included, by id.</summary>
    public IReadOnlyDictionary<string, BaseElement> ElementsById { get; internal set; } = new Dictionary<string, BaseElement>();

    public T Get<T>(string id) where T : BaseElement => (T)ElementsById[id];
}

/// <summary>A parsed file: its processes and the root elements they refer to.</summary>
public sealed class BpmnDefinitions
{
    public required string Id { get; init; }
    public string? TargetNamespace { get; init; }
    public required IReadOnlyList<ProcessModel> Processes { get; init; }

    /// <summary>Name of the file or upload it was read from, for messages.</summary>
    public string? SourceName { get; init; }

    /// <summary>What the importer noticed that matters only when the processes are executed (unresolved references...).</summary>
    internal IReadOnlyList<Parsing.ValidationFinding> ExecutionNotes { get; init; } = [];
}

/// <summary>
/// A flow node of a type the engine does not execute (complex gateway, transaction, ad-hoc sub-process...).
/// It is imported so the file loads and is reported by the executable validation.
/// </summary>
public sealed class UnsupportedNode : FlowNode;

/// <summary>An event definition the engine does not execute (conditional, compensate, cancel...).</summary>
public sealed class UnsupportedEventDefinition : EventDefinition
{
    public required string TypeName { get; init; }

    /// <summary>True when the importer has already said what is wrong with it (an empty timer), so validation adds nothing.</summary>
    internal bool Reported { get; init; }
}
