using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>The outbox: entries found and deleted, written with a store operation, and the deliveries recorded for them.</summary>
public sealed partial class InMemoryWorkflowStore
{
    public Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<OutboxEntry>>([.. _outbox.Values.Where(o => o.CreatedAt < createdBefore).OrderBy(o => o.CreatedAt).Take(max)]);

    public Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _outbox.TryRemove(id, out _);
            _deliveries.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_deliveries.TryGetValue(deliveryId, out var receivers) ? [.. receivers] : []);
        }
    }

    /// <summary>Records a step's delivery; false when that receiver applied the entry already (the step must not commit).</summary>
    private bool RecordDelivery(StepChanges changes)
    {
        if (changes.Delivery is not { } delivery)
        {
            return true;
        }

        lock (_gate)
        {
            if (!_deliveries.TryGetValue(delivery.Id, out var receivers))
            {
                _deliveries[delivery.Id] = receivers = new HashSet<string>(StringComparer.Ordinal);
            }

            return receivers.Add(delivery.Receiver);
        }
    }

    private void AddOutbox(OutboxEntry? entry)
    {
        if (entry is not null)
        {
            _outbox[entry.Id] = entry;
        }
    }
}
