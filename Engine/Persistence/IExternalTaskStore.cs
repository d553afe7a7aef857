namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>An external task as stored: where it waits, its topic, its lock, its retries and last error.</summary>
public sealed record ExternalTaskInfo(
    string Id,
    string Topic,
    string InstanceId,
    int NodeId,
    string ElementId,
    string DefinitionId,
    string DefinitionKey,
    string? BusinessKey,
    long Priority,
    DateTimeOffset CreatedAt,
    string? WorkerId,
    DateTimeOffset? LockExpiresAt,
    int? Retries,
    string? ErrorMessage,
    string? ErrorDetails)
{
    /// <summary>Whether a worker holds the task at <paramref name="now"/>.</summary>
    public bool IsLocked(DateTimeOffset now) => LockExpiresAt is { } until && until >= now;
}

/// <summary>One topic of a fetch: its name and how long a task fetched from it stays locked.</summary>
public sealed record ExternalTaskTopic(string Name, TimeSpan LockDuration);

/// <summary>What an external-task query narrows by (every part optional).</summary>
public sealed record ExternalTaskQuery(string? Id = null, string? Topic = null, string? WorkerId = null, string? InstanceId = null, string? ElementId = null)
{
    /// <summary>Only tasks locked (true) or not locked (false) at <see cref="Now"/>.</summary>
    public bool? Locked { get; init; }

    /// <summary>Only tasks with retries left (true) or none (false).</summary>
    public bool? WithRetriesLeft { get; init; }

    public DateTimeOffset Now { get; init; }
}

/// <summary>
/// The external tasks of a store. Tasks are written and removed with the steps of their instances (see
/// <see cref="Runtime.StepChanges"/>); their locks are changed here, each by one conditional update of the task's
/// row, so that two hosts never both hold one task.
/// </summary>
public interface IExternalTaskStore
{
    /// <summary>
    /// Locks for <paramref name="workerId"/> up to <paramref name="max"/> tasks of the topics that nobody holds and that
    /// have retries left, highest priority first (then oldest), each for its topic's lock duration.
    /// </summary>
    Task<IReadOnlyList<ExternalTaskInfo>> LockExternalTasksAsync(string workerId, IReadOnlyList<ExternalTaskTopic> topics, int max, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sets the lock of a task <paramref name="workerId"/> holds at <paramref name="now"/> to <paramref name="lockedUntil"/>; false when it does not hold it.</summary>
    Task<bool> ExtendExternalTaskLockAsync(string id, string workerId, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default);

    /// <summary>Releases a task's lock, whoever holds it; false when there is no such task.</summary>
    Task<bool> UnlockExternalTaskAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ExternalTaskInfo>> QueryExternalTasksAsync(ExternalTaskQuery query, CancellationToken cancellationToken = default);
}
