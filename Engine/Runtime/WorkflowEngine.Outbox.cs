using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>What a step leaves for other instances: outbox entries committed with it, done after it, redelivered when nobody finished them.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>Gives each post action of a step an outbox entry, committed with the step; timer changes come first.</summary>
    private List<(string Id, PostAction Action)> ToOutbox(Step step)
    {
        var outbox = new List<(string, PostAction)>(step.After.Count + 1);
        if (TimerChanges(step.Instance, step.Changes) is { } timers)
        {
            outbox.Add((AddOutbox(step.Changes, timers), timers));
        }

        foreach (var action in step.After)
        {
            outbox.Add((AddOutbox(step.Changes, action), action));
        }

        return outbox;
    }

    private string AddOutbox(StepChanges changes, PostAction action)
    {
        var entry = NewOutboxEntry(action);
        changes.Outbox.Add(entry);
        return entry.Id;
    }

    private OutboxEntry NewOutboxEntry(PostAction action) => new(NewId(), Time.GetUtcNow(), PostActionJson.Write(action));

    /// <summary>Does what committed steps left for other instances, then marks each entry done.</summary>
    private async Task RunAfterAsync(List<(string Id, PostAction Action)> outbox, CancellationToken cancellationToken)
    {
        foreach (var (id, action) in outbox)
        {
            await DeliverAsync(action, id, cancellationToken).ConfigureAwait(false);
            await Store.DeleteOutboxAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Does outbox work older than <paramref name="age"/> that nobody finished (the host that committed it
    /// stopped first, or the timer scheduler refused it). Delivery is at least once, and each delivery carries
    /// its entry's id: a receiver records the ids it applied in its own step's transaction, so an entry done
    /// a second time (after a crash between the receiver's commit and the entry's deletion) changes nothing.
    /// Returns how many entries were done.
    /// </summary>
    public async Task<int> RedeliverOutboxAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var entries = await Store.FindOutboxAsync(Time.GetUtcNow() - age, 100, cancellationToken).ConfigureAwait(false);
        var done = 0;
        foreach (var entry in entries)
        {
            var action = PostActionJson.Read(entry.Payload);
            if (action is PostAction.ChangeTimers timers)
            {
                if (!await RedeliverTimersAsync(timers, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }
            else
            {
                await DeliverAsync(action, entry.Id, cancellationToken).ConfigureAwait(false);
            }

            await Store.DeleteOutboxAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            done++;
        }

        return done;
    }

    /// <summary>Does one outbox entry's work; <paramref name="deliveryId"/> (the entry's id) makes doing it twice a no-op.</summary>
    private async Task DeliverAsync(PostAction action, string deliveryId, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case PostAction.StartCalled start:
                await StartCalledAsync(start, cancellationToken).ConfigureAwait(false);
                break;
            case PostAction.ResumeCaller resume:
                await RunStepAsync(resume.ParentInstanceId, step => step.ResumeFromCalled(resume.ParentNodeId, resume.ChildId, resume.Variables), cancellationToken, new Delivery(deliveryId, resume.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.ErrorToCaller error:
                await RunStepAsync(error.ParentInstanceId, step => step.ErrorFromCalled(error.ParentNodeId, error.Code, error.Message), cancellationToken, new Delivery(deliveryId, error.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.EscalationToCaller escalation:
                await RunStepAsync(escalation.ParentInstanceId, step => step.EscalationFromCalled(escalation.ParentNodeId, escalation.Code), cancellationToken, new Delivery(deliveryId, escalation.ParentInstanceId)).ConfigureAwait(false);
                break;
            case PostAction.TerminateInstance terminate:
                await RunStepAsync(terminate.InstanceId, step => step.TerminateInstance(), cancellationToken, new Delivery(deliveryId, terminate.InstanceId)).ConfigureAwait(false);
                break;
            case PostAction.SendMessage message:
                if (await IsDeliveredAsync(new Delivery(deliveryId, MessageReceiver), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                try
                {
                    await CorrelateMessageAsync(new MessageCorrelation(message.Name) { CorrelationKey = message.CorrelationKey, Variables = message.Variables }, deliveryId, cancellationToken).ConfigureAwait(false);
                }
                catch (WorkflowException ex) when (ex.Code is "no-match" or "ambiguous")
                {
                    _undelivered.Enqueue(new UndeliveredMessage(message.Name, message.CorrelationKey, message.FromInstanceId, message.FromElementId, message.Variables));
                    LogUndelivered(message.Name, message.FromInstanceId, ex.Message);
                }

                break;
            case PostAction.BroadcastSignal signal:
                await BroadcastSignalAsync(signal.Name, signal.Variables, deliveryId, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private void LogUndelivered(string name, string instanceId, string reason) => LogUndeliveredMessage(_logger, name, instanceId, reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageName} thrown by instance {InstanceId} was not delivered: {Reason}")]
    private static partial void LogUndeliveredMessage(ILogger logger, string messageName, string instanceId, string reason);
}
