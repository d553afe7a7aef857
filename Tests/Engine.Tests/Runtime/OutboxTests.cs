using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>What a committed step leaves for other instances survives the host stopping right after the commit.</summary>
public abstract class OutboxTests(StoreKind store)
{
    [Fact]
    public async Task AHostThatDiesAfterCommitting_LeavesItsOutbox_AndAnotherHostFinishesIt()
    {
        var (first, second) = EngineHarness.TwoHosts(store);
        var crashing = new WorkflowEngine(first.Activities, time: first.Clock, store: new DiesAfterCommit(first.Engine.Store));
        await first.Engine.DeployAsync(Wrap("""<bpmn:startEvent id="s" /><bpmn:userTask id="answer" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="answer" />""", "", "survey"));
        first.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:callActivity id="callSurvey" calledElement="survey" />
            <bpmn:userTask id="archive" />
            {{Chain("s", "callSurvey", "archive")}}
            """);
        await crashing.LoadDefinitionsAsync();
        await second.Engine.LoadDefinitionsAsync();

        await Assert.ThrowsAsync<HostDiedException>(() => crashing.StartProcessAsync("p"));
        var parent = Assert.Single(await second.Engine.GetInstancesAsync("p"));
        Assert.Empty(await second.Engine.GetInstancesAsync("survey"));

        first.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await second.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await second.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));

        var child = Assert.Single(await second.Engine.GetInstancesAsync("survey"));
        await second.Engine.CompleteTaskAsync((await second.SingleTaskAsync(child.Id)).Id);
        Assert.Equal(["archive"], await second.ActiveElementsAsync(parent.Id));
    }

    private sealed class HostDiedException() : Exception("The host stopped right after committing.");

    /// <summary>A store whose host stops right after committing a step that left outbox work.</summary>
    private sealed class DiesAfterCommit(IWorkflowStore inner) : IWorkflowStore
    {
        public async Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default) => new Lease(await inner.CreateAsync(instance, cancellationToken));

        public async Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default)
            => await inner.AcquireAsync(instanceId, definitions, cancellationToken) is { } lease ? new Lease(lease) : null;

        public Task SaveDefinitionAsync(DefinitionRecord definition, CancellationToken cancellationToken = default) => inner.SaveDefinitionAsync(definition, cancellationToken);

        public Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default) => inner.LoadDefinitionsAsync(cancellationToken);

        public Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default) => inner.FindTaskAsync(taskId, cancellationToken);

        public Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => inner.QueryTasksAsync(query, cancellationToken);

        public Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default) => inner.FindMessageWaitsAsync(name, correlationKey, businessKey, instanceId, cancellationToken);

        public Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default) => inner.FindSignalWaitsAsync(name, cancellationToken);

        public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueTimersAsync(now, max, cancellationToken);

        public Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default) => inner.QueryTimersAsync(instanceId, cancellationToken);

        public Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default) => inner.QueryJobsAsync(instanceId, cancellationToken);

        public Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default) => inner.AcquireJobsAsync(owner, now, max, lockFor, cancellationToken);

        public Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default) => inner.FailJobAsync(jobId, retriesLeft, dueAt, message, cancellationToken);

        public Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.SetJobRetriesAsync(jobId, retries, now, cancellationToken);

        public Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(definitionKey, activeOnly, withIncidentOnly, cancellationToken);

        public Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default) => inner.FindOutboxAsync(createdBefore, max, cancellationToken);

        public Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default) => inner.DeleteOutboxAsync(id, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default) => inner.QueryJournalAsync(instanceId, cancellationToken);

        public Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, CancellationToken cancellationToken = default) => inner.ScheduleStartTimerAsync(definitionId, elementId, dueAt, firedCount, cancellationToken);

        public Task RemoveStartTimersAsync(string definitionId, CancellationToken cancellationToken = default) => inner.RemoveStartTimersAsync(definitionId, cancellationToken);

        public Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default) => inner.ClaimStartTimerAsync(timer, cancellationToken);

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
}

public sealed class OutboxTests_Sqlite() : OutboxTests(StoreKind.Sqlite);

public sealed class OutboxTests_Postgres() : OutboxTests(StoreKind.Postgres);
