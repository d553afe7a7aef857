using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// A deployed, versioned process: the parsed model plus what the engine precomputes once for it
/// (inclusive-join reachability, link targets).
/// </summary>
public sealed class ProcessDefinition
{
    private readonly Dictionary<string, HashSet<string>> _upstream = new(StringComparer.Ordinal);
    private readonly Dictionary<(BaseElement Scope, string Link), IntermediateCatchEvent> _linkTargets = [];

    internal ProcessDefinition(ProcessModel model, int version, string xml, string contentHash, DateTimeOffset deployedAt, string? deploymentId = null, string? resourceName = null)
    {
        DeploymentId = deploymentId;
        ResourceName = resourceName;
        Model = model;
        Version = version;
        Xml = xml;
        ContentHash = contentHash;
        DeployedAt = deployedAt;
        Id = $"{model.Id}:{version}:{contentHash[..12]}";
        Analyse(model.Container, model);
    }

    /// <summary>Unique id of this version: <c>key:version:hash</c>.</summary>
    public string Id { get; }

    /// <summary>The process id in the BPMN file.</summary>
    public string Key => Model.Id;

    public string? Name => Model.Name;

    public int Version { get; }

    public ProcessModel Model { get; }

    /// <summary>The whole BPMN file this version came from.</summary>
    public string Xml { get; }

    public string ContentHash { get; }

    public DateTimeOffset DeployedAt { get; }

    /// <summary>The deployment that created this version (null for versions deployed before deployments were recorded).</summary>
    public string? DeploymentId { get; }

    /// <summary>The file of that deployment this version came from.</summary>
    public string? ResourceName { get; }

    /// <summary>Elements from which a token can still reach the inclusive gateway (within its scope), excluding the gateway.</summary>
    internal IReadOnlySet<string> UpstreamOf(string gatewayId) => _upstream[gatewayId];

    internal IntermediateCatchEvent? LinkTarget(BaseElement scope, string linkName)
        => _linkTargets.GetValueOrDefault((scope, linkName));

    internal BaseElement Element(string id) => Model.ElementsById.TryGetValue(id, out var element)
        ? element
        : throw new InvalidOperationException($"Element '{id}' is not part of process '{Key}' version {Version}.");

    private void Analyse(FlowContainer container, BaseElement scope)
    {
        foreach (var node in container.Nodes)
        {
            if (node.Kind == ElementKind.InclusiveGateway && node.Incoming.Count > 1)
            {
                _upstream[node.Id] = Upstream(node);
            }

            if (node is IntermediateCatchEvent { Definition: LinkEventDefinition link } catchEvent)
            {
                _linkTargets.TryAdd((scope, link.LinkName), catchEvent);
            }

            if (node is SubProcess sub)
            {
                Analyse(sub.Container, sub);
            }
        }
    }

    /// <summary>Backward search over sequence flows and boundary attachments, stopping at the gateway itself.</summary>
    private static HashSet<string> Upstream(FlowNode gateway)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<FlowNode>();
        foreach (var flow in gateway.Incoming)
        {
            stack.Push(flow.Source);
        }

        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node == gateway || !seen.Add(node.Id))
            {
                continue;
            }

            foreach (var flow in node.Incoming)
            {
                stack.Push(flow.Source);
            }

            if (node is BoundaryEvent boundary)
            {
                stack.Push(boundary.AttachedTo);
            }

            if (node is IntermediateCatchEvent { Definition: LinkEventDefinition link })
            {
                foreach (var sibling in SiblingsOf(node))
                {
                    if (sibling is IntermediateThrowEvent { Definition: LinkEventDefinition thrown } && thrown.LinkName == link.LinkName)
                    {
                        stack.Push(sibling);
                    }
                }
            }
        }

        return seen;
    }

    private static IEnumerable<FlowNode> SiblingsOf(FlowNode node) => node.Scope switch
    {
        ProcessModel p => p.Container.Nodes,
        SubProcess s => s.Container.Nodes,
        _ => [],
    };
}
