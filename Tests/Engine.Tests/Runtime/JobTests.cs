using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class JobTests(StoreKind store)
{
    private static string Process(int failures, string retryCycle) => $$"""
        <bpmn:startEvent id="s" />
        <bpmn:serviceTask id="send" camunda:asyncBefore="true" camunda:delegateExpression="${flaky}">
          <bpmn:extensionElements>
            <camunda:failedJobRetryTimeCycle>{{retryCycle}}</camunda:failedJobRetryTimeCycle>
            <camunda:inputOutput><camunda:inputParameter name="failures">{{failures}}</camunda:inputParameter></camunda:inputOutput>
          </bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:userTask id="done" />
        {{Chain("s", "send", "done")}}
        """;

    [Fact]
    public async Task FailingJob_IsRetriedAfterItsDelay_WithoutAnIncident_UntilItSucceeds()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process(failures: 2, "R3/PT10S"));
        var instance = await h.StartAsync();

        Assert.Equal(1, await h.Engine.RunDueJobsAsync("worker"));
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        Assert.Equal(2, job.Retries);
        Assert.Contains("timed out (attempt 1)", job.ExceptionMessage, StringComparison.Ordinal);
        Assert.Equal(EngineHarness.Start.AddSeconds(10), job.DueAt);
        Assert.Empty((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal(0, await h.Engine.RunDueJobsAsync("worker"));

        h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await h.Engine.RunDueJobsAsync("worker"));
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await h.Engine.RunDueJobsAsync("worker"));

        Assert.Equal(3, h.Attempts[instance.Id]);
        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
        Assert.Empty(await h.Engine.GetJobsAsync());
    }

    [Fact]
    public async Task JobThatKeepsFailing_EndsInAnIncidentAtItsElement_ThatCanBeRetried()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process(failures: 2, "R2/PT1M"));
        var instance = await h.StartAsync();

        await h.Engine.RunDueJobsAsync("worker");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Engine.RunDueJobsAsync("worker");

        var incident = Assert.Single(await h.Engine.GetIncidentsAsync());
        Assert.Equal(("send", instance.Id), (incident.ElementId, incident.ProcessInstanceId));
        Assert.Contains("timed out (attempt 2)", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Engine.GetJobsAsync());
        Assert.Equal(["send"], await h.ActiveElementsAsync(instance.Id));

        await h.Engine.RetryIncidentAsync(instance.Id, incident.NodeId);

        Assert.Empty(await h.Engine.GetIncidentsAsync());
        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task ResolvingAnIncident_LetsTheTokenMoveOn_WithoutRunningTheElementAgain()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process(failures: 99, "R1/PT1M"));
        var instance = await h.StartAsync();
        await h.Engine.RunDueJobsAsync("worker");
        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));

        await h.Engine.ResolveIncidentAsync(instance.Id, incident.NodeId);

        Assert.Equal(1, h.Attempts[instance.Id]);
        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task AJobLockedByAWorkerThatDied_IsTakenByAnotherWhenTheLockExpires()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process(failures: 0, "R3/PT10S"));
        var instance = await h.StartAsync();
        var taken = await h.Engine.Store.AcquireJobsAsync("crashed-worker", h.Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(5));
        Assert.Single(taken);

        Assert.Equal(0, await h.Engine.RunDueJobsAsync("other-worker"));
        h.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Engine.RunDueJobsAsync("other-worker"));

        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task SettingRetries_OnAJobThatHasNone_MakesItRunAgain()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Process(failures: 1, "R2/PT1H"));
        var instance = await h.StartAsync();
        await h.Engine.RunDueJobsAsync("worker");
        var job = Assert.Single(await h.Engine.GetJobsAsync());

        await h.Engine.SetJobRetriesAsync(job.Id, 1);

        Assert.Equal(1, await h.Engine.RunDueJobsAsync("worker"));
        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
    }
}

public sealed class JobTests_InMemory() : JobTests(StoreKind.InMemory);

public sealed class JobTests_Sqlite() : JobTests(StoreKind.Sqlite);

public sealed class JobTests_Postgres() : JobTests(StoreKind.Postgres);
