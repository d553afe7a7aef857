namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>What a step changed that others look up without loading the instance: tasks, waits and jobs, in order.</summary>
public sealed class StepChanges
{
    internal List<Change> Items { get; } = [];

    /// <summary>The instance's journal entries written by the step, in order.</summary>
    public List<JournalEntry> Journal { get; } = [];

    /// <summary>Work for other instances the step left, stored with the step and done after it (at least once).</summary>
    public List<OutboxEntry> Outbox { get; } = [];

    /// <summary>Rows of the host's own tables the step's activities wrote, stored in the step's transaction (see <see cref="Persistence.IStepWork"/>).</summary>
    public List<Persistence.IStepWork> Work { get; } = [];

    /// <summary>
    /// The outbox entry this step applies, and as which receiver (an instance id, or a key such as
    /// <c>message</c> for "the one receiver of a message"): stores record the pair with the step, and refuse
    /// (as a <see cref="Persistence.ConcurrencyException"/>) a step recording a pair that is there already.
    /// </summary>
    public Delivery? Delivery { get; internal set; }

    /// <summary>Everything an instance holds, as if just created: for importing a snapshot into a store.</summary>
    internal static StepChanges Everything(ProcessInstance instance)
    {
        var changes = new StepChanges();
        foreach (var node in instance.AllNodes())
        {
            if (node.Task is not null)
            {
                changes.TaskCreated(node);
            }

            if (node.Wait is WaitKind.AsyncBefore or WaitKind.AsyncAfter)
            {
                changes.JobAdded(node, instance.StartedAt, 1);
            }

            if (node.External is not null)
            {
                changes.ExternalTaskCreated(node);
            }
        }

        foreach (var subscription in instance.Subscriptions)
        {
            changes.SubscriptionAdded(subscription);
        }

        return changes;
    }

    internal void TaskUpdated(ExecutionNode node) => Items.Add(new Change(ChangeKind.TaskUpdated, node.Task!.TaskId, node.Id, null, null));

    internal void TaskCreated(ExecutionNode node) => Items.Add(new Change(ChangeKind.TaskCreated, node.Task!.TaskId, node.Id, null, null));

    internal void TaskRemoved(string taskId) => Items.Add(new Change(ChangeKind.TaskRemoved, taskId, 0, null, null));

    internal void SubscriptionAdded(Subscription subscription) => Items.Add(new Change(ChangeKind.SubscriptionAdded, null, 0, subscription, subscription.DueAt));

    internal void SubscriptionRemoved(Subscription subscription) => Items.Add(new Change(ChangeKind.SubscriptionRemoved, null, 0, subscription, subscription.DueAt));

    internal void JobAdded(ExecutionNode node, DateTimeOffset dueAt, int retries) => Items.Add(new Change(ChangeKind.JobAdded, null, node.Id, null, dueAt, retries));

    internal void JobRemoved(ExecutionNode node) => Items.Add(new Change(ChangeKind.JobRemoved, null, node.Id, null, null));

    internal void ExternalTaskCreated(ExecutionNode node) => Items.Add(new Change(ChangeKind.ExternalTaskCreated, node.External!.Id, node.Id, null, null));

    /// <summary>A failure was reported: the row's retries and error change, and it is locked until <paramref name="lockedUntil"/> (the retry timeout; null: unlocked).</summary>
    internal void ExternalTaskFailed(ExecutionNode node, DateTimeOffset? lockedUntil) => Items.Add(new Change(ChangeKind.ExternalTaskFailed, node.External!.Id, node.Id, null, lockedUntil));

    internal void ExternalTaskRemoved(string externalTaskId) => Items.Add(new Change(ChangeKind.ExternalTaskRemoved, externalTaskId, 0, null, null));

    /// <summary>Whether the step created an external task (long-polling workers are woken after the commit).</summary>
    internal bool CreatedExternalTasks => Items.Exists(c => c.Kind == ChangeKind.ExternalTaskCreated);

    internal enum ChangeKind
    {
        TaskCreated,
        TaskUpdated,
        TaskRemoved,
        SubscriptionAdded,
        SubscriptionRemoved,
        JobAdded,
        JobRemoved,
        ExternalTaskCreated,
        ExternalTaskFailed,
        ExternalTaskRemoved,
    }

    /// <summary>One change; <see cref="DueAt"/> is the subscription's or job's due time when the change was made (an external task's lock for a failure).</summary>
    internal readonly record struct Change(ChangeKind Kind, string? TaskId, int NodeId, Subscription? Subscription, DateTimeOffset? DueAt, int Retries = 0);
}

/// <summary>An outbox entry (<paramref name="Id"/>) applied by one receiver; recorded so that applying it again does nothing.</summary>
public readonly record struct Delivery(string Id, string Receiver);

/// <summary>Work a step left for other instances (start a called process, resume a caller, deliver a message...).</summary>
public sealed record OutboxEntry(string Id, DateTimeOffset CreatedAt, string Payload);
