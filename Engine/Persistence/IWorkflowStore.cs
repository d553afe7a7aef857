using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>A deployed definition as stored: enough to parse it again on any host.</summary>
public sealed record DefinitionRecord(string Id, string Key, int Version, string Xml, string ContentHash, DateTimeOffset DeployedAt, string? DeploymentId = null, string? ResourceName = null);

/// <summary>Where a task waits: its instance and node.</summary>
public readonly record struct TaskLocation(string InstanceId, int NodeId);

/// <summary>A message or signal wait: its instance and subscription.</summary>
public readonly record struct WaitLocation(string InstanceId, int SubscriptionId);

/// <summary>
/// A pending timer: of an instance's wait (<see cref="InstanceId"/> and <see cref="SubscriptionId"/>), or, with no
/// instance, of a definition's timer start event.
/// </summary>
public readonly record struct DueTimer(DateTimeOffset DueAt, string? InstanceId, int SubscriptionId, string DefinitionId, string ElementId, int FiredCount)
{
    public string Id => InstanceId is not null ? $"{InstanceId}:{SubscriptionId}" : $"start:{DefinitionId}:{ElementId}";
}

/// <summary>
/// Where instances, definitions and the lookups the engine needs live. The in-memory store keeps live
/// objects; a database store keeps each instance's snapshot plus rows for tasks, waits and jobs, and
/// commits a step's changes in one transaction with an optimistic revision check.
/// </summary>
public interface IWorkflowStore
{
    /// <summary>
    /// Records a deployment and the definition versions it created, in one transaction; throws
    /// <see cref="ConcurrencyException"/> when another host deployed one of those versions first.
    /// </summary>
    Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default);

    /// <summary>Deployments matching the query, oldest first.</summary>
    Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a deployment with its definitions (<paramref name="definitionIds"/>), their start timers and their
    /// instances with everything they hold (tasks, waits, jobs, journal), in one transaction with
    /// <paramref name="trigger"/> (the outbox entry taking their timer triggers off the scheduler). Without
    /// <paramref name="cascade"/>, refuses with a <see cref="WorkflowException"/> (code <c>conflict</c>) while
    /// any of those instances is running, and deletes nothing. False when there is no such deployment.
    /// </summary>
    Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store writes a step's <see cref="StepChanges.Work"/> for the database of <paramref name="database"/>
    /// in the step's transaction: a database store whose own database that is; never a store without transactions.
    /// </summary>
    bool CommitsStepWorkFor(System.Data.Common.DbConnection database) => false;

    /// <summary>Takes a new instance into the store's care; commit the lease to make it visible.</summary>
    Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default);

    /// <summary>Loads an instance for one step, or null when it does not exist.</summary>
    Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default);

    Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>One keyset page of an inbox (see <see cref="InboxQuery"/>); a bad limit or cursor is refused naming it.</summary>
    Task<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default);

    /// <summary>The ids and creation instants of the tasks created after an instant, oldest first.</summary>
    Task<IReadOnlyList<TaskStamp>> QueryTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default);

    /// <summary>Message waits by name, narrowed by the most specific key given (correlation key, instance, business key).</summary>
    Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Locks up to <paramref name="max"/> due jobs for <paramref name="owner"/> until now + <paramref name="lockFor"/>;
    /// a job locked by another owner is skipped until its lock expires (a crashed worker's jobs come back).
    /// </summary>
    Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the lock of a job that <paramref name="owner"/> holds to <paramref name="lockedUntil"/> (the
    /// heartbeat of a running job); false when the job is gone or locked by someone else.
    /// </summary>
    Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: retries left, when to try again, the error; unlocks the job.</summary>
    Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default);

    /// <summary>Sets a job's retries (and makes it due now); false when there is no such job.</summary>
    Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Instances of a process (all when null); with <paramref name="withIncidentOnly"/>, those with an open incident.</summary>
    Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Outbox entries written before <paramref name="createdBefore"/> and not yet done (left by a crash).</summary>
    Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks an outbox entry done, and forgets which receivers applied it (it cannot come again).</summary>
    Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The receivers whose committed steps applied outbox entry <paramref name="deliveryId"/> (see <see cref="StepChanges.Delivery"/>).</summary>
    Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>An instance's history, in order.</summary>
    Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Schedules (or reschedules) the timer of a definition's timer start event; <paramref name="trigger"/>, when
    /// given, is the outbox entry telling the timer scheduler, written in the same transaction.
    /// </summary>
    Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, OutboxEntry? trigger = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a definition's start timers; <paramref name="trigger"/> as for <see cref="ScheduleStartTimerAsync"/>.</summary>
    Task RemoveStartTimersAsync(string definitionId, OutboxEntry? trigger = null, CancellationToken cancellationToken = default);

    /// <summary>Takes a due start timer away so only one caller fires it; false when another did.</summary>
    Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default);
}

/// <summary>One instance held for one step: change it, then commit; disposing without commit discards the step.</summary>
public interface IInstanceLease : IAsyncDisposable
{
    ProcessInstance Instance { get; }

    /// <summary>Stores the instance and what the step changed; throws <see cref="ConcurrencyException"/> when another step won.</summary>
    Task CommitAsync(StepChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Remembers the instance as it is, so that <see cref="Discard"/> can undo a step.</summary>
    void Checkpoint();

    /// <summary>Forgets what the step did to the instance since <see cref="Checkpoint"/>; nothing is stored.</summary>
    void Discard();
}

/// <summary>Another step changed the instance first; nothing of this step was stored.</summary>
public sealed class ConcurrencyException : WorkflowException
{
    public ConcurrencyException()
        : base("The process instance was changed by someone else meanwhile.")
    {
        Code = "conflict";
    }

    public ConcurrencyException(string message)
        : base(message)
    {
        Code = "conflict";
    }

    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "conflict";
    }
}
