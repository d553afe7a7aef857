namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>A process instance as callers see it.</summary>
public sealed record ProcessInstanceInfo(
    string Id,
    string DefinitionId,
    string DefinitionKey,
    int DefinitionVersion,
    string? BusinessKey,
    InstanceStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? ParentInstanceId,
    IReadOnlyList<Incident> Incidents);

/// <summary>A user task waiting for a person.</summary>
public sealed record TaskInfo(
    string Id,
    string Name,
    string ElementId,
    string ProcessInstanceId,
    string DefinitionKey,
    string? BusinessKey,
    string? Assignee,
    IReadOnlyList<string> CandidateUsers,
    IReadOnlyList<string> CandidateGroups,
    DateTimeOffset? DueDate,
    DateTimeOffset? FollowUpDate,
    int Priority,
    string? FormKey,
    DateTimeOffset CreatedAt)
{
    /// <summary>Who delegated the task (Camunda's owner); null until delegated.</summary>
    public string? Owner { get; init; }

    /// <summary><c>PENDING</c> while delegated, <c>RESOLVED</c> once resolved; null when never delegated.</summary>
    public string? DelegationState { get; init; }
}

/// <summary>A task's id and creation instant: what a watcher polling for new tasks reads before it reads the new ones whole.</summary>
public sealed record TaskStamp(string Id, DateTimeOffset CreatedAt);

/// <summary>Filters for <see cref="WorkflowEngine.GetTasksAsync"/>; null members do not filter.</summary>
public sealed record TaskQuery(
    string? ProcessInstanceId = null,
    string? Assignee = null,
    string? CandidateUser = null,
    string? CandidateGroup = null,
    string? ElementId = null)
{
    /// <summary>Only tasks created after this instant (for watchers that poll for new tasks).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only the tasks with these ids (those of <see cref="WorkflowEngine.GetTaskStampsAsync"/> not seen yet).</summary>
    public IReadOnlyCollection<string>? Ids { get; init; }

    public bool Matches(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (ProcessInstanceId is null || task.ProcessInstanceId == ProcessInstanceId)
            && (CreatedAfter is null || task.CreatedAt > CreatedAfter)
            && (Ids is null || Ids.Contains(task.Id))
            && (Assignee is null || task.Assignee == Assignee)
            && (CandidateUser is null || task.CandidateUsers.Contains(CandidateUser))
            && (CandidateGroup is null || task.CandidateGroups.Contains(CandidateGroup))
            && (ElementId is null || task.ElementId == ElementId);
    }
}

/// <summary>Where an instance's tokens are: one entry per execution node.</summary>
public sealed record TokenInfo(int NodeId, string ElementId, string ElementType, NodeState State, WaitKind Wait, int? ParentNodeId);

/// <summary>A pending timer: of an instance's wait, or of a timer start event (no instance).</summary>
public sealed record TimerInfo(string Id, string? ProcessInstanceId, string DefinitionId, string ElementId, DateTimeOffset DueAt, int FiredCount);

/// <summary>
/// An asynchronous continuation waiting to be run: due at <see cref="DueAt"/>, with <see cref="Retries"/>
/// attempts left (the last error in <see cref="ExceptionMessage"/>), locked while a worker runs it.
/// </summary>
public sealed record JobInfo(string Id, string ProcessInstanceId, string ElementId, WaitKind Kind, DateTimeOffset DueAt, int Retries, string? ExceptionMessage = null, string? LockOwner = null, DateTimeOffset? LockExpiresAt = null, bool TakenOver = false)
{
    public static string IdOf(string instanceId, int nodeId) => $"{instanceId}:{nodeId}";

    /// <summary>The node of the instance the job continues.</summary>
    public int NodeId => int.Parse(Id.AsSpan(Id.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A message to correlate by name and, to pick the instance without scanning, a key, business key or instance id.</summary>
public sealed record MessageCorrelation(string MessageName)
{
    /// <summary>Matches waits whose message event declares a <c>correlationKey</c> with this value.</summary>
    public string? CorrelationKey { get; init; }

    public string? BusinessKey { get; init; }

    public string? ProcessInstanceId { get; init; }

    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>Deliver to every matching wait instead of requiring exactly one.</summary>
    public bool All { get; init; }
}

public sealed record CorrelationResult(int Delivered, IReadOnlyList<string> ProcessInstanceIds, bool StartedNewInstance);

/// <summary>A message thrown by a process that no waiting instance or start event took.</summary>
public sealed record UndeliveredMessage(string MessageName, string? CorrelationKey, string FromInstanceId, string FromElementId, IReadOnlyDictionary<string, object?> Variables);

/// <summary>An engine operation refused because of what the caller asked (unknown task, no matching wait...).</summary>
public class WorkflowException : Exception
{
    public WorkflowException()
    {
    }

    public WorkflowException(string message)
        : base(message)
    {
    }

    public WorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Stable code: <c>not-found</c>, <c>conflict</c>, <c>no-match</c>, <c>ambiguous</c>, <c>invalid</c>.</summary>
    public string Code { get; init; } = "invalid";
}

/// <summary>An open incident: where (instance, node, element), what, since when.</summary>
public sealed record IncidentInfo(string ProcessInstanceId, string DefinitionId, int NodeId, string ElementId, string Type, string Message, DateTimeOffset CreatedAt);
