using ComplaintWorkflows.Engine.Persistence;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Running one step on an instance: load, seed, run until every token waits, commit; again on a conflict.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Runs one step on an instance: load it, seed the step (false: nothing to do), run until every token
    /// waits, commit. When another host committed first, the whole operation is tried again on the new state.
    /// Returns false when the instance does not exist, has ended, or the seed found nothing to do.
    /// </summary>
    private async Task<bool> RunStepAsync(string instanceId, Func<Step, bool> seed, CancellationToken cancellationToken, bool allowEnded = false, Func<Step, bool>? commitWhen = null, Delivery? delivery = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            Step? step = null;
            List<(string Id, PostAction Action)> outbox;
            var lease = await Store.AcquireAsync(instanceId, GetDefinitionOrLoad, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return false;
            }

            try
            {
                var instance = lease.Instance;
                if (instance.Status != InstanceStatus.Active && !allowEnded)
                {
                    return false;
                }

                if (delivery is { } applying && await IsDeliveredAsync(applying, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                if (commitWhen is not null)
                {
                    lease.Checkpoint();
                }

                var before = instance.Status;
                using var span = EngineMetrics.Tracing.StartActivity("engine step");
                span?.SetTag("cw.instance_id", instance.Id);
                span?.SetTag("cw.process_key", instance.Definition.Key);
                step = new Step(this, instance, cancellationToken).Begin();
                step.Changes.Delivery = delivery;
                try
                {
                    if (!seed(step))
                    {
                        return false;
                    }

                    await step.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    step.Finish();
                }

                if (commitWhen is not null && !commitWhen(step))
                {
                    lease.Discard();
                    return false;
                }

                outbox = ToOutbox(step);
                var commitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                await lease.CommitAsync(step.Changes, cancellationToken).ConfigureAwait(false);
                Metrics?.Committed(step, before, System.Diagnostics.Stopwatch.GetElapsedTime(commitStarted), Time.GetUtcNow());
                TellCommitted(step);
                await ApplyTimerChangesAsync(outbox, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (attempt < Options.MaxConflictRetries)
            {
                continue;
            }
            finally
            {
                step?.DisposeWork();

                await lease.DisposeAsync().ConfigureAwait(false);
            }

            if (outbox.Count > 0)
            {
                await RunAfterAsync(outbox, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
    }

    private Task<bool> RunStepAsync(string instanceId, Action<Step> seed, CancellationToken cancellationToken, Delivery? delivery = null)
        => RunStepAsync(instanceId, step =>
        {
            seed(step);
            return true;
        }, cancellationToken, delivery: delivery);

    /// <summary>Whether the receiver of <paramref name="delivery"/> committed a step applying it already.</summary>
    private async Task<bool> IsDeliveredAsync(Delivery delivery, CancellationToken cancellationToken)
        => (await Store.FindDeliveryReceiversAsync(delivery.Id, cancellationToken).ConfigureAwait(false)).Contains(delivery.Receiver, StringComparer.Ordinal);

    /// <summary>The receiver key of a message: one for all instances, since a message goes to one wait (or starts one process).</summary>
    private const string MessageReceiver = "message";

    /// <summary>Tells the step's work it was stored; the step is stored whatever the work then does, so a failure there is logged, not thrown.</summary>
    private void TellCommitted(Step step)
    {
        try
        {
            step.Committed();
            if (step.Changes.CreatedExternalTasks)
            {
                ExternalTasksCreated?.Invoke();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStepWorkCommittedFailed(_logger, step.Instance.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of instance {InstanceId} was stored, but its work failed in what it does after the commit")]
    private static partial void LogStepWorkCommittedFailed(ILogger logger, string instanceId, Exception exception);
}
