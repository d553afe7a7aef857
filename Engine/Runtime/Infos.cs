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

/// <summary>Whose tasks an inbox page lists.</summary>
public enum InboxScope
{
    /// <summary>The tasks assigned to the user.</summary>
    Mine,

    /// <summary>The unclaimed tasks offered to the user by name or to one of the user's groups.</summary>
    Groups,
}

/// <summary>
/// One page of an inbox: <paramref name="Limit"/> tasks of <paramref name="Scope"/> for <paramref name="User"/> (and
/// <paramref name="Groups"/> for the groups scope) after the keyset cursor <paramref name="After"/> (null: the first
/// page), ordered by due time (tasks without one last), creation time and task id.
/// </summary>
public sealed record InboxQuery(InboxScope Scope, string User, IReadOnlyCollection<string> Groups, int Limit, string? After = null);

/// <summary>A page of an inbox and the cursor of the next page (null when this page is the last).</summary>
public sealed record InboxPage(IReadOnlyList<TaskInfo> Tasks, string? Next);

/// <summary>
/// The keyset of the inbox order: due time in milliseconds (<see cref="long.MaxValue"/> without one, so those come
/// last), creation time in milliseconds, task id. A cursor is its text form <c>due.created.id</c>.
/// </summary>
public readonly record struct InboxKey(long DueSort, long CreatedAt, string TaskId) : IComparable<InboxKey>
{
    /// <summary>The sort value of a due date: its milliseconds, or <see cref="long.MaxValue"/> for none.</summary>
    public static long DueSortOf(DateTimeOffset? due) => due?.ToUnixTimeMilliseconds() ?? long.MaxValue;

    public static long DueSortOf(long? dueMilliseconds) => dueMilliseconds ?? long.MaxValue;

    public static InboxKey Of(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new InboxKey(DueSortOf(task.DueDate), task.CreatedAt.ToUnixTimeMilliseconds(), task.Id);
    }

    public string ToCursor() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DueSort}.{CreatedAt}.{TaskId}");

    /// <summary>Reads a cursor; a malformed one is refused naming <paramref name="parameter"/>.</summary>
    public static InboxKey Parse(string cursor, string parameter = "after")
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var parts = cursor.Split('.', 3);
        if (parts.Length != 3
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var due)
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var created)
            || parts[2].Length is 0 or > 64)
        {
            throw new ArgumentException($"{parameter}: '{Shorten(cursor)}' is not an inbox cursor (expected the value of a previous page's next link: due.created.taskId).", parameter);
        }

        return new InboxKey(due, created, parts[2]);
    }

    /// <summary>Checks a page size, refused naming <paramref name="parameter"/> when under 1 or over <paramref name="max"/>.</summary>
    public static void CheckLimit(int limit, int max = int.MaxValue, string parameter = "limit")
    {
        if (limit < 1 || limit > max)
        {
            throw new ArgumentOutOfRangeException(parameter, limit, $"{parameter}: {limit} is not a page size (1 to {max}).");
        }
    }

    public int CompareTo(InboxKey other)
    {
        var c = DueSort.CompareTo(other.DueSort);
        if (c == 0)
        {
            c = CreatedAt.CompareTo(other.CreatedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(TaskId, other.TaskId);
    }

    public static bool operator <(InboxKey left, InboxKey right) => left.CompareTo(right) < 0;

    public static bool operator >(InboxKey left, InboxKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(InboxKey left, InboxKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(InboxKey left, InboxKey right) => left.CompareTo(right) >= 0;

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
