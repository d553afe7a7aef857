namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>One file of a deployment: its name (as uploaded, e.g. <c>complaint.bpmn</c>) and its BPMN XML.</summary>
public sealed record DeploymentResource(string Name, string Xml);

/// <summary>What to deploy, and the deployment's name, source and tenant as callers want them recorded.</summary>
public sealed record DeploymentRequest(IReadOnlyList<DeploymentResource> Resources)
{
    public string? Name { get; init; }

    /// <summary>Where the deployment came from (e.g. <c>Camunda Modeler</c>, <c>startup</c>).</summary>
    public string? Source { get; init; }

    public string? TenantId { get; init; }

    /// <summary>
    /// Deploy changed content only: when the last deployment with the same name and source had the same
    /// resources (names and content hashes), answer it and deploy nothing; when no process changed, record no
    /// deployment. Without it every call records a deployment (processes whose content did not change keep
    /// their current version all the same).
    /// </summary>
    public bool DuplicateFiltering { get; init; }
}

/// <summary>A recorded deployment: when, by what name and source, and which resources (content hashes) it had.</summary>
public sealed record DeploymentInfo(
    string Id,
    string? Name,
    string? Source,
    DateTimeOffset DeployedAt,
    string? TenantId,
    IReadOnlyDictionary<string, string> ResourceHashes);

/// <summary>Filters for <see cref="WorkflowEngine.GetDeploymentsAsync"/>; null members do not filter.</summary>
public sealed record DeploymentQuery(
    string? Id = null,
    string? Name = null,
    string? Source = null,
    DateTimeOffset? DeployedAfter = null,
    DateTimeOffset? DeployedBefore = null)
{
    public bool Matches(DeploymentInfo deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return (Id is null || deployment.Id == Id)
            && (Name is null || deployment.Name == Name)
            && (Source is null || deployment.Source == Source)
            && (DeployedAfter is null || deployment.DeployedAt > DeployedAfter)
            && (DeployedBefore is null || deployment.DeployedAt < DeployedBefore);
    }
}
