using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>External tasks: a worker fetches by topic and locks, completes, fails (retries, incident) or throws a BPMN error; locks hold across hosts.</summary>
public abstract class ExternalTaskTests(StoreKind store)
{
    private static readonly ExternalTaskTopic[] Billing = [new("billing", TimeSpan.FromMinutes(1))];

    private const string Process = """
        <bpmn:startEvent id="s" />
        <bpmn:serviceTask id="bill" name="Bill" camunda:type="external" camunda:topic="billing" />
        <bpmn:boundaryEvent id="rejected" attachedToRef="bill"><bpmn:errorEventDefinition errorRef="E1" /></bpmn:boundaryEvent>
        <bpmn:userTask id="done" />
        <bpmn:userTask id="handleRejection" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="bill" />
        <bpmn:sequenceFlow id="f2" sourceRef="bill" targetRef="done" />
        <bpmn:sequenceFlow id="f3" sourceRef="rejected" targetRef="handleRejection" />
        """;

    private const string Roots = """<bpmn:error id="E1" errorCode="REJECTED" />""";

    [Fact]
    public async Task WorkerFetchesAndCompletes_VariablesSet_TokenMovesOn()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process, Roots);
        var instance = await h.StartAsync(businessKey: "BK-1");

        var task = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
        Assert.Equal(("billing", "bill", instance.Id, "BK-1", "w1"), (task.Topic, task.ElementId, task.InstanceId, task.BusinessKey, task.WorkerId));
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(1), task.LockExpiresAt);
        Assert.Empty(await h.Engine.FetchAndLockExternalTasksAsync("w2", Billing, 10));

        await h.Engine.CompleteExternalTaskAsync(task.Id, "w1", new Dictionary<string, object?> { ["amount"] = 42L });

        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
        Assert.Equal(42L, await h.VariableAsync(instance.Id, "amount"));
        Assert.Empty(await h.Engine.GetExternalTasksAsync());
    }

    [Fact]
    public async Task WorkerWhoseLockExpired_IsRefused_AndAnotherWorkerGetsTheTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process, Roots);
        await h.StartAsync();
        var task = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CompleteExternalTaskAsync(task.Id, "w1"));
        Assert.Equal("lock", expired.Code);
        Assert.Contains("lock expired", expired.Message, StringComparison.Ordinal);

        var again = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w2", Billing, 10));
        Assert.Equal(task.Id, again.Id);
        var other = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CompleteExternalTaskAsync(task.Id, "w1"));
        Assert.Contains("locked by worker 'w2'", other.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.ExtendExternalTaskLockAsync(task.Id, "w1", TimeSpan.FromMinutes(5)));

        await h.Engine.ExtendExternalTaskLockAsync(task.Id, "w2", TimeSpan.FromMinutes(5));
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), (await h.Engine.GetExternalTaskAsync(task.Id)).LockExpiresAt);
        await h.Engine.UnlockExternalTaskAsync(task.Id);
        Assert.Equal("w3", Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w3", Billing, 10)).WorkerId);
    }

    [Fact]
    public async Task FailureWithRetries_WaitsForTheRetryTimeout_NoRetriesLeftMakesAnIncident()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process, Roots);
        var instance = await h.StartAsync();
        var task = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));

        await h.Engine.FailExternalTaskAsync(task.Id, "w1", 1, "billing system down", "stack trace", TimeSpan.FromSeconds(30));
        Assert.Empty(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
        h.Clock.Advance(TimeSpan.FromSeconds(31));
        var retried = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
        Assert.Equal((1, "billing system down", "stack trace"), (retried.Retries, retried.ErrorMessage, retried.ErrorDetails));

        await h.Engine.FailExternalTaskAsync(task.Id, "w1", 0, "still down", null, TimeSpan.Zero);
        Assert.Empty(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
        var incident = Assert.Single((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal(("bill", "failedExternalTask", "still down"), (incident.ElementId, incident.Type, incident.Message));

        await h.Engine.RetryIncidentAsync(instance.Id, incident.NodeId);
        var fresh = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
        Assert.NotEqual(task.Id, fresh.Id);
        Assert.Null(fresh.Retries);
        Assert.Empty((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
    }

    [Fact]
    public async Task BpmnError_IsCaughtByTheBoundaryErrorEvent_WithItsVariables()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process, Roots);
        var instance = await h.StartAsync();
        var task = Assert.Single(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));

        await h.Engine.ExternalTaskBpmnErrorAsync(task.Id, "w1", "REJECTED", "card declined", new Dictionary<string, object?> { ["reason"] = "declined" });

        Assert.Equal(["handleRejection"], await h.ActiveElementsAsync(instance.Id));
        Assert.Equal("declined", await h.VariableAsync(instance.Id, "reason"));
        Assert.Empty(await h.Engine.GetExternalTasksAsync());
    }

    [Fact]
    public async Task TerminatedInstance_TakesItsExternalTaskAway()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process, Roots);
        var instance = await h.StartAsync();
        Assert.Single(await h.Engine.GetExternalTasksAsync(new ExternalTaskQuery(InstanceId: instance.Id)));

        await h.Engine.TerminateInstanceAsync(instance.Id);

        Assert.Empty(await h.Engine.GetExternalTasksAsync());
        Assert.Empty(await h.Engine.FetchAndLockExternalTasksAsync("w1", Billing, 10));
    }
}

public sealed class ExternalTaskTests_InMemory() : ExternalTaskTests(StoreKind.InMemory);

public sealed class ExternalTaskTests_Sqlite() : ExternalTaskTests(StoreKind.Sqlite);

public sealed class ExternalTaskTests_Postgres() : ExternalTaskTests(StoreKind.Postgres);

/// <summary>Two hosts on one database fetching the same topic at once never both get one task.</summary>
public abstract class ExternalTaskSharedDatabaseTests(StoreKind store)
{
    [Fact]
    public async Task TwoHostsFetchingAtOnce_EachTaskGoesToOneWorker()
    {
        var (first, second) = EngineHarness.TwoHosts(store);
        first.Deploy("""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="bill" camunda:type="external" camunda:topic="billing" />
            <bpmn:endEvent id="e" />
            """ + Chain("s", "bill", "e"));
        for (var i = 0; i < 20; i++)
        {
            await first.StartAsync();
        }

        ExternalTaskTopic[] topics = [new("billing", TimeSpan.FromMinutes(1))];
        var fetches = Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).Engine.FetchAndLockExternalTasksAsync($"w{i}", topics, 5))).ToList();
        var taken = (await Task.WhenAll(fetches)).SelectMany(t => t).ToList();

        Assert.Equal(20, taken.Count);
        Assert.Equal(20, taken.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count());
    }
}

public sealed class ExternalTaskSharedDatabaseTests_Sqlite() : ExternalTaskSharedDatabaseTests(StoreKind.Sqlite);

public sealed class ExternalTaskSharedDatabaseTests_Postgres() : ExternalTaskSharedDatabaseTests(StoreKind.Postgres);
