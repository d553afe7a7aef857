using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Messages correlated to the wait they match (or starting a process), and signals broadcast to every wait and signal start.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Delivers a message to the wait it matches (found through the store's index by name and key,
    /// business key or instance id, never by scanning instances), or starts a process with a matching
    /// message start event.
    /// </summary>
    public Task<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, CancellationToken cancellationToken = default)
        => CorrelateMessageAsync(correlation, null, cancellationToken);

    private async Task<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, string? deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        Delivery? delivery = deliveryId is null ? null : new Delivery(deliveryId, MessageReceiver);
        var variables = VariableValues.NormalizeAll(correlation.Variables);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var waits = await Store.FindMessageWaitsAsync(correlation.MessageName, correlation.CorrelationKey, correlation.BusinessKey, correlation.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
            if (correlation.ProcessInstanceId is not null && correlation.CorrelationKey is not null)
            {
                waits = [.. waits.Where(w => w.InstanceId == correlation.ProcessInstanceId)];
            }

            if (waits.Count == 0)
            {
                var starts = correlation.ProcessInstanceId is null
                    ? LatestStartEvents(s => s.Definition is MessageEventDefinition m && m.Message is { } r && r.Name.IsLiteral && r.Name.Text == correlation.MessageName)
                    : [];
                if (starts.Count == 0)
                {
                    throw new WorkflowException($"No process instance is waiting for message '{correlation.MessageName}'{DescribeKeys(correlation)}, and no process starts with it.") { Code = "no-match" };
                }

                if (starts.Count > 1 && !correlation.All)
                {
                    throw new WorkflowException($"Message '{correlation.MessageName}' starts {starts.Count} processes ({string.Join(", ", starts.Select(s => s.Definition.Key))}); correlate with All to start each.") { Code = "ambiguous" };
                }

                var ids = new List<string>();
                foreach (var (definition, start) in starts)
                {
                    ids.Add((await StartAsync(definition, start, variables, correlation.BusinessKey, cancellationToken, delivery: delivery).ConfigureAwait(false)).Id);
                }

                return new CorrelationResult(ids.Count, ids, true);
            }

            if (waits.Count > 1 && !correlation.All)
            {
                throw new WorkflowException($"Message '{correlation.MessageName}'{DescribeKeys(correlation)} matches {waits.Count} waits; give a correlation key, business key or instance id, or correlate with All.") { Code = "ambiguous" };
            }

            var delivered = new List<string>();
            foreach (var wait in waits)
            {
                var done = await RunStepAsync(wait.InstanceId, step =>
                    (correlation.BusinessKey is null || step.Instance.BusinessKey == correlation.BusinessKey)
                    && step.Trigger(wait.SubscriptionId, variables), cancellationToken, delivery: delivery).ConfigureAwait(false);
                if (done)
                {
                    delivered.Add(wait.InstanceId);
                }
            }

            if (delivered.Count > 0)
            {
                return new CorrelationResult(delivered.Count, delivered, false);
            }
        }

        throw new WorkflowException($"Message '{correlation.MessageName}' found only waits that ended meanwhile; try again.") { Code = "conflict" };
    }

    private static string DescribeKeys(MessageCorrelation c)
    {
        var parts = new List<string>();
        if (c.CorrelationKey is not null)
        {
            parts.Add($"correlation key '{c.CorrelationKey}'");
        }

        if (c.BusinessKey is not null)
        {
            parts.Add($"business key '{c.BusinessKey}'");
        }

        if (c.ProcessInstanceId is not null)
        {
            parts.Add($"instance '{c.ProcessInstanceId}'");
        }

        return parts.Count == 0 ? "" : " with " + string.Join(" and ", parts);
    }

    /// <summary>Broadcasts a signal to every waiting catch and signal start event; returns how many it reached.</summary>
    public Task<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
        => BroadcastSignalAsync(signalName, variables, null, cancellationToken);

    /// <summary>With <paramref name="deliveryId"/>: each waiting instance and each signal start event is a receiver of its own.</summary>
    private async Task<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables, string? deliveryId, CancellationToken cancellationToken)
    {
        var normalized = VariableValues.NormalizeAll(variables);
        var reached = 0;
        var waits = await Store.FindSignalWaitsAsync(signalName, cancellationToken).ConfigureAwait(false);
        foreach (var group in waits.GroupBy(w => w.InstanceId))
        {
            var ids = group.Select(w => w.SubscriptionId).Order().ToList();
            await RunStepAsync(group.Key, step =>
            {
                var any = false;
                foreach (var id in ids)
                {
                    if (step.Trigger(id, normalized))
                    {
                        reached++;
                        any = true;
                    }
                }

                return any;
            }, cancellationToken, delivery: deliveryId is null ? null : new Delivery(deliveryId, group.Key)).ConfigureAwait(false);
        }

        foreach (var (definition, start) in LatestStartEvents(s => s.Definition is SignalEventDefinition { SignalName: { IsLiteral: true } name } && name.Text == signalName))
        {
            Delivery? delivery = deliveryId is null ? null : new Delivery(deliveryId, $"start:{definition.Id}:{start.Id}");
            if (delivery is { } startDelivery && await IsDeliveredAsync(startDelivery, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await StartAsync(definition, start, normalized, null, cancellationToken, delivery: delivery).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (delivery is not null)
            {
                // Another host started it for this same entry meanwhile.
                continue;
            }

            reached++;
        }

        return reached;
    }
}
