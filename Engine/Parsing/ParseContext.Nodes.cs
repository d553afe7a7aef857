using System.Globalization;
using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>One flow node: events, tasks, gateways, sub-processes and call activities, with their multi-instance characteristics.</summary>
internal sealed partial class ParseContext
{
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
                if (_nesting >= maxNestingDepth)
                {
                    Error("nesting-too-deep", $"Sub-process '{id}' is nested more than {maxNestingDepth} levels deep (sub-processes inside sub-processes); flatten the process or move a part into a call activity.", e);
                    sub.Container = new FlowContainer { Nodes = [], Flows = [], StartEvents = [], EventSubProcesses = [] };
                    return sub;
                }

                _nesting++;
                try
                {
                    sub.Container = ReadContainer(e, sub, all);
                }
                finally
                {
                    _nesting--;
                }

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
}
