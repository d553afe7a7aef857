using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Instances: a lease on a new or stored instance, and the instance and journal queries.</summary>
public sealed partial class EfWorkflowStore
{
    public Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Task.FromResult<IInstanceLease>(new Lease(this, instance, expectedRevision: null));
    }

    public async Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Instances.AsNoTracking()
            .Where(i => i.Id == instanceId)
            .Select(i => new { i.State, i.Revision })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var instance = InstanceSnapshot.Read(row.State, definitions);
        instance.Revision = row.Revision;
        return new Lease(this, instance, row.Revision);
    }

    public async Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var instances = db.Instances.AsNoTracking();
        if (definitionKey is not null)
        {
            instances = instances.Where(i => i.DefinitionKey == definitionKey);
        }

        if (activeOnly)
        {
            instances = instances.Where(i => i.Status == (int)InstanceStatus.Active);
        }

        if (withIncidentOnly)
        {
            instances = instances.Where(i => i.HasIncident);
        }

        var rows = await instances.OrderBy(i => i.StartedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var versions = await db.Definitions.AsNoTracking().Select(d => new { d.Id, d.Version }).ToDictionaryAsync(d => d.Id, d => d.Version, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(i => new ProcessInstanceInfo(
            i.Id,
            i.DefinitionId,
            i.DefinitionKey,
            versions.GetValueOrDefault(i.DefinitionId),
            i.BusinessKey,
            (InstanceStatus)i.Status,
            DateTimeOffset.FromUnixTimeMilliseconds(i.StartedAt),
            i.EndedAt is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
            i.ParentInstanceId,
            []))];
    }

    public async Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.FirstSequence).Select(j => j.Entries).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.SelectMany(JournalJson.Read)];
    }
}
