using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class EventTests(StoreKind store)
{
    private const string Messages = """
        <bpmn:message id="msgReply" name="surveyReply" />
        <bpmn:message id="msgCancel" name="cancel" />
        <bpmn:signal id="sigAlarm" name="alarm" />
        """;

    [Fact]
    public async Task NonInterruptingTimerBoundary_FiresTwice_WhileTheTaskStaysActive()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="handle" />
            <bpmn:boundaryEvent id="remind" attachedToRef="handle" cancelActivity="false">
              <bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:serviceTask id="notify" camunda:delegateExpression="${record}" />
            <bpmn:endEvent id="notified" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "handle", "e")}}{{Chain("remind", "notify", "notified")}}
            """);
        var instance = await h.StartAsync();
        var timer = Assert.Single((await h.Engine.GetTimersAsync(instance.Id)));
        Assert.Equal(EngineHarness.Start.AddHours(1), timer.DueAt);

        h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.FireDueTimersAsync());
        Assert.Equal(["notify"], h.Trail);
        Assert.Equal(EngineHarness.Start.AddHours(2), Assert.Single((await h.Engine.GetTimersAsync(instance.Id))).DueAt);

        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.Engine.FireDueTimersAsync());
        Assert.Equal(["notify", "notify"], h.Trail);
        Assert.Empty((await h.Engine.GetTimersAsync(instance.Id)));
        Assert.Equal(["handle"], (await h.ActiveElementsAsync(instance.Id)));

        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(instance.Id)));
    }

    [Fact]
    public async Task InterruptingTimerBoundary_CancelsTheTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="handle" />
            <bpmn:boundaryEvent id="late" attachedToRef="handle">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:userTask id="supervise" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "handle", "e")}}{{Chain("late", "supervise")}}
            """);
        var instance = await h.StartAsync();

        h.Clock.Advance(TimeSpan.FromDays(3));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["supervise"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Equal("supervise", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    [Fact]
    public async Task EventBasedGateway_TakesTheFirstEvent_AndCancelsTheOthers()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:eventBasedGateway id="g" />
            <bpmn:intermediateCatchEvent id="reply"><bpmn:messageEventDefinition messageRef="msgReply" /></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT48H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="alarm"><bpmn:signalEventDefinition signalRef="sigAlarm" /></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="thank" />
            <bpmn:userTask id="call" />
            <bpmn:userTask id="panic" />
            {{Flow("f0", "s", "g")}}{{Flow("g1", "g", "reply")}}{{Flow("g2", "g", "timeout")}}{{Flow("g3", "g", "alarm")}}
            {{Flow("r", "reply", "thank")}}{{Flow("t", "timeout", "call")}}{{Flow("a", "alarm", "panic")}}
            """, Messages);
        var instance = await h.StartAsync(businessKey: "TS-1");
        Assert.Single((await h.Engine.GetTimersAsync(instance.Id)));

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("surveyReply") { BusinessKey = "TS-1", Variables = new Dictionary<string, object?> { ["score"] = 5 } });

        Assert.Equal([instance.Id], result.ProcessInstanceIds);
        Assert.Equal(["thank"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Equal(5L, (await h.VariableAsync(instance.Id, "score")));
        Assert.Empty((await h.Engine.GetTimersAsync(instance.Id)));
        h.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        Assert.Equal(0, await h.Engine.BroadcastSignalAsync("alarm"));
        await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CorrelateMessageAsync(new MessageCorrelation("surveyReply") { BusinessKey = "TS-1" }));
    }

    [Fact]
    public async Task Message_IsCorrelatedToTheRightOneOfTenThousandWaitingInstances_ThroughTheIndex()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="reply">
              <bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" value="${complaintId}" /></camunda:properties></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="msgReply" />
            </bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            {{Chain("s", "reply", "u")}}
            """, Messages);
        var ids = new List<string>();
        for (var i = 0; i < 10_000; i++)
        {
            ids.Add((await h.StartAsync(variables: new { complaintId = $"C{i:D5}" })).Id);
        }

        Assert.Single(await h.Engine.Store.FindMessageWaitsAsync("surveyReply", "C04242", null, null));
        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("surveyReply") { CorrelationKey = "C04242" });

        Assert.Equal([ids[4242]], result.ProcessInstanceIds);
        Assert.Equal(["u"], (await h.ActiveElementsAsync(ids[4242])));
        Assert.Equal(["reply"], (await h.ActiveElementsAsync(ids[4241])));
        Assert.Equal(9_999, (await h.Engine.Store.FindMessageWaitsAsync("surveyReply", null, null, null)).Count);
        var ambiguous = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CorrelateMessageAsync(new MessageCorrelation("surveyReply")));
        Assert.Equal("ambiguous", ambiguous.Code);
    }

    [Fact]
    public async Task ReceiveTask_WaitsForItsMessage_ByBusinessKey()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:receiveTask id="wait" messageRef="msgReply" /><bpmn:userTask id="u" />{{Chain("s", "wait", "u")}}""", Messages);
        var first = await h.StartAsync(businessKey: "A");
        var second = await h.StartAsync(businessKey: "B");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("surveyReply") { BusinessKey = "B" });

        Assert.Equal(["wait"], (await h.ActiveElementsAsync(first.Id)));
        Assert.Equal(["u"], (await h.ActiveElementsAsync(second.Id)));
    }

    [Fact]
    public async Task MessageStartEvent_StartsAnInstance_AndMessageEndEventReachesAnotherInstance()
    {
        var h = new EngineHarness(store: store);
        _ = (await h.Engine.DeployAsync(Wrap($$"""
            <bpmn:startEvent id="ms"><bpmn:messageEventDefinition messageRef="msgCancel" /></bpmn:startEvent>
            <bpmn:endEvent id="tell"><bpmn:messageEventDefinition messageRef="msgReply" /></bpmn:endEvent>
            {{Chain("ms", "tell")}}
            """, Messages, "starter")));
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:receiveTask id="wait" messageRef="msgReply" /><bpmn:userTask id="u" />{{Chain("s", "wait", "u")}}""", Messages);
        var waiting = await h.StartAsync();

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("cancel"));

        Assert.True(result.StartedNewInstance);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(result.ProcessInstanceIds[0])));
        Assert.Equal(["u"], (await h.ActiveElementsAsync(waiting.Id)));
    }

    [Fact]
    public async Task Signal_ReachesEveryWaitingInstance_AndStartsSignalStartProcesses()
    {
        var h = AlarmWaiter();
        _ = (await h.Engine.DeployAsync(Wrap($$"""
            <bpmn:startEvent id="ss"><bpmn:signalEventDefinition signalRef="sigAlarm" /></bpmn:startEvent>
            <bpmn:userTask id="plan" />
            {{Chain("ss", "plan")}}
            """, Messages, "emergency")));
        var a = await h.StartAsync();
        var b = await h.StartAsync();

        var reached = await h.Engine.BroadcastSignalAsync("alarm", new Dictionary<string, object?> { ["level"] = "II" });

        Assert.Equal(3, reached);
        Assert.Equal(["u"], (await h.ActiveElementsAsync(a.Id)));
        Assert.Equal(["u"], (await h.ActiveElementsAsync(b.Id)));
        var plan = Assert.Single((await h.Engine.GetInstancesAsync("emergency")));
        Assert.Equal("II", (await h.VariableAsync(plan.Id, "level")));
    }

    [Fact]
    public async Task SignalThrowEvent_InOneInstance_ReachesAnother()
    {
        var h = AlarmWaiter();
        _ = (await h.Engine.DeployAsync(Wrap($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateThrowEvent id="t"><bpmn:signalEventDefinition signalRef="sigAlarm" /></bpmn:intermediateThrowEvent>
            <bpmn:endEvent id="e" />
            {{Chain("s", "t", "e")}}
            """, Messages, "thrower")));
        var waiting = await h.StartAsync();

        await h.StartAsync("thrower");

        Assert.Equal(["u"], (await h.ActiveElementsAsync(waiting.Id)));
    }

    [Fact]
    public async Task TimerCatch_WaitsUntilItsDate()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDate>${deadline}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            {{Chain("s", "t", "u")}}
            """);
        var instance = await h.StartAsync(variables: new { deadline = "2026-11-24T09:00:00+08:00" });
        Assert.Equal(EngineHarness.Start.AddDays(1), Assert.Single((await h.Engine.GetTimersAsync(instance.Id))).DueAt);

        h.Clock.Advance(TimeSpan.FromHours(23));
        await h.Engine.FireDueTimersAsync();
        Assert.Equal(["t"], (await h.ActiveElementsAsync(instance.Id)));

        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.Engine.FireDueTimersAsync();
        Assert.Equal(["u"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task TimerStartEvent_StartsAnInstanceEachCycle()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="daily"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:userTask id="report" />
            {{Chain("daily", "report")}}
            """);

        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Engine.FireDueTimersAsync();
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Engine.FireDueTimersAsync();
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(2, (await h.Engine.GetInstancesAsync("p")).Count);
    }

    [Fact]
    public async Task NonInterruptingMessageEventSubProcess_RunsBesideTheMainFlow()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="handle" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "handle", "e")}}
            <bpmn:subProcess id="onCancel" triggeredByEvent="true">
              <bpmn:startEvent id="cs" isInterrupting="false"><bpmn:messageEventDefinition messageRef="msgCancel" /></bpmn:startEvent>
              <bpmn:userTask id="ack" />
              <bpmn:endEvent id="ce" />
              {{Chain("cs", "ack", "ce")}}
            </bpmn:subProcess>
            """, Messages);
        var instance = await h.StartAsync(businessKey: "K");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("cancel") { BusinessKey = "K" });

        Assert.Equal(["ack", "handle", "onCancel"], (await h.ActiveElementsAsync(instance.Id)));
        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "handle"))).Single().Id);
        Assert.Equal(InstanceStatus.Active, (await h.StatusAsync(instance.Id)));
        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "ack"))).Single().Id);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(instance.Id)));
    }

    [Fact]
    public async Task InterruptingMessageBoundary_OnSubProcess_CancelsEverythingInside()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="mediate">
              <bpmn:startEvent id="ms" />
              <bpmn:parallelGateway id="fork" />
              <bpmn:userTask id="callConsumer" />
              <bpmn:userTask id="callCompany" />
              {{Flow("m0", "ms", "fork")}}{{Flow("m1", "fork", "callConsumer")}}{{Flow("m2", "fork", "callCompany")}}
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="withdrawn" attachedToRef="mediate"><bpmn:messageEventDefinition messageRef="msgCancel" /></bpmn:boundaryEvent>
            <bpmn:userTask id="close" />
            {{Chain("s", "mediate")}}{{Chain("withdrawn", "close")}}
            """, Messages);
        var instance = await h.StartAsync();
        Assert.Equal(2, (await h.Engine.GetTasksAsync(new TaskQuery(instance.Id))).Count);

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("cancel") { ProcessInstanceId = instance.Id });

        Assert.Equal(["close"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Equal("close", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    /// <summary>A harness with process "p" deployed: it waits for the signal alarm, then at user task u.</summary>
    private EngineHarness AlarmWaiter()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="c"><bpmn:signalEventDefinition signalRef="sigAlarm" /></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            {{Chain("s", "c", "u")}}
            """, Messages);
        return h;
    }
}

public sealed class EventTests_InMemory() : EventTests(StoreKind.InMemory);

public sealed class EventTests_Sqlite() : EventTests(StoreKind.Sqlite);

public sealed class EventTests_Postgres() : EventTests(StoreKind.Postgres);
