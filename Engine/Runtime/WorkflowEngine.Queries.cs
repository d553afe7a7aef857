namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Read-only views of instances, tasks, tokens, timers and jobs.</summary>
public sealed partial class WorkflowEngine
{
    public ProcessInstanceInfo GetInstance(string instanceId) => Describe(Entry(instanceId).Instance);

    public IReadOnlyList<ProcessInstanceInfo> GetInstances(string? definitionKey = null, bool activeOnly = false)
        => [.. _instances.Values
            .Select(e => e.Instance)
            .Where(i => (definitionKey is null || i.Definition.Key == definitionKey) && (!activeOnly || i.Status == InstanceStatus.Active))
            .Select(Describe)];

    /// <summary>The variables of the process instance scope.</summary>
    public IReadOnlyDictionary<string, object?> GetVariables(string instanceId)
    {
        var entry = Entry(instanceId);
        entry.Gate.Wait();
        try
        {
            return entry.Instance.Root.Variables is { } variables
                ? new Dictionary<string, object?>(variables, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public IReadOnlyList<TaskInfo> GetTasks(TaskQuery? query = null)
    {
        var result = new List<TaskInfo>();
        IEnumerable<TaskRef> candidates = query?.ProcessInstanceId is { } instanceId
            ? Index.AllTasks().Where(t => t.InstanceId == instanceId)
            : Index.AllTasks();
        foreach (var reference in candidates)
        {
            if (_instances.TryGetValue(reference.InstanceId, out var entry)
                && entry.Instance.FindNode(reference.NodeId) is { Task: { } } node
                && Describe(entry.Instance, node) is { } task
                && Filter(task, query))
            {
                result.Add(task);
            }
        }

        return [.. result.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];
    }

    public TaskInfo GetTask(string taskId)
    {
        var entry = TaskEntry(taskId, out var reference);
        return entry.Instance.FindNode(reference.NodeId) is { Task: { } } node
            ? Describe(entry.Instance, node)
            : throw new WorkflowException($"Task '{taskId}' does not exist or is no longer active.") { Code = "not-found" };
    }

    /// <summary>Every execution node of an instance: where its tokens are and what they wait for.</summary>
    public IReadOnlyList<TokenInfo> GetTokens(string instanceId)
        => [.. Entry(instanceId).Instance.AllNodes()
            .Select(n => new TokenInfo(n.Id, n.ElementId, n.Element.TypeName, n.State, n.Wait, n.Parent?.Id))];

    public IReadOnlyList<TimerInfo> GetTimers(string? instanceId = null)
        => [.. Index.AllTimers()
            .Where(t => instanceId is null || t.InstanceId == instanceId)
            .Select(t => new TimerInfo(t.Id, t.InstanceId, t.DefinitionId ?? Entry(t.InstanceId!).Instance.Definition.Id, TimerElement(t), t.DueAt, TimerFiredCount(t)))];

    public IReadOnlyList<JobInfo> GetJobs(string? instanceId = null)
        => [.. Index.AllJobs()
            .Where(j => instanceId is null || j.Value.InstanceId == instanceId)
            .Select(j => (j.Key, Node: Entry(j.Value.InstanceId).Instance.FindNode(j.Value.NodeId)))
            .Where(j => j.Node is not null)
            .Select(j => new JobInfo(j.Key, j.Node!.Instance.Id, j.Node.ElementId, j.Node.Wait))];

    private string TimerElement(TimerRef timer)
        => timer.StartElementId ?? Entry(timer.InstanceId!).Instance.Subscriptions.Find(s => s.Id == timer.SubscriptionId)?.EventElementId ?? "";

    private int TimerFiredCount(TimerRef timer)
        => timer.InstanceId is null
            ? _startTimerFirings.GetValueOrDefault(timer.Id)
            : Entry(timer.InstanceId).Instance.Subscriptions.Find(s => s.Id == timer.SubscriptionId)?.FiredCount ?? 0;

    private static bool Filter(TaskInfo task, TaskQuery? query) => query is null
        || ((query.Assignee is null || task.Assignee == query.Assignee)
            && (query.CandidateUser is null || task.CandidateUsers.Contains(query.CandidateUser))
            && (query.CandidateGroup is null || task.CandidateGroups.Contains(query.CandidateGroup))
            && (query.ElementId is null || task.ElementId == query.ElementId));

    private static ProcessInstanceInfo Describe(ProcessInstance instance) => new(
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

    private static TaskInfo Describe(ProcessInstance instance, ExecutionNode node)
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
            task.CreatedAt);
    }
}
