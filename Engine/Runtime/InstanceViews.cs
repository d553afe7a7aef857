namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>How instances and tasks look to callers.</summary>
internal static class InstanceViews
{
    public static ProcessInstanceInfo Instance(ProcessInstance instance) => new(
        instance.Id,
        instance.Definition.Id,
        instance.Definition.Key,
        instance.Definition.Version,
        instance.BusinessKey,
        instance.Status,
        instance.StartedAt,
        instance.EndedAt,
        instance.ParentInstanceId,
        [.. instance.Incidents]);

    public static TaskInfo Task(ProcessInstance instance, ExecutionNode node)
    {
        var task = node.Task!;
        return new TaskInfo(
            task.TaskId,
            node.Element.Name ?? node.ElementId,
            node.ElementId,
            instance.Id,
            instance.Definition.Key,
            instance.BusinessKey,
            task.Assignee,
            task.CandidateUsers,
            task.CandidateGroups,
            task.DueDate,
            task.FollowUpDate,
            task.Priority,
            task.FormKey,
            task.CreatedAt)
        {
            Owner = task.Owner,
            DelegationState = task.DelegationState,
        };
    }

    public static IReadOnlyList<TokenInfo> Tokens(ProcessInstance instance)
        => [.. instance.AllNodes().Select(n => new TokenInfo(n.Id, n.ElementId, n.Element.TypeName, n.State, n.Wait, n.Parent?.Id))];
}
