using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>Timer triggers go to the scheduler through outbox entries committed with the step: none is lost or left behind.</summary>
public abstract class TimerOutboxTests(StoreKind store)
{
    private static readonly TimeSpan RedeliveryAge = TimeSpan.FromSeconds(30);

    private const string Process = $$"""
        <bpmn:startEvent id="s" />
        <bpmn:userTask id="handle" />
        <bpmn:boundaryEvent id="late" attachedToRef="handle">
          <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:boundaryEvent>
        <bpmn:userTask id="supervise" />
        <bpmn:endEvent id="e" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="handle" />
        <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="e" />
        <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="supervise" />
        """;

    [Fact]
    public async Task SchedulerThatFailsOnceAfterCommit_StillGetsTheTrigger_WhenTheOutboxIsRedelivered()
    {
        var scheduler = new RecordingTimerScheduler();
        var h = new EngineHarness(store: store, timers: scheduler);
        h.Deploy(Process);
        scheduler.FailNext();

        var instance = await h.StartAsync();

        Assert.Empty(scheduler.Triggers);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.RedeliverOutboxAsync(RedeliveryAge));
        Assert.Equal(0, await h.Engine.RedeliverOutboxAsync(RedeliveryAge));
        var (timerId, due) = Assert.Single(scheduler.Triggers);
        Assert.Equal(EngineHarness.Start.AddDays(3), due);

        h.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True(await h.Engine.FireTimerByIdAsync(timerId));
        Assert.Equal(["supervise"], await h.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task CancelledWait_HasItsTriggerRemoved_EvenWhenTheFirstRemovalFailed()
    {
        var scheduler = new RecordingTimerScheduler();
        var h = new EngineHarness(store: store, timers: scheduler);
        h.Deploy(Process);
        var instance = await h.StartAsync();
        var (timerId, _) = Assert.Single(scheduler.Triggers);
        scheduler.FailNext();

        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id);

        Assert.Contains(timerId, scheduler.Triggers.Keys);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.RedeliverOutboxAsync(RedeliveryAge));
        Assert.Empty(scheduler.Triggers);
        Assert.False(await h.Engine.FireTimerByIdAsync(timerId, onlyIfDue: false));
        Assert.Equal(InstanceStatus.Completed, await h.StatusAsync(instance.Id));
    }

    [Fact]
    public async Task HostDyingBetweenCommitAndScheduling_LosesNoTrigger_AnotherHostSchedulesIt()
    {
        var survivor = new RecordingTimerScheduler();
        var h = new EngineHarness(store: store, timers: survivor);
        h.Deploy(Process);
        var dying = new RecordingTimerScheduler();
        var crashing = h.OtherEngine(new DiesAfterCommit(h.Engine.Store), dying);
        await crashing.LoadDefinitionsAsync();

        await Assert.ThrowsAsync<HostDiedException>(() => crashing.StartProcessAsync("p"));

        Assert.Empty(dying.Triggers);
        Assert.Empty(survivor.Triggers);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.RedeliverOutboxAsync(RedeliveryAge));
        var instance = Assert.Single(await h.Engine.GetInstancesAsync("p"));
        var timer = Assert.Single(await h.Engine.GetTimersAsync(instance.Id));
        Assert.Equal(timer.DueAt, Assert.Single(survivor.Triggers, t => t.Key == timer.Id).Value);
    }

    [Fact]
    public async Task TimerStartEvent_IsScheduled_AndItsOldVersionsTriggerRemoved_OnRedeploy()
    {
        var scheduler = new RecordingTimerScheduler();
        var h = new EngineHarness(store: store, timers: scheduler);
        string Daily(string task) => $$"""
            <bpmn:startEvent id="daily"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:userTask id="{{task}}" />
            {{Chain("daily", task)}}
            """;
        var v1 = h.Deploy(Daily("report"));
        Assert.Equal([$"start:{v1.Id}:daily"], scheduler.Triggers.Keys);
        scheduler.FailNext();

        var v2 = h.Deploy(Daily("summary"));

        Assert.Equal([$"start:{v1.Id}:daily", $"start:{v2.Id}:daily"], scheduler.Triggers.Keys.Order(StringComparer.Ordinal));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Engine.RedeliverOutboxAsync(RedeliveryAge);
        Assert.Equal([$"start:{v2.Id}:daily"], scheduler.Triggers.Keys);
    }
}

public sealed class TimerOutboxTests_InMemory() : TimerOutboxTests(StoreKind.InMemory);

public sealed class TimerOutboxTests_Sqlite() : TimerOutboxTests(StoreKind.Sqlite);

public sealed class TimerOutboxTests_Postgres() : TimerOutboxTests(StoreKind.Postgres);
