using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class MoreElementTests(StoreKind store)
{
    private const string Roots = """
        <bpmn:message id="mReply" name="reply" />
        <bpmn:signal id="sUrgent" name="urgent" />
        <bpmn:error id="eBad" errorCode="BAD" />
        <bpmn:escalation id="xLeader" escalationCode="LEADER" />
        """;

    [Fact]
    public async Task MessageThrowEvent_ReachesTheInstanceWaitingWithTheSameKey_ElseIsKeptAsUndelivered()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="wait">
              <bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" value="${ticket}" /></camunda:properties></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="mReply" />
            </bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            {{Chain("s", "wait", "u")}}
            """, Roots);
        _ = (await h.Engine.DeployAsync(Wrap($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateThrowEvent id="answer">
              <bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" value="${ticket}" /></camunda:properties></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="mReply" />
            </bpmn:intermediateThrowEvent>
            <bpmn:endEvent id="e" />
            {{Chain("s", "answer", "e")}}
            """, Roots, "answerer")));
        var waitingA = await h.StartAsync(variables: new { ticket = "A" });
        var waitingB = await h.StartAsync(variables: new { ticket = "B" });

        await h.StartAsync("answerer", new { ticket = "B", verdict = "refund" });
        await h.StartAsync("answerer", new { ticket = "Z" });

        Assert.Equal(["wait"], (await h.ActiveElementsAsync(waitingA.Id)));
        Assert.Equal(["u"], (await h.ActiveElementsAsync(waitingB.Id)));
        Assert.Equal("refund", (await h.VariableAsync(waitingB.Id, "verdict")));
        var undelivered = Assert.Single(h.Engine.UndeliveredMessages);
        Assert.Equal(("reply", "Z"), (undelivered.MessageName, undelivered.CorrelationKey));
    }

    [Fact]
    public async Task NonInterruptingSignalBoundary_SpawnsAPath_EachTimeTheSignalComes()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="handle" />
            <bpmn:boundaryEvent id="onUrgent" attachedToRef="handle" cancelActivity="false"><bpmn:signalEventDefinition signalRef="sUrgent" /></bpmn:boundaryEvent>
            <bpmn:serviceTask id="page" camunda:delegateExpression="${record}" />
            <bpmn:endEvent id="paged" />
            {{Chain("s", "handle")}}{{Chain("onUrgent", "page", "paged")}}
            """, Roots);
        var instance = await h.StartAsync();

        await h.Engine.BroadcastSignalAsync("urgent");
        await h.Engine.BroadcastSignalAsync("urgent");

        Assert.Equal(["page", "page"], h.Trail);
        Assert.Equal(["handle"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task ErrorInOneMultiInstanceInner_IsCaughtOnTheWholeActivity_CancellingTheOthers()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="each">
              <bpmn:multiInstanceLoopCharacteristics camunda:collection="${items}" camunda:elementVariable="item" />
              <bpmn:startEvent id="es" />
              <bpmn:exclusiveGateway id="ok" default="toWait" />
              <bpmn:userTask id="waitHere" />
              <bpmn:endEvent id="bad"><bpmn:errorEventDefinition errorRef="eBad" /></bpmn:endEvent>
              {{Flow("e0", "es", "ok")}}{{Flow("toBad", "ok", "bad", "${item === 'broken'}")}}{{Flow("toWait", "ok", "waitHere")}}
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="failed" attachedToRef="each"><bpmn:errorEventDefinition errorRef="eBad" /></bpmn:boundaryEvent>
            <bpmn:userTask id="repair" />
            {{Chain("s", "each")}}{{Chain("failed", "repair")}}
            """, Roots);

        var instance = await h.StartAsync(variables: new Dictionary<string, object?> { ["items"] = new List<object?> { "fine", "broken", "fine" } });

        Assert.Equal(["repair"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Equal("repair", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    [Fact]
    public async Task SequentialMultiInstanceSubProcess_RunsItsBodyOncePerItem()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="each">
              <bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${units}" camunda:elementVariable="unit" />
              <bpmn:startEvent id="es" />
              <bpmn:scriptTask id="add" scriptFormat="javascript"><bpmn:script>execution.setVariable('route', (execution.getVariable('route') || '') + unit + loopCounter + ';')</bpmn:script></bpmn:scriptTask>
              <bpmn:endEvent id="ee" />
              {{Chain("es", "add", "ee")}}
            </bpmn:subProcess>
            <bpmn:userTask id="done" />
            {{Chain("s", "each", "done")}}
            """, Roots);

        var instance = await h.StartAsync(variables: new Dictionary<string, object?> { ["units"] = new List<object?> { "城关所", "东关所", "西关所" } });

        Assert.Equal("城关所0;东关所1;西关所2;", (await h.VariableAsync(instance.Id, "route")));
        Assert.Equal(["done"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task EscalationFromACalledProcess_IsCaughtOnTheCallActivity_WithoutStoppingIt()
    {
        var h = new EngineHarness(store: store);
        _ = (await h.Engine.DeployAsync(Wrap($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateThrowEvent id="up"><bpmn:escalationEventDefinition escalationRef="xLeader" /></bpmn:intermediateThrowEvent>
            <bpmn:userTask id="work" />
            {{Chain("s", "up", "work")}}
            """, Roots, "child")));
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:callActivity id="call" calledElement="child" />
            <bpmn:boundaryEvent id="leader" attachedToRef="call" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="xLeader" /></bpmn:boundaryEvent>
            <bpmn:userTask id="leaderReview" />
            {{Chain("s", "call")}}{{Chain("leader", "leaderReview")}}
            """, Roots);

        var parent = await h.StartAsync();

        Assert.Equal(["call", "leaderReview"], (await h.ActiveElementsAsync(parent.Id)));
        var child = Assert.Single((await h.Engine.GetInstancesAsync("child")));
        Assert.Equal(["work"], (await h.ActiveElementsAsync(child.Id)));
    }

    [Fact]
    public async Task ExpressionServiceTask_AndManualAndBusinessRuleTasks_Run()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:manualTask id="phoneCall" />
            <bpmn:businessRuleTask id="tier" camunda:expression="${days &lt;= 3 ? 'simple' : days &lt;= 7 ? 'general' : 'complex'}" camunda:resultVariable="complexity" />
            <bpmn:sendTask id="notify" />
            <bpmn:userTask id="u" />
            {{Chain("s", "phoneCall", "tier", "notify", "u")}}
            """, Roots);

        var instance = await h.StartAsync(variables: new { days = 7 });

        Assert.Equal("general", (await h.VariableAsync(instance.Id, "complexity")));
        Assert.Equal(["u"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task EventBasedGateway_CanWaitOnAReceiveTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:eventBasedGateway id="g" />
            <bpmn:receiveTask id="reply" messageRef="mReply" />
            <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT24H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="thanks" />
            <bpmn:userTask id="callBack" />
            {{Flow("f0", "s", "g")}}{{Flow("g1", "g", "reply")}}{{Flow("g2", "g", "later")}}{{Chain("reply", "thanks")}}{{Chain("later", "callBack")}}
            """, Roots);
        var instance = await h.StartAsync();

        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["callBack"], (await h.ActiveElementsAsync(instance.Id)));
        await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CorrelateMessageAsync(new MessageCorrelation("reply") { ProcessInstanceId = instance.Id }));
    }

    [Fact]
    public async Task ProcessThatLoopsWithoutWaiting_IsStoppedWithAnIncident()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" />
            <bpmn:task id="again" />
            {{Flow("f0", "s", "g")}}{{Flow("f1", "g", "again")}}{{Flow("f2", "again", "g")}}
            """, Roots);

        var instance = await h.StartAsync();

        var incident = Assert.Single((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal("step-limit", incident.Type);
    }
}

public sealed class MoreElementTests_InMemory() : MoreElementTests(StoreKind.InMemory);

public sealed class MoreElementTests_Sqlite() : MoreElementTests(StoreKind.Sqlite);

public sealed class MoreElementTests_Postgres() : MoreElementTests(StoreKind.Postgres);
