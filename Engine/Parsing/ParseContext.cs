using System.Globalization;
using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>One import: the root elements seen, every id, and the findings so far.</summary>
internal sealed class ParseContext(ExpressionEngine expressions, string? sourceName)
{
    /// <summary>Elements of the BPMN namespace that carry no execution meaning and are skipped quietly.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "laneSet", "lane", "textAnnotation", "association", "group",
        "dataObject", "dataObjectReference", "dataStoreReference", "dataStore", "ioSpecification", "property",
        "dataInputAssociation", "dataOutputAssociation", "category", "categoryValue", "auditing", "monitoring",
        "incoming", "outgoing", "sequenceFlow", "inputSet", "outputSet", "dataInput", "dataOutput",
        "resourceRole", "performer", "humanPerformer", "potentialOwner", "correlationSubscription", "supportedInterfaceRef",
    };

    private static readonly HashSet<string> Tasks = new(StringComparer.Ordinal)
    {
        "task", "manualTask", "userTask", "serviceTask", "sendTask", "businessRuleTask", "scriptTask", "receiveTask",
    };

    private readonly Dictionary<string, MessageRef> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Name, string Line)> _signalNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Code, string? Name)> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _escalations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> _ids = new(StringComparer.Ordinal);
    private readonly List<ValidationFinding> _notes = [];
    private string? _processId;

    public List<ValidationFinding> Findings { get; } = [];

    public BpmnDefinitions ReadDefinitions(XElement root)
    {
        CollectIds(root);
        foreach (var element in root.Elements())
        {
            if (element.Name.Namespace != BpmnNs)
            {
                continue;
            }

            var id = (string?)element.Attribute("id");
            switch (element.Name.LocalName)
            {
                case "message" when id is not null:
                    var name = (string?)element.Attribute("name") ?? id;
                    _messages[id] = new MessageRef { Id = id, Name = Prepare(name, element, "name") ?? Literal(id) };
                    break;
                case "signal" when id is not null:
                    _signalNames[id] = ((string?)element.Attribute("name"), id);
                    break;
                case "error" when id is not null:
                    _errors[id] = ((string?)element.Attribute("errorCode"), (string?)element.Attribute("name"));
                    break;
                case "escalation" when id is not null:
                    _escalations[id] = (string?)element.Attribute("escalationCode");
                    break;
            }
        }

        var processes = new List<ProcessModel>();
        foreach (var element in root.Elements(Bpmn("process")))
        {
            processes.Add(ReadProcess(element));
        }

        if (processes.Count == 0)
        {
            Findings.Add(new ValidationFinding(FindingSeverity.Warning, "no-process", "The file contains no process.", (string?)root.Attribute("id"), "definitions", LineOf(root)));
        }

        return new BpmnDefinitions
        {
            Id = (string?)root.Attribute("id") ?? "",
            TargetNamespace = (string?)root.Attribute("targetNamespace"),
            Processes = processes,
            SourceName = sourceName,
            ExecutionNotes = _notes,
        };
    }

    private void CollectIds(XElement root)
    {
        foreach (var element in root.Descendants())
        {
            if (element.Name.Namespace != BpmnNs || (string?)element.Attribute("id") is not { } id)
            {
                continue;
            }

            if (!_ids.TryAdd(id, element))
            {
                Error("duplicate-id", $"Id '{id}' is used again; it was first used on line {LineOf(_ids[id])}.", element);
            }
        }
    }

    private ProcessModel ReadProcess(XElement element)
    {
        _processId = (string?)element.Attribute("id");
        if (_processId is null)
        {
            Error("missing-id", "A process has no id.", element);
            _processId = "";
        }

        var all = new Dictionary<string, BaseElement>(StringComparer.Ordinal);
        var process = new ProcessModel
        {
            Id = _processId,
            Name = (string?)element.Attribute("name"),
            TypeName = "process",
            Kind = ElementKind.Process,
            Line = LineOf(element),
            IsExecutable = string.Equals((string?)element.Attribute("isExecutable"), "true", StringComparison.OrdinalIgnoreCase),
            VersionTag = Ext(element, "versionTag"),
            Properties = ReadProperties(element),
        };
        all[process.Id] = process;
        process.Container = ReadContainer(element, process, all);
        process.ElementsById = all;
        return process;
    }

    /// <summary>Reads the flow nodes of a process or sub-process, then wires its sequence flows and boundary events.</summary>
    private FlowContainer ReadContainer(XElement element, BaseElement owner, Dictionary<string, BaseElement> all)
    {
        var nodes = new List<FlowNode>();
        var byId = new Dictionary<string, FlowNode>(StringComparer.Ordinal);
        foreach (var child in element.Elements())
        {
            if (child.Name.Namespace != BpmnNs || Ignored.Contains(child.Name.LocalName) || !IsFlowNodeName(child.Name.LocalName))
            {
                continue;
            }

            var node = ReadNode(child, all);
            if (node is null)
            {
                continue;
            }

            if (!byId.TryAdd(node.Id, node) || !all.TryAdd(node.Id, node))
            {
                continue; // reported as duplicate-id; the file is refused anyway
            }

            node.Scope = owner;
            nodes.Add(node);
        }

        var flows = new List<SequenceFlow>();
        var incoming = nodes.ToDictionary(n => n.Id, _ => new List<SequenceFlow>(), StringComparer.Ordinal);
        var outgoing = nodes.ToDictionary(n => n.Id, _ => new List<SequenceFlow>(), StringComparer.Ordinal);
        foreach (var child in element.Elements(Bpmn("sequenceFlow")))
        {
            var id = (string?)child.Attribute("id");
            var sourceRef = (string?)child.Attribute("sourceRef");
            var targetRef = (string?)child.Attribute("targetRef");
            if (id is null)
            {
                Error("missing-id", "A sequence flow has no id.", child);
                continue;
            }

            if (!Resolve(child, "sourceRef", sourceRef, byId, out var source) | !Resolve(child, "targetRef", targetRef, byId, out var target))
            {
                continue;
            }

            var conditionElement = child.Element(Bpmn("conditionExpression"));
            var flow = new SequenceFlow
            {
                Id = id,
                Name = (string?)child.Attribute("name"),
                TypeName = "sequenceFlow",
                Kind = ElementKind.SequenceFlow,
                Line = LineOf(child),
                Condition = conditionElement is null ? null : ReadCondition(conditionElement, child),
                Properties = ReadProperties(child),
            };
            flow.Source = source!;
            flow.Target = target!;
            flows.Add(flow);
            outgoing[source!.Id].Add(flow);
            incoming[target!.Id].Add(flow);
            all.TryAdd(id, flow);
        }

        foreach (var node in nodes)
        {
            node.Incoming = incoming[node.Id];
            node.Outgoing = outgoing[node.Id];
            var xml = _ids.GetValueOrDefault(node.Id);
            if (xml is not null && (string?)xml.Attribute("default") is { } defaultId)
            {
                var defaultFlow = node.Outgoing.FirstOrDefault(f => f.Id == defaultId);
                if (defaultFlow is null)
                {
                    Error("unknown-reference", $"default='{defaultId}' is not one of the outgoing sequence flows of {node}.", xml);
                    continue;
                }

                defaultFlow.IsDefault = true;
                switch (node)
                {
                    case Gateway gateway:
                        gateway.DefaultFlow = defaultFlow;
                        break;
                    case Activity activity:
                        activity.DefaultFlow = defaultFlow;
                        break;
                }
            }
        }

        var boundaries = new Dictionary<Activity, List<BoundaryEvent>>();
        foreach (var boundary in nodes.OfType<BoundaryEvent>())
        {
            var xml = _ids[boundary.Id];
            var attachedToRef = (string?)xml.Attribute("attachedToRef");
            if (!Resolve(xml, "attachedToRef", attachedToRef, byId, out var attachedTo))
            {
                continue;
            }

            if (attachedTo is not Activity activity)
            {
                Error("invalid-attachment", $"Boundary event '{boundary.Id}' is attached to {attachedTo}, which is not a task, sub-process or call activity.", xml);
                continue;
            }

            boundary.AttachedTo = activity;
            if (!boundaries.TryGetValue(activity, out var list))
            {
                boundaries[activity] = list = [];
            }

            list.Add(boundary);
        }

        foreach (var (activity, list) in boundaries)
        {
            activity.BoundaryEvents = list;
        }

        return new FlowContainer
        {
            Nodes = nodes,
            Flows = flows,
            StartEvents = [.. nodes.OfType<StartEvent>()],
            EventSubProcesses = [.. nodes.OfType<SubProcess>().Where(s => s.TriggeredByEvent)],
        };
    }

    private bool Resolve(XElement element, string attribute, string? reference, Dictionary<string, FlowNode> scope, out FlowNode? node)
    {
        node = null;
        if (reference is null)
        {
            Error("missing-reference", $"{attribute} is missing.", element);
            return false;
        }

        if (scope.TryGetValue(reference, out node))
        {
            return true;
        }

        Error(
            "unknown-reference",
            _ids.ContainsKey(reference)
                ? $"{attribute}='{reference}' refers to an element outside this process or sub-process; sequence flows and boundary events must stay within one scope."
                : $"{attribute}='{reference}' refers to no element of this file.",
            element);
        return false;
    }

    private FlowNode? ReadNode(XElement e, Dictionary<string, BaseElement> all)
    {
        var local = e.Name.LocalName;
        var id = (string?)e.Attribute("id");
        if (id is null)
        {
            Error("missing-id", $"A {local} has no id.", e);
            return null;
        }

        var name = (string?)e.Attribute("name");
        var line = LineOf(e);
        var properties = ReadProperties(e);
        var (inputs, outputs) = ReadInputOutput(e);
        var asyncBefore = IsTrue(Ext(e, "asyncBefore")) || IsTrue(Ext(e, "async"));
        var asyncAfter = IsTrue(Ext(e, "asyncAfter"));
        var retry = e.Element(Bpmn("extensionElements"))?.Elements().FirstOrDefault(x => x.Name.LocalName == "failedJobRetryTimeCycle" && IsExtensionNamespace(x.Name.Namespace))?.Value.Trim()
            ?? Ext(e, "failedJobRetryTimeCycle");
        var multiInstance = ReadMultiInstance(e);
        switch (local)
        {
            case "startEvent":
                return new StartEvent
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.StartEvent, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Definition = ReadEventDefinition(e, properties),
                    IsInterrupting = !string.Equals((string?)e.Attribute("isInterrupting"), "false", StringComparison.OrdinalIgnoreCase),
                };
            case "endEvent":
                return new EndEvent
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.EndEvent, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Definition = ReadEventDefinition(e, properties),
                };
            case "intermediateCatchEvent":
                return new IntermediateCatchEvent
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.IntermediateCatchEvent, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Definition = ReadEventDefinition(e, properties),
                };
            case "intermediateThrowEvent":
                return new IntermediateThrowEvent
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.IntermediateThrowEvent, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Definition = ReadEventDefinition(e, properties),
                };
            case "boundaryEvent":
                return new BoundaryEvent
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.BoundaryEvent, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Definition = ReadEventDefinition(e, properties),
                    CancelActivity = !string.Equals((string?)e.Attribute("cancelActivity"), "false", StringComparison.OrdinalIgnoreCase),
                };
            case "task" or "manualTask":
                return new PassThroughTask
                {
                    Id = id, Name = name, TypeName = local, Kind = local == "task" ? ElementKind.Task : ElementKind.ManualTask, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    MultiInstance = multiInstance,
                };
            case "userTask":
                return new UserTask
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.UserTask, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    MultiInstance = multiInstance,
                    Assignee = PrepareAttribute(e, "assignee"),
                    CandidateUsers = PrepareAttribute(e, "candidateUsers"),
                    CandidateGroups = PrepareAttribute(e, "candidateGroups"),
                    DueDate = PrepareAttribute(e, "dueDate"),
                    FollowUpDate = PrepareAttribute(e, "followUpDate"),
                    Priority = PrepareAttribute(e, "priority"),
                    FormKey = Ext(e, "formKey"),
                };
            case "serviceTask" or "sendTask" or "businessRuleTask":
                return ReadServiceTask(e, local, id, name, line, properties, inputs, outputs, asyncBefore, asyncAfter, retry, multiInstance);
            case "scriptTask":
                var format = (string?)e.Attribute("scriptFormat") ?? "javascript";
                var source = e.Element(Bpmn("script"))?.Value ?? "";
                return new ScriptTask
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.ScriptTask, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    MultiInstance = multiInstance,
                    ScriptFormat = format,
                    Script = PrepareScript(source, format, e, "script"),
                    ResultVariable = Ext(e, "resultVariable"),
                };
            case "receiveTask":
                return new ReceiveTask
                {
                    Id = id, Name = name, TypeName = local, Kind = ElementKind.ReceiveTask, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    MultiInstance = multiInstance,
                    Message = ResolveMessage(e, properties),
                };
            case "subProcess":
                var triggeredByEvent = IsTrue((string?)e.Attribute("triggeredByEvent"));
                var sub = new SubProcess
                {
                    Id = id, Name = name, TypeName = local, Kind = triggeredByEvent ? ElementKind.EventSubProcess : ElementKind.SubProcess, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    MultiInstance = multiInstance,
                    TriggeredByEvent = triggeredByEvent,
                };
                sub.Container = ReadContainer(e, sub, all);
                return sub;
            case "callActivity":
                return ReadCallActivity(e, id, name, line, properties, inputs, outputs, asyncBefore, asyncAfter, retry, multiInstance);
            case "exclusiveGateway" or "parallelGateway" or "inclusiveGateway" or "eventBasedGateway":
                return new GatewayNode
                {
                    Id = id, Name = name, TypeName = local, Line = line, Properties = properties,
                    InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
                    Kind = local switch
                    {
                        "exclusiveGateway" => ElementKind.ExclusiveGateway,
                        "parallelGateway" => ElementKind.ParallelGateway,
                        "inclusiveGateway" => ElementKind.InclusiveGateway,
                        _ => ElementKind.EventBasedGateway,
                    },
                };
            default:
                // complexGateway, transaction, adHocSubProcess, ... : imported so flows resolve, reported by the executable validation.
                return new UnsupportedNode { Id = id, Name = name, TypeName = local, Kind = ElementKind.Task, Line = line, Properties = properties };
        }
    }

    private ServiceTask ReadServiceTask(XElement e, string local, string id, string? name, int line, IReadOnlyDictionary<string, string> properties,
        IReadOnlyList<IoParameter> inputs, IReadOnlyList<IoParameter> outputs, bool asyncBefore, bool asyncAfter, string? retry, MultiInstance? multiInstance)
    {
        var delegateExpression = Ext(e, "delegateExpression");
        var className = Ext(e, "class");
        var expression = Ext(e, "expression");
        var type = Ext(e, "type");
        var kind = delegateExpression is not null ? ImplementationKind.DelegateExpression
            : className is not null ? ImplementationKind.Class
            : expression is not null ? ImplementationKind.Expression
            : type == "external" ? ImplementationKind.External
            : ImplementationKind.None;
        var implementation = kind switch
        {
            ImplementationKind.DelegateExpression => Prepare(delegateExpression!, e, "camunda:delegateExpression"),
            ImplementationKind.Expression => Prepare(expression!, e, "camunda:expression"),
            _ => null,
        };
        var activityName = kind switch
        {
            ImplementationKind.Class => className,
            ImplementationKind.DelegateExpression when implementation is { Kind: ExpressionKind.SingleExpression } d && IsIdentifier(d.Parts[0].Text) => d.Parts[0].Text,
            _ => null,
        };
        return new ServiceTask
        {
            Id = id, Name = name, TypeName = local, Line = line, Properties = properties,
            Kind = local switch
            {
                "sendTask" => ElementKind.SendTask,
                "businessRuleTask" => ElementKind.BusinessRuleTask,
                _ => ElementKind.ServiceTask,
            },
            InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
            MultiInstance = multiInstance,
            Implementation = kind,
            ImplementationExpression = implementation,
            ActivityName = activityName,
            ResultVariable = Ext(e, "resultVariable"),
            Topic = Ext(e, "topic"),
            Message = local == "sendTask" ? ResolveMessage(e, properties) : null,
        };
    }

    private CallActivity ReadCallActivity(XElement e, string id, string? name, int line, IReadOnlyDictionary<string, string> properties,
        IReadOnlyList<IoParameter> inputs, IReadOnlyList<IoParameter> outputs, bool asyncBefore, bool asyncAfter, string? retry, MultiInstance? multiInstance)
    {
        var ins = new List<VariableMapping>();
        var outs = new List<VariableMapping>();
        Expression? businessKey = null;
        foreach (var mapping in e.Element(Bpmn("extensionElements"))?.Elements() ?? [])
        {
            if (!IsExtensionNamespace(mapping.Name.Namespace) || mapping.Name.LocalName is not ("in" or "out"))
            {
                continue;
            }

            if (mapping.Name.LocalName == "in" && (string?)mapping.Attribute("businessKey") is { } key)
            {
                businessKey = Prepare(key, mapping, "businessKey");
                continue;
            }

            var sourceExpression = (string?)mapping.Attribute("sourceExpression");
            var variableMapping = new VariableMapping
            {
                AllVariables = (string?)mapping.Attribute("variables") == "all",
                Source = (string?)mapping.Attribute("source"),
                SourceExpression = sourceExpression is null ? null : Prepare(sourceExpression, mapping, "sourceExpression"),
                Target = (string?)mapping.Attribute("target"),
                Local = IsTrue((string?)mapping.Attribute("local")),
            };
            (mapping.Name.LocalName == "in" ? ins : outs).Add(variableMapping);
        }

        var calledElement = (string?)e.Attribute("calledElement");
        return new CallActivity
        {
            Id = id, Name = name, TypeName = "callActivity", Kind = ElementKind.CallActivity, Line = line, Properties = properties,
            InputParameters = inputs, OutputParameters = outputs, AsyncBefore = asyncBefore, AsyncAfter = asyncAfter, FailedJobRetryTimeCycle = retry,
            MultiInstance = multiInstance,
            CalledElement = calledElement is null ? Literal("") : Prepare(calledElement, e, "calledElement") ?? Literal(""),
            CalledElementBinding = Ext(e, "calledElementBinding"),
            CalledElementVersion = int.TryParse(Ext(e, "calledElementVersion"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : null,
            BusinessKey = businessKey,
            InMappings = ins,
            OutMappings = outs,
        };
    }

    private MultiInstance? ReadMultiInstance(XElement e)
    {
        if (e.Element(Bpmn("standardLoopCharacteristics")) is { } standard)
        {
            Note(FindingSeverity.Error, "unsupported-loop", "Standard loops are not executed; use multi-instance (sequential) instead.", e, standard);
        }

        var mi = e.Element(Bpmn("multiInstanceLoopCharacteristics"));
        if (mi is null)
        {
            return null;
        }

        var collection = Ext(mi, "collection");
        var cardinality = mi.Element(Bpmn("loopCardinality"))?.Value.Trim();
        var completion = mi.Element(Bpmn("completionCondition"))?.Value.Trim();
        return new MultiInstance
        {
            IsSequential = IsTrue((string?)mi.Attribute("isSequential")),
            Collection = string.IsNullOrEmpty(collection) ? null : Prepare(collection, mi, "camunda:collection"),
            LoopCardinality = string.IsNullOrEmpty(cardinality) ? null : Prepare(cardinality.StartsWith("${", StringComparison.Ordinal) || cardinality.StartsWith("#{", StringComparison.Ordinal) ? cardinality : "${" + cardinality + "}", mi, "loopCardinality"),
            ElementVariable = Ext(mi, "elementVariable"),
            CompletionCondition = string.IsNullOrEmpty(completion) ? null : Prepare(completion, mi, "completionCondition"),
        };
    }

    private EventDefinition? ReadEventDefinition(XElement e, IReadOnlyDictionary<string, string> properties)
    {
        var definitions = e.Elements().Where(x => x.Name.Namespace == BpmnNs && x.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal)).ToList();
        if (definitions.Count == 0)
        {
            return e.Elements(Bpmn("eventDefinitionRef")).Any()
                ? new UnsupportedEventDefinition { TypeName = "eventDefinitionRef", Line = LineOf(e) }
                : null;
        }

        if (definitions.Count > 1)
        {
            return new UnsupportedEventDefinition { TypeName = "multiple", Line = LineOf(definitions[1]) };
        }

        var d = definitions[0];
        var line = LineOf(d);
        switch (d.Name.LocalName)
        {
            case "messageEventDefinition":
                return new MessageEventDefinition
                {
                    Line = line,
                    Message = ResolveMessage(d, properties, e),
                    CorrelationKey = properties.TryGetValue("correlationKey", out var key) ? Prepare(key, e, "correlationKey") : null,
                };
            case "timerEventDefinition":
                var (kind, text) = d.Element(Bpmn("timeDate")) is { } date ? (TimerKind.Date, date.Value)
                    : d.Element(Bpmn("timeDuration")) is { } duration ? (TimerKind.Duration, duration.Value)
                    : d.Element(Bpmn("timeCycle")) is { } cycle ? (TimerKind.Cycle, cycle.Value)
                    : (TimerKind.Date, (string?)null);
                if (text is null)
                {
                    Note(FindingSeverity.Error, "missing-timer", "The timer has no timeDate, timeDuration or timeCycle.", e, d);
                    return new UnsupportedEventDefinition { TypeName = "timerEventDefinition", Line = line };
                }

                return new TimerEventDefinition { Line = line, TimerKind = kind, Value = Prepare(text.Trim(), e, "timer") ?? Literal(text.Trim()) };
            case "signalEventDefinition":
                var signalRef = (string?)d.Attribute("signalRef");
                if (signalRef is null)
                {
                    Note(FindingSeverity.Error, "missing-reference", "The signal event has no signalRef.", e, d);
                    return new SignalEventDefinition { Line = line };
                }

                if (!_signalNames.TryGetValue(signalRef, out var signal))
                {
                    Note(FindingSeverity.Error, "unknown-reference", $"signalRef='{signalRef}' names no signal of this file.", e, d);
                    return new SignalEventDefinition { Line = line, SignalId = signalRef };
                }

                return new SignalEventDefinition { Line = line, SignalId = signalRef, SignalName = Prepare(signal.Name ?? signalRef, e, "signal name") };
            case "errorEventDefinition":
                var errorRef = (string?)d.Attribute("errorRef");
                (string? Code, string? Name) error = (null, null);
                if (errorRef is not null && !_errors.TryGetValue(errorRef, out error))
                {
                    Note(FindingSeverity.Error, "unknown-reference", $"errorRef='{errorRef}' names no error of this file.", e, d);
                }

                return new ErrorEventDefinition
                {
                    Line = line,
                    ErrorId = errorRef,
                    ErrorCode = error.Code ?? (errorRef is not null && _errors.ContainsKey(errorRef) ? errorRef : null),
                    ErrorName = error.Name,
                    ErrorCodeVariable = Ext(d, "errorCodeVariable"),
                    ErrorMessageVariable = Ext(d, "errorMessageVariable"),
                };
            case "escalationEventDefinition":
                var escalationRef = (string?)d.Attribute("escalationRef");
                string? code = null;
                if (escalationRef is not null && !_escalations.TryGetValue(escalationRef, out code))
                {
                    Note(FindingSeverity.Error, "unknown-reference", $"escalationRef='{escalationRef}' names no escalation of this file.", e, d);
                }

                return new EscalationEventDefinition { Line = line, EscalationId = escalationRef, EscalationCode = code ?? (escalationRef is not null && _escalations.ContainsKey(escalationRef) ? escalationRef : null) };
            case "terminateEventDefinition":
                return new TerminateEventDefinition { Line = line };
            case "linkEventDefinition":
                return new LinkEventDefinition { Line = line, LinkName = (string?)d.Attribute("name") ?? "" };
            default:
                return new UnsupportedEventDefinition { TypeName = d.Name.LocalName, Line = line };
        }
    }

    private MessageRef? ResolveMessage(XElement holder, IReadOnlyDictionary<string, string> properties, XElement? element = null)
    {
        var messageRef = (string?)holder.Attribute("messageRef");
        if (messageRef is null)
        {
            return null;
        }

        if (_messages.TryGetValue(messageRef, out var message))
        {
            return message;
        }

        Note(FindingSeverity.Error, "unknown-reference", $"messageRef='{messageRef}' names no message of this file.", element ?? holder, holder);
        return null;
    }

    private Expression? ReadCondition(XElement condition, XElement flow)
    {
        var text = condition.Value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        // Without a language the text is a ${...} expression as in Camunda 7; with one, it is a script.
        var language = (string?)condition.Attribute("language");
        return language is null ? Prepare(text, flow, "conditionExpression") : PrepareScript(text, language, flow, "conditionExpression");
    }

    private (IReadOnlyList<IoParameter> Inputs, IReadOnlyList<IoParameter> Outputs) ReadInputOutput(XElement e)
    {
        var io = e.Element(Bpmn("extensionElements"))?.Elements().FirstOrDefault(x => x.Name.LocalName == "inputOutput" && IsExtensionNamespace(x.Name.Namespace));
        if (io is null)
        {
            return ([], []);
        }

        var inputs = new List<IoParameter>();
        var outputs = new List<IoParameter>();
        foreach (var parameter in io.Elements())
        {
            var name = (string?)parameter.Attribute("name");
            if (name is null)
            {
                Error("missing-name", $"A camunda:{parameter.Name.LocalName} has no name.", parameter, e);
                continue;
            }

            var value = ReadIoValue(parameter, e);
            (parameter.Name.LocalName == "inputParameter" ? inputs : outputs).Add(new IoParameter { Name = name, Value = value });
        }

        return (inputs, outputs);
    }

    private IoValue ReadIoValue(XElement parameter, XElement owner)
    {
        var structured = parameter.Elements().FirstOrDefault(x => IsExtensionNamespace(x.Name.Namespace));
        switch (structured?.Name.LocalName)
        {
            case "list":
                return new IoListValue([.. structured.Elements().Select(item => ReadIoValue(item, owner))]);
            case "map":
                return new IoMapValue([.. structured.Elements().Select(entry => new KeyValuePair<string, IoValue>((string?)entry.Attribute("key") ?? "", ReadIoValue(entry, owner)))]);
            case "script":
                var format = (string?)structured.Attribute("scriptFormat") ?? "javascript";
                return new IoScriptValue(PrepareScript(structured.Value, format, owner, "camunda:script"));
            default:
                return new IoExpressionValue(Prepare(parameter.Value.Trim(), owner, "parameter " + (string?)parameter.Attribute("name")) ?? Literal(""));
        }
    }

    private static IReadOnlyDictionary<string, string> ReadProperties(XElement e)
    {
        var container = e.Element(Bpmn("extensionElements"))?.Elements().FirstOrDefault(x => x.Name.LocalName == "properties" && IsExtensionNamespace(x.Name.Namespace));
        if (container is null)
        {
            return BaseElement.EmptyProperties;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in container.Elements())
        {
            if ((string?)property.Attribute("name") is { } name)
            {
                result[name] = (string?)property.Attribute("value") ?? property.Value;
            }
        }

        return result;
    }

    private Expression? PrepareAttribute(XElement e, string attribute) => Ext(e, attribute) is { } text ? Prepare(text, e, "camunda:" + attribute) : null;

    private Expression? Prepare(string text, XElement element, string field)
    {
        try
        {
            return expressions.Parse(text);
        }
        catch (ExpressionException ex)
        {
            var subject = FindSubject(element);
            Note(FindingSeverity.Error, "invalid-expression", $"{field}: {ex.Message}", subject, element);
            return null;
        }
    }

    private Expression PrepareScript(string source, string format, XElement element, string field)
    {
        try
        {
            return expressions.ParseScript(source, format);
        }
        catch (ExpressionException ex)
        {
            var subject = FindSubject(element);
            Note(FindingSeverity.Error, "invalid-expression", $"{field}: {ex.Message}", subject, element);
            return Literal("");
        }
    }

    private static Expression Literal(string text) => new() { Text = text, Kind = ExpressionKind.Literal, Parts = text.Length == 0 ? [] : [new ExpressionPart(text, false)] };

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsIdentifier(string text)
        => text.Length > 0 && (char.IsLetter(text[0]) || text[0] is '_' or '$') && text.All(c => char.IsLetterOrDigit(c) || c is '_' or '$' or '.');

    private void Error(string code, string message, XElement element, XElement? owner = null)
    {
        var subject = FindSubject(owner ?? element);
        var process = element.AncestorsAndSelf(Bpmn("process")).FirstOrDefault();
        Findings.Add(new ValidationFinding(FindingSeverity.Error, code, message, (string?)subject.Attribute("id"), subject.Name.LocalName, LineOf(element), (string?)process?.Attribute("id") ?? _processId));
    }

    /// <summary>A finding that matters only for execution: kept for the executable validation.</summary>
    private void Note(FindingSeverity severity, string code, string message, XElement element, XElement at)
        => _notes.Add(new ValidationFinding(severity, code, message, (string?)element.Attribute("id"), element.Name.LocalName, LineOf(at), _processId));

    /// <summary>The nearest element with an id, so a finding on a nested part names its flow node.</summary>
    private static XElement FindSubject(XElement element)
    {
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute("id") is not null && e.Name.Namespace == BpmnNs)
            {
                return e;
            }
        }

        return element;
    }

    internal static bool IsTask(string localName) => Tasks.Contains(localName);

    /// <summary>Flow nodes of BPMN 2.0 (the ones the engine runs and the ones it reports as unsupported).</summary>
    private static bool IsFlowNodeName(string localName)
        => localName.EndsWith("Task", StringComparison.Ordinal) || localName.EndsWith("Gateway", StringComparison.Ordinal)
        || localName.EndsWith("Event", StringComparison.Ordinal) || localName.Contains("Choreography", StringComparison.Ordinal)
        || localName is "task" or "subProcess" or "adHocSubProcess" or "transaction" or "callActivity";
}
