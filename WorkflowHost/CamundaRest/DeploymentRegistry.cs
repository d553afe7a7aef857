using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>
/// The deployments the Camunda REST API shows: the engine's persisted deployments (made through this API, at
/// start-up or by any other host on the same database), so the list survives restarts.
/// </summary>
public sealed class DeploymentRegistry(WorkflowEngine engine)
{
    public Task<IReadOnlyList<DeploymentInfo>> AllAsync(CancellationToken cancellationToken = default)
        => engine.GetDeploymentsAsync(null, cancellationToken);

    public async Task<DeploymentInfo?> FindAsync(string id, CancellationToken cancellationToken = default)
        => await engine.GetDeploymentsAsync(new DeploymentQuery(Id: id), cancellationToken).ConfigureAwait(false) is [var found, ..] ? found : null;

    /// <summary>Which deployment and resource a definition came from (null for versions deployed before deployments were recorded).</summary>
    public (string DeploymentId, string Resource)? Origin(string definitionId)
    {
        var definition = engine.GetDefinitions().FirstOrDefault(d => d.Id == definitionId);
        return definition is { DeploymentId: { } deploymentId } ? (deploymentId, definition.ResourceName ?? "") : null;
    }
}
