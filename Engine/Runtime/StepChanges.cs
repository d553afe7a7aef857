namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>What a step changed that others look up without loading the instance: tasks, waits and jobs, in order.</summary>
internal sealed class StepChanges
{
    public List<Change> Items { get; } = [];

    public void TaskCreated(ExecutionNode node) => Items.Add(new Change(ChangeKind.TaskCreated, node.Task!.TaskId, node.Id, null, null));

    public void TaskRemoved(string taskId) => Items.Add(new Change(ChangeKind.TaskRemoved, taskId, 0, null, null));

    public void SubscriptionAdded(Subscription subscription) => Items.Add(new Change(ChangeKind.SubscriptionAdded, null, 0, subscription, subscription.DueAt));

    public void SubscriptionRemoved(Subscription subscription) => Items.Add(new Change(ChangeKind.SubscriptionRemoved, null, 0, subscription, subscription.DueAt));

    public void JobAdded(ExecutionNode node) => Items.Add(new Change(ChangeKind.JobAdded, null, node.Id, null, null));

    public void JobRemoved(ExecutionNode node) => Items.Add(new Change(ChangeKind.JobRemoved, null, node.Id, null, null));

    internal enum ChangeKind
    {
        TaskCreated,
        TaskRemoved,
        SubscriptionAdded,
        SubscriptionRemoved,
        JobAdded,
        JobRemoved,
    }

    /// <summary>One change; <see cref="DueAt"/> is the subscription's due time when the change was made.</summary>
    internal readonly record struct Change(ChangeKind Kind, string? TaskId, int NodeId, Subscription? Subscription, DateTimeOffset? DueAt);
}
