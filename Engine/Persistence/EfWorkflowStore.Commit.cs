using System.Data.Common;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>A step's commit: the instance row at its expected revision, the net task, wait and job rows, the outbox, deliveries, journal and the host's work, in one transaction.</summary>
public sealed partial class EfWorkflowStore
{
    private async Task CommitAsync(ProcessInstance instance, long? expectedRevision, StepChanges changes, CancellationToken cancellationToken)
    {
        // Everything but the database work is done before the transaction, which on SQLite holds the write lock.
        var state = InstanceSnapshot.Write(instance);
        var journal = changes.Journal.Count > 0 ? JournalJson.Write(changes.Journal) : null;
        if (_groupCommit is { } group)
        {
            await group.WriteAsync((db, token) => WriteStepAsync(db, instance, expectedRevision, changes, state, journal, token), cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await WriteStepAsync(db, instance, expectedRevision, changes, state, journal, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a step's rows and work in the open transaction of <paramref name="db"/>.</summary>
    private async Task WriteStepAsync(WorkflowDbContext db, ProcessInstance instance, long? expectedRevision, StepChanges changes, string state, string? journal, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("A step is written inside a transaction.");
        var hasIncident = instance.Incidents.Count > 0;
        var endedAt = instance.EndedAt?.ToUnixTimeMilliseconds();
        var rows = new List<object>();
        if (expectedRevision is null)
        {
            rows.Add(new InstanceRow
            {
                Id = instance.Id,
                DefinitionId = instance.Definition.Id,
                DefinitionKey = instance.Definition.Key,
                BusinessKey = instance.BusinessKey,
                Status = (int)instance.Status,
                Revision = instance.Revision,
                State = state,
                StartedAt = instance.StartedAt.ToUnixTimeMilliseconds(),
                EndedAt = endedAt,
                ParentInstanceId = instance.ParentInstanceId,
                HasIncident = hasIncident,
            });
        }
        else
        {
            var expected = expectedRevision.Value;
            var status = (int)instance.Status;
            var revision = instance.Revision;
            var definitionId = instance.Definition.Id; // a migration moves the instance to another version
            var updated = await db.Instances
                .Where(i => i.Id == instance.Id && i.Revision == expected)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(i => i.State, state)
                        .SetProperty(i => i.DefinitionId, definitionId)
                        .SetProperty(i => i.Revision, revision)
                        .SetProperty(i => i.Status, status)
                        .SetProperty(i => i.EndedAt, endedAt)
                        .SetProperty(i => i.HasIncident, hasIncident),
                    cancellationToken).ConfigureAwait(false);
            if (updated != 1)
            {
                throw new ConcurrencyException($"Process instance '{instance.Id}' was changed by someone else meanwhile.");
            }
        }

        await ApplyAsync(db, instance, changes, rows, cancellationToken).ConfigureAwait(false);
        rows.AddRange(changes.Outbox.Select(o => new OutboxRow { Id = o.Id, CreatedAt = o.CreatedAt.ToUnixTimeMilliseconds(), Payload = o.Payload }));
        if (changes.Delivery is { } delivery)
        {
            rows.Add(new DeliveryRow { DeliveryId = delivery.Id, Receiver = delivery.Receiver });
        }
        if (changes.Journal.Count > 0)
        {
            rows.Add(new JournalRow
            {
                InstanceId = instance.Id,
                FirstSequence = changes.Journal[0].Sequence,
                LastSequence = changes.Journal[^1].Sequence,
                At = changes.Journal[0].At.ToUnixTimeMilliseconds(),
                Entries = journal!,
            });
        }

        try
        {
            await _inserter.InsertAsync(db, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex) when (expectedRevision is null || changes.Delivery is not null)
        {
            throw new ConcurrencyException(
                changes.Delivery is { } applied
                    ? $"Process instance '{instance.Id}' exists already, or outbox entry '{applied.Id}' was applied by '{applied.Receiver}' already."
                    : $"Process instance '{instance.Id}' exists already.",
                ex);
        }

        foreach (var work in changes.Work)
        {
            try
            {
                await work.WriteAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException ex)
            {
                throw new ConcurrencyException($"A step of process instance '{instance.Id}' wrote a record someone else changed meanwhile: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Writes the net effect of a step's changes: rows created and ended in the same step are never written.</summary>
    private static async Task ApplyAsync(WorkflowDbContext db, ProcessInstance instance, StepChanges changes, List<object> rows, CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, (bool Existed, StepChanges.Change Last)>(StringComparer.Ordinal);
        var subscriptions = new Dictionary<int, (bool Existed, StepChanges.Change Last)>();
        var jobs = new Dictionary<int, (bool Existed, StepChanges.Change Last)>();
        var externalTasks = new Dictionary<string, (bool Existed, StepChanges.Change Last)>(StringComparer.Ordinal);
        foreach (var change in changes.Items)
        {
            switch (change.Kind)
            {
                case StepChanges.ChangeKind.ExternalTaskCreated or StepChanges.ChangeKind.ExternalTaskFailed or StepChanges.ChangeKind.ExternalTaskRemoved:
                    externalTasks[change.TaskId!] = (externalTasks.TryGetValue(change.TaskId!, out var x) ? x.Existed : change.Kind != StepChanges.ChangeKind.ExternalTaskCreated, change);
                    break;
                case StepChanges.ChangeKind.TaskCreated or StepChanges.ChangeKind.TaskRemoved or StepChanges.ChangeKind.TaskUpdated:
                    tasks[change.TaskId!] = (tasks.TryGetValue(change.TaskId!, out var t) ? t.Existed : change.Kind != StepChanges.ChangeKind.TaskCreated, change);
                    break;
                case StepChanges.ChangeKind.SubscriptionAdded or StepChanges.ChangeKind.SubscriptionRemoved:
                    var id = change.Subscription!.Id;
                    subscriptions[id] = (subscriptions.TryGetValue(id, out var s) ? s.Existed : change.Kind == StepChanges.ChangeKind.SubscriptionRemoved, change);
                    break;
                default:
                    jobs[change.NodeId] = (jobs.TryGetValue(change.NodeId, out var j) ? j.Existed : change.Kind == StepChanges.ChangeKind.JobRemoved, change);
                    break;
            }
        }

        foreach (var (taskId, (existed, last)) in tasks)
        {
            var node = last.Kind == StepChanges.ChangeKind.TaskRemoved ? null : instance.FindNode(last.NodeId);
            if (existed)
            {
                await db.TaskCandidates.Where(r => r.TaskId == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                await db.Tasks.Where(r => r.Id == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (node?.Task?.TaskId == taskId)
            {
                var row = ToRow(instance, node);
                rows.Add(row);
                rows.AddRange(TaskCandidateRow.Of(row));
            }
        }

        var instanceId = instance.Id;
        var touched = subscriptions.Where(s => s.Value.Existed).Select(s => s.Key).ToList();
        if (touched.Count > 0)
        {
            await db.Subscriptions.Where(r => r.InstanceId == instanceId && touched.Contains(r.SubscriptionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, (_, last)) in subscriptions.Where(s => s.Value.Last.Kind == StepChanges.ChangeKind.SubscriptionAdded))
        {
            var subscription = last.Subscription!;
            rows.Add(new SubscriptionRow
            {
                InstanceId = instanceId,
                SubscriptionId = subscription.Id,
                Kind = (int)subscription.Kind,
                EventName = subscription.EventName,
                CorrelationKey = subscription.CorrelationKey,
                BusinessKey = instance.BusinessKey,
                ElementId = subscription.EventElementId,
                DefinitionId = instance.Definition.Id,
                DueAt = subscription.DueAt?.ToUnixTimeMilliseconds(),
                FiredCount = subscription.FiredCount,
            });
        }

        await ApplyExternalTasksAsync(db, instance, externalTasks, rows, cancellationToken).ConfigureAwait(false);

        var endedJobs = jobs.Where(j => j.Value.Existed).Select(j => JobInfo.IdOf(instanceId, j.Key)).ToList();
        if (endedJobs.Count > 0)
        {
            await db.Jobs.Where(r => endedJobs.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (nodeId, (_, last)) in jobs.Where(j => j.Value.Last.Kind == StepChanges.ChangeKind.JobAdded))
        {
            var node = instance.FindNode(nodeId)!;
            rows.Add(new JobRow
            {
                Id = JobInfo.IdOf(instanceId, nodeId),
                InstanceId = instanceId,
                NodeId = nodeId,
                ElementId = node.ElementId,
                Kind = (int)node.Wait,
                DueAt = last.DueAt!.Value.ToUnixTimeMilliseconds(),
                Retries = last.Retries,
            });
        }
    }

    private sealed class Lease(EfWorkflowStore store, ProcessInstance instance, long? expectedRevision) : IInstanceLease
    {
        public ProcessInstance Instance => instance;

        public async Task CommitAsync(StepChanges changes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(changes);
            instance.Revision = (expectedRevision ?? instance.Revision) + 1;
            await store.CommitAsync(instance, expectedRevision, changes, cancellationToken).ConfigureAwait(false);
        }

        public void Checkpoint()
        {
            // The instance is this lease's own copy; a discarded step is simply not committed.
        }

        public void Discard()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
