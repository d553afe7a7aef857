using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Deployments and the definitions they created: saved, queried, deleted (with their instances), loaded.</summary>
public sealed partial class InMemoryWorkflowStore
{
    public Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(definitions);
        lock (_gate)
        {
            if (definitions.FirstOrDefault(d => _definitions.Values.Any(e => e.Key == d.Key && e.Version == d.Version)) is { } taken)
            {
                throw new ConcurrencyException($"Version {taken.Version} of process '{taken.Key}' was deployed by someone else meanwhile; deploy again.");
            }

            _deployments.Add(deployment);
            foreach (var definition in definitions)
            {
                _definitions[definition.Id] = definition;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DeploymentInfo>>([.. _deployments.Where(query.Matches).OrderBy(d => d.DeployedAt).ThenBy(d => d.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionIds);
        lock (_gate)
        {
            var deployment = _deployments.Find(d => d.Id == deploymentId);
            if (deployment is null)
            {
                return Task.FromResult(false);
            }

            var ids = definitionIds.ToHashSet(StringComparer.Ordinal);
            var instances = _instances.Values.Select(e => e.Instance).Where(i => ids.Contains(i.Definition.Id)).ToList();
            var running = instances.Count(i => i.Status == InstanceStatus.Active);
            if (running > 0 && !cascade)
            {
                throw DeploymentInUse(deploymentId, running);
            }

            foreach (var instance in instances)
            {
                Forget(instance.Id);
            }

            _timers.RemoveWhere(t => t.InstanceId is null && ids.Contains(t.DefinitionId));
            foreach (var id in ids)
            {
                _definitions.TryRemove(id, out _);
            }

            _deployments.Remove(deployment);
            AddOutbox(trigger);
            return Task.FromResult(true);
        }
    }

    internal static WorkflowException DeploymentInUse(string deploymentId, int running)
        => new($"Deployment '{deploymentId}' cannot be deleted: {running} instance(s) of its processes are still running; end them first or delete with cascade.") { Code = "conflict" };

    /// <summary>Removes an instance and everything the indexes hold of it (under the gate).</summary>
    private void Forget(string instanceId)
    {
        _instances.TryRemove(instanceId, out _);
        _journals.TryRemove(instanceId, out _);
        foreach (var task in _tasks.Where(t => t.Value.InstanceId == instanceId).Select(t => t.Key).ToList())
        {
            _tasks.Remove(task);
        }

        foreach (var byKey in _messages.Values)
        {
            foreach (var set in byKey.Values)
            {
                set.RemoveWhere(w => w.InstanceId == instanceId);
            }
        }

        foreach (var set in _signals.Values)
        {
            set.RemoveWhere(w => w.InstanceId == instanceId);
        }

        _timers.RemoveWhere(t => t.InstanceId == instanceId);
        foreach (var job in _jobs.Values.Where(j => j.ProcessInstanceId == instanceId).Select(j => j.Id).ToList())
        {
            _jobs.Remove(job);
        }
    }

    public Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<DefinitionRecord>>([.. _definitions.Values.OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Version)]);
}
