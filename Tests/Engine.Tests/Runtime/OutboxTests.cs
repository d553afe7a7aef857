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

        // The health figures (the outbox backlog gauge of /metrics) count the entry left behind, until it is delivered.
        var figures = (IEngineFigureStore)second.Engine.Store;
        Assert.Equal(1, (await figures.QueryFiguresAsync(first.Clock.GetUtcNow(), TimeSpan.FromMinutes(1), first.Clock.GetUtcNow())).OutboxBacklog);

        first.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await second.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await second.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, (await figures.QueryFiguresAsync(first.Clock.GetUtcNow(), TimeSpan.FromMinutes(1), first.Clock.GetUtcNow())).OutboxBacklog);

        var child = Assert.Single(await second.Engine.GetInstancesAsync("survey"));
        await second.Engine.CompleteTaskAsync((await second.SingleTaskAsync(child.Id)).Id);
        Assert.Equal(["archive"], await second.ActiveElementsAsync(parent.Id));
    }
}

public sealed class OutboxTests_Sqlite() : OutboxTests(StoreKind.Sqlite);

public sealed class OutboxTests_Postgres() : OutboxTests(StoreKind.Postgres);
