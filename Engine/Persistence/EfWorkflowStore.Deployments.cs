using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Deployments and the definitions they created: saved, queried, deleted (with their instances), loaded.</summary>
public sealed partial class EfWorkflowStore
{
    public async Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(definitions);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Deployments.Add(new DeploymentRow
        {
            Id = deployment.Id,
            Name = deployment.Name,
            Source = deployment.Source,
            DeployedAt = deployment.DeployedAt.ToUnixTimeMilliseconds(),
            TenantId = deployment.TenantId,
            Resources = JsonSerializer.Serialize(deployment.ResourceHashes),
        });
        db.Definitions.AddRange(definitions.Select(definition => new DefinitionRow
        {
            Id = definition.Id,
            Key = definition.Key,
            Version = definition.Version,
            Xml = definition.Xml,
            ContentHash = definition.ContentHash,
            DeployedAt = definition.DeployedAt.ToUnixTimeMilliseconds(),
            DeploymentId = definition.DeploymentId,
            ResourceName = definition.ResourceName,
        }));
        try
        {
            // One SaveChanges: EF wraps the deployment and its definitions in one transaction.
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex)
        {
            var processes = string.Join(", ", definitions.Select(d => $"'{d.Key}' version {d.Version}"));
            throw new ConcurrencyException($"Process {processes} was deployed by someone else meanwhile; deploy again.", ex);
        }
    }

    public async Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<DeploymentRow> rows = db.Deployments.AsNoTracking();
        if (query.Id is { } id)
        {
            rows = rows.Where(d => d.Id == id);
        }

        if (query.Name is { } name)
        {
            rows = rows.Where(d => d.Name == name);
        }

        if (query.Source is { } source)
        {
            rows = rows.Where(d => d.Source == source);
        }

        if (query.DeployedAfter is { } after)
        {
            var at = after.ToUnixTimeMilliseconds();
            rows = rows.Where(d => d.DeployedAt > at);
        }

        if (query.DeployedBefore is { } before)
        {
            var at = before.ToUnixTimeMilliseconds();
            rows = rows.Where(d => d.DeployedAt < at);
        }

        var found = await rows.OrderBy(d => d.DeployedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(d => new DeploymentInfo(
            d.Id,
            d.Name,
            d.Source,
            DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedAt),
            d.TenantId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(d.Resources) ?? []))];
    }

    public async Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionIds);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = definitionIds.ToList();
        if (await db.Deployments.Where(d => d.Id == deploymentId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        var instances = db.Instances.Where(i => ids.Contains(i.DefinitionId));
        var running = await instances.CountAsync(i => i.Status == (int)InstanceStatus.Active, cancellationToken).ConfigureAwait(false);
        if (running > 0 && !cascade)
        {
            throw InMemoryWorkflowStore.DeploymentInUse(deploymentId, running);
        }

        var instanceIds = instances.Select(i => i.Id);
        await db.TaskCandidates.Where(c => db.Tasks.Any(t => t.Id == c.TaskId && instanceIds.Contains(t.InstanceId))).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Tasks.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Subscriptions.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Jobs.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Journal.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await instances.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => ids.Contains(t.DefinitionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Definitions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Definitions.AsNoTracking().OrderBy(d => d.Key).ThenBy(d => d.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(d => new DefinitionRecord(d.Id, d.Key, d.Version, d.Xml, d.ContentHash, DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedAt), d.DeploymentId, d.ResourceName))];
    }
}
