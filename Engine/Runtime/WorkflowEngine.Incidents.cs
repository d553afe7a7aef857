using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Incidents (listed, retried, resolved) and terminating an instance: administrator actions.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>Open incidents of active instances (of one instance when given); only instances marked as having one are read.</summary>
    public async Task<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(string? instanceId = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> ids = instanceId is not null
            ? [instanceId]
            : [.. (await Store.QueryInstancesAsync(null, activeOnly: true, withIncidentOnly: true, cancellationToken).ConfigureAwait(false)).Select(i => i.Id)];
        var result = new List<IncidentInfo>();
        foreach (var id in ids)
        {
            var info = await GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            result.AddRange(info.Incidents.Select(i => new IncidentInfo(info.Id, info.DefinitionId, i.NodeId, i.ElementId, i.Type, i.Message, i.CreatedAt)));
        }

        return result;
    }

    /// <summary>Runs the failed element of an incident again; a new failure raises a new incident.</summary>
    public async Task RetryIncidentAsync(string instanceId, int nodeId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.RetryFailed(nodeId), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' has no incident at node {nodeId}.") { Code = "not-found" };
        }
    }

    /// <summary>Closes an incident as handled outside the process: its token moves on without running the element again.</summary>
    public async Task ResolveIncidentAsync(string instanceId, int nodeId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.ResolveFailed(nodeId), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' has no incident at node {nodeId}.") { Code = "not-found" };
        }
    }

    /// <summary>Ends an instance at once (administrator action); its called instances end too.</summary>
    public async Task TerminateInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!await RunStepAsync(instanceId, step => step.TerminateInstance(), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Process instance '{instanceId}' does not exist or has ended already.") { Code = "conflict" };
        }
    }

    internal void LogIncident(ProcessInstance instance, string elementId, string type, string message)
        => LogIncidentRaised(_logger, instance.Id, elementId, type, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {Type} in instance {InstanceId} at {ElementId}: {Message}")]
    private static partial void LogIncidentRaised(ILogger logger, string instanceId, string elementId, string type, string message);
}
