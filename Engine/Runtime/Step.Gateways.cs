using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Gateways: parallel and inclusive joins, and the waits of an event-based gateway.</summary>
internal sealed partial class Step
{
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
}
