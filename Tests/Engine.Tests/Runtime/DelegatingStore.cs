using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>A store that passes everything to another; tests override what they make fail (a host dying, say).</summary>
internal class DelegatingStore(IWorkflowStore inner) : IWorkflowStore
{
    protected IWorkflowStore Inner => inner;

    public virtual bool CommitsStepWorkFor(System.Data.Common.DbConnection database) => inner.CommitsStepWorkFor(database);

    public virtual Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default) => inner.CreateAsync(instance, cancellationToken);

    public virtual Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default) => inner.AcquireAsync(instanceId, definitions, cancellationToken);

    public Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default) => inner.SaveDeploymentAsync(deployment, definitions, cancellationToken);

    public Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default) => inner.QueryDeploymentsAsync(query, cancellationToken);

    public Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default) => inner.DeleteDeploymentAsync(deploymentId, definitionIds, cascade, trigger, cancellationToken);

    public Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default) => inner.LoadDefinitionsAsync(cancellationToken);

    public Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default) => inner.FindTaskAsync(taskId, cancellationToken);

    public Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => inner.QueryTasksAsync(query, cancellationToken);

    public Task<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default) => inner.QueryInboxAsync(query, cancellationToken);

    public Task<IReadOnlyList<TaskStamp>> QueryTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default) => inner.QueryTaskStampsAsync(createdAfter, cancellationToken);

    public Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default) => inner.FindMessageWaitsAsync(name, correlationKey, businessKey, instanceId, cancellationToken);

    public Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default) => inner.FindSignalWaitsAsync(name, cancellationToken);

    public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueTimersAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default) => inner.QueryTimersAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default) => inner.QueryJobsAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default) => inner.AcquireJobsAsync(owner, now, max, lockFor, cancellationToken);

    public Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default) => inner.ExtendJobLockAsync(jobId, owner, lockedUntil, cancellationToken);

    public Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default) => inner.FailJobAsync(jobId, retriesLeft, dueAt, message, cancellationToken);

    public Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.SetJobRetriesAsync(jobId, retries, now, cancellationToken);

    public Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(definitionKey, activeOnly, withIncidentOnly, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default) => inner.FindOutboxAsync(createdBefore, max, cancellationToken);

    public virtual Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default) => inner.DeleteOutboxAsync(id, cancellationToken);

    public Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default) => inner.FindDeliveryReceiversAsync(deliveryId, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default) => inner.QueryJournalAsync(instanceId, cancellationToken);

    public Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, OutboxEntry? trigger = null, CancellationToken cancellationToken = default) => inner.ScheduleStartTimerAsync(definitionId, elementId, dueAt, firedCount, trigger, cancellationToken);

    public Task RemoveStartTimersAsync(string definitionId, OutboxEntry? trigger = null, CancellationToken cancellationToken = default) => inner.RemoveStartTimersAsync(definitionId, trigger, cancellationToken);

    public Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default) => inner.ClaimStartTimerAsync(timer, cancellationToken);
}

/// <summary>The host stopped (in a test: the exception a "dying" store throws).</summary>
internal sealed class HostDiedException() : Exception("The host stopped right after committing.");

/// <summary>A store whose host stops right after committing a step that left outbox work.</summary>
internal sealed class DiesAfterCommit(IWorkflowStore inner) : DelegatingStore(inner)
{
    public override async Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default) => new Lease(await Inner.CreateAsync(instance, cancellationToken));

    public override async Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default)
        => await Inner.AcquireAsync(instanceId, definitions, cancellationToken) is { } lease ? new Lease(lease) : null;

    private sealed class Lease(IInstanceLease inner) : IInstanceLease
    {
        public ProcessInstance Instance => inner.Instance;

        public async Task CommitAsync(StepChanges changes, CancellationToken cancellationToken = default)
        {
            await inner.CommitAsync(changes, cancellationToken);
            if (changes.Outbox.Count > 0)
            {
                throw new HostDiedException();
            }
        }

        public void Checkpoint() => inner.Checkpoint();

        public void Discard() => inner.Discard();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>A timer scheduler that keeps its triggers in a dictionary and can be told to fail its next calls.</summary>
internal sealed class RecordingTimerScheduler : ITimerScheduler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _triggers = new(StringComparer.Ordinal);
    private int _failures;

    /// <summary>The triggers now scheduled: timer id to due time.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Triggers
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, DateTimeOffset>(_triggers, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Makes the next <paramref name="calls"/> calls throw, as a scheduler whose database is away.</summary>
    public void FailNext(int calls = 1)
    {
        lock (_gate)
        {
            _failures = calls;
        }
    }

    public Task TimersChangedAsync(IReadOnlyList<DueTimer> scheduled, IReadOnlyList<string> cancelled, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_failures > 0)
            {
                _failures--;
                throw new InvalidOperationException("the scheduler's database is not reachable");
            }

            foreach (var id in cancelled)
            {
                _triggers.Remove(id);
            }

            foreach (var timer in scheduled)
            {
                _triggers[timer.Id] = timer.DueAt;
            }
        }

        return Task.CompletedTask;
    }
}
