using System.Xml.Linq;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>The flow nodes of a process or sub-process, its sequence flows, default flows and boundary attachments.</summary>
internal sealed partial class ParseContext
{
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

            // A node whose id another element of the process has (the process itself, a node elsewhere) is reported as
            // duplicate-id and left out here, from both maps: the file is refused anyway.
            if (byId.ContainsKey(node.Id) || !all.TryAdd(node.Id, node))
            {
                continue;
            }

            byId.Add(node.Id, node);

            node.Scope = owner;
            ReadListeners(child, node);
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
            if (!Resolve(child, "sourceRef", sourceRef, byId, out var source) | !Resolve(child, "targetRef", targetRef, byId, out var target))
            {
                continue;
            }

            // Camunda accepts a flow without an id when its ends are known: it gets one made of them, stable from one import to the next.
            id ??= GenerateFlowId(child, source!, target!);
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
            ReadListeners(child, flow);
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

            if (attachedTo is UnsupportedNode)
            {
                continue; // a boundary event on a transaction, ad-hoc sub-process...: the validation reports both
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

    private string GenerateFlowId(XElement flow, FlowNode source, FlowNode target)
    {
        var id = $"Flow_{source.Id}_{target.Id}";
        for (var n = 2; _ids.ContainsKey(id); n++)
        {
            id = $"Flow_{source.Id}_{target.Id}_{n}";
        }

        _ids[id] = flow;
        Findings.Add(new ValidationFinding(FindingSeverity.Warning, "generated-id", $"The sequence flow from '{source.Id}' to '{target.Id}' has no id; it is called '{id}'. Give it an id so that history and migration keep naming it the same.", id, "sequenceFlow", LineOf(flow), _processId));
        return id;
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

    /// <summary>Flow nodes of BPMN 2.0 (the ones the engine runs and the ones it reports as unsupported).</summary>
    private static bool IsFlowNodeName(string localName)
        => localName.EndsWith("Task", StringComparison.Ordinal) || localName.EndsWith("Gateway", StringComparison.Ordinal)
        || localName.EndsWith("Event", StringComparison.Ordinal) || localName.Contains("Choreography", StringComparison.Ordinal)
        || localName is "task" or "subProcess" or "adHocSubProcess" or "transaction" or "callActivity";
}
