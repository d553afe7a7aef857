namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>A deployment made through <c>/engine-rest/deployment/create</c>.</summary>
public sealed record DeploymentEntry(
    string Id,
    string? Name,
    string? Source,
    DateTimeOffset DeploymentTime,
    IReadOnlyDictionary<string, string> ResourceHashes,
    IReadOnlyList<string> DefinitionIds);

/// <summary>
/// The deployments made through the Camunda REST API. The engine has no deployment entity, so they are
/// kept here in memory: after a restart the list starts empty (the definitions themselves stay deployed).
/// </summary>
public sealed class DeploymentRegistry
{
    private readonly Lock _gate = new();
    private readonly List<DeploymentEntry> _deployments = [];
    private readonly Dictionary<string, (string DeploymentId, string Resource)> _definitions = new(StringComparer.Ordinal);

    public IReadOnlyList<DeploymentEntry> All()
    {
        lock (_gate)
        {
            return [.. _deployments];
        }
    }

    public DeploymentEntry? Find(string id)
    {
        lock (_gate)
        {
            return _deployments.Find(d => d.Id == id);
        }
    }

    /// <summary>The latest deployment with this name and source (duplicate filtering compares with it).</summary>
    public DeploymentEntry? Latest(string? name, string? source)
    {
        lock (_gate)
        {
            return _deployments.LastOrDefault(d => d.Name == name && d.Source == source);
        }
    }

    /// <summary>Which deployment and resource a definition came from, when it came through this API.</summary>
    public (string DeploymentId, string Resource)? Origin(string definitionId)
    {
        lock (_gate)
        {
            return _definitions.TryGetValue(definitionId, out var origin) ? origin : null;
        }
    }

    public void Add(DeploymentEntry deployment, IEnumerable<(string DefinitionId, string Resource)> definitions)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(definitions);
        lock (_gate)
        {
            _deployments.Add(deployment);
            foreach (var (definitionId, resource) in definitions)
            {
                _definitions.TryAdd(definitionId, (deployment.Id, resource));
            }
        }
    }
}
