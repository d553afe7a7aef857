using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class ScopeTests(StoreKind store)
{
    private const string Errors = """
        <bpmn:error id="errRefused" errorCode="REFUSED" name="不予受理" />
        <bpmn:error id="errAny" name="any error" />
        <bpmn:escalation id="escLeader" escalationCode="LEADER" />
        """;

    [Fact]
    public async Task TerminateEnd_InsideSubProcess_EndsOnlyTheSubProcess()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="sub">
              <bpmn:startEvent id="ss" />
              <bpmn:parallelGateway id="fork" />
              <bpmn:userTask id="slow" />
              <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
              {{Flow("a", "ss", "fork")}}{{Flow("b", "fork", "slow")}}{{Flow("c", "fork", "stop")}}
            </bpmn:subProcess>
            <bpmn:userTask id="after" />
            {{Chain("s", "sub", "after")}}
            """);

        var instance = await h.StartAsync();

        Assert.Equal(["after"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Equal(InstanceStatus.Active, (await h.StatusAsync(instance.Id)));
    }

    [Fact]
    public async Task TerminateEnd_AtTopLevel_EndsTheWholeInstance()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="slow" />
            <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
            {{Flow("a", "s", "fork")}}{{Flow("b", "fork", "slow")}}{{Flow("c", "fork", "stop")}}
            """);

        var instance = await h.StartAsync();

        Assert.Equal(InstanceStatus.Terminated, (await h.StatusAsync(instance.Id)));
        Assert.Empty((await h.Engine.GetTasksAsync()));
    }

    [Theory]
    [InlineData("REFUSED", "refused")]
    [InlineData("SOMETHING_ELSE", "anyError")]
    public async Task ErrorBoundary_CatchesByCode_ElseFallsThroughToCatchAll(string code, string expectedPath)
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="check" camunda:delegateExpression="${fail}">
              <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="code">${code}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:boundaryEvent id="catchAll" attachedToRef="check"><bpmn:errorEventDefinition camunda:errorCodeVariable="caughtCode" /></bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="catchRefused" attachedToRef="check"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:boundaryEvent>
            <bpmn:userTask id="refused" />
            <bpmn:userTask id="anyError" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "check", "e")}}{{Chain("catchRefused", "refused")}}{{Chain("catchAll", "anyError")}}
            """, Errors);

        var instance = await h.StartAsync(variables: new { code });

        Assert.Equal([expectedPath], (await h.ActiveElementsAsync(instance.Id)));
        if (expectedPath == "anyError")
        {
            Assert.Equal(code, (await h.VariableAsync(instance.Id, "caughtCode")));
        }
    }

    [Fact]
    public async Task ErrorEndEvent_InSubProcess_IsCaughtByTheSubProcessBoundary()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="accept">
              <bpmn:startEvent id="as" />
              <bpmn:endEvent id="refuse"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:endEvent>
              {{Chain("as", "refuse")}}
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="onRefused" attachedToRef="accept"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:boundaryEvent>
            <bpmn:userTask id="tellConsumer" />
            <bpmn:userTask id="handle" />
            {{Chain("s", "accept", "handle")}}{{Chain("onRefused", "tellConsumer")}}
            """, Errors);

        var instance = await h.StartAsync();

        Assert.Equal(["tellConsumer"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task UncaughtError_BecomesAnIncidentNamingTheCode()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="check" camunda:delegateExpression="${fail}">
              <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="code">NOPE</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:endEvent id="e" />
            {{Chain("s", "check", "e")}}
            """);

        var instance = await h.StartAsync();

        var incident = Assert.Single((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal("check", incident.ElementId);
        Assert.Contains("NOPE", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEventSubProcess_InterruptsTheScope()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="waiting" />
            <bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:endEvent>
            {{Flow("a", "s", "fork")}}{{Flow("b", "fork", "waiting")}}{{Flow("c", "fork", "boom")}}
            <bpmn:subProcess id="handler" triggeredByEvent="true">
              <bpmn:startEvent id="hs"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:startEvent>
              <bpmn:userTask id="cleanUp" />
              {{Chain("hs", "cleanUp")}}
            </bpmn:subProcess>
            """, Errors);

        var instance = await h.StartAsync();

        Assert.Equal(["cleanUp", "handler"], (await h.ActiveElementsAsync(instance.Id)));
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(instance.Id)));
    }

    [Fact]
    public async Task NonInterruptingEscalationBoundary_StartsLeaderReview_WhileTheSubProcessGoesOn()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="handle">
              <bpmn:startEvent id="hs" />
              <bpmn:intermediateThrowEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="escLeader" /></bpmn:intermediateThrowEvent>
              <bpmn:userTask id="mediate" />
              {{Chain("hs", "escalate", "mediate")}}
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="toLeader" attachedToRef="handle" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="escLeader" /></bpmn:boundaryEvent>
            <bpmn:userTask id="leaderReview" />
            <bpmn:userTask id="archive" />
            {{Chain("s", "handle", "archive")}}{{Chain("toLeader", "leaderReview")}}
            """, Errors);

        var instance = await h.StartAsync();

        Assert.Equal(["handle", "leaderReview", "mediate"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task ParallelMultiInstance_CompletionCondition_CancelsTheRemainingInstances()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="vote" camunda:assignee="${reviewer}">
              <bpmn:multiInstanceLoopCharacteristics camunda:collection="${reviewers}" camunda:elementVariable="reviewer">
                <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${nrOfCompletedInstances / nrOfInstances >= 0.5}</bpmn:completionCondition>
              </bpmn:multiInstanceLoopCharacteristics>
            </bpmn:userTask>
            <bpmn:userTask id="decide" />
            {{Chain("s", "vote", "decide")}}
            """);
        var reviewers = new List<object?> { "wang", "li", "zhao", "sun" };

        var instance = await h.StartAsync(variables: new Dictionary<string, object?> { ["reviewers"] = reviewers });
        var tasks = (await h.Engine.GetTasksAsync(new TaskQuery(instance.Id)));
        Assert.Equal(["li", "sun", "wang", "zhao"], tasks.Select(t => t.Assignee).Order(StringComparer.Ordinal));

        await h.Engine.CompleteTaskAsync(tasks.Single(t => t.Assignee == "wang").Id);
        Assert.Equal(3, (await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "vote"))).Count);
        await h.Engine.CompleteTaskAsync(tasks.Single(t => t.Assignee == "zhao").Id);

        Assert.Equal("decide", (await h.SingleTaskAsync(instance.Id)).ElementId);
        Assert.Equal(["decide"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task SequentialMultiInstance_RunsOneAfterAnother_WithLoopCounter()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="step" camunda:assignee="${'u' + loopCounter}">
              <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
            </bpmn:userTask>
            <bpmn:userTask id="done" />
            {{Chain("s", "step", "done")}}
            """);
        var instance = await h.StartAsync();
        var assignees = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var task = (await h.SingleTaskAsync(instance.Id));
            Assert.Equal("step", task.ElementId);
            assignees.Add(task.Assignee);
            await h.Engine.CompleteTaskAsync(task.Id);
        }

        Assert.Equal(["u0", "u1", "u2"], assignees);
        Assert.Equal("done", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    [Fact]
    public async Task CallActivity_PassesVariablesInAndOut()
    {
        var h = new EngineHarness(store: store);
        _ = (await h.Engine.DeployAsync(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="answer" />
            <bpmn:scriptTask id="score" scriptFormat="javascript"><bpmn:script>execution.setVariable('average', (speed + attitude) / 2)</bpmn:script></bpmn:scriptTask>
            <bpmn:endEvent id="e" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="answer" />
            <bpmn:sequenceFlow id="f2" sourceRef="answer" targetRef="score" />
            <bpmn:sequenceFlow id="f3" sourceRef="score" targetRef="e" />
            """, "", "survey")));
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:callActivity id="callSurvey" calledElement="survey">
              <bpmn:extensionElements>
                <camunda:in source="consumer" target="who" />
                <camunda:in sourceExpression="${'TS-' + number}" target="ticket" />
                <camunda:in businessKey="${'survey-' + number}" />
                <camunda:out source="average" target="satisfaction" />
              </bpmn:extensionElements>
            </bpmn:callActivity>
            <bpmn:userTask id="archive" />
            {{Chain("s", "callSurvey", "archive")}}
            """);
        var parent = await h.StartAsync(variables: new { consumer = "李女士", number = 7 });

        var child = Assert.Single((await h.Engine.GetInstancesAsync("survey")));
        Assert.Equal(parent.Id, child.ParentInstanceId);
        Assert.Equal("survey-7", child.BusinessKey);
        Assert.Equal("李女士", (await h.VariableAsync(child.Id, "who")));
        Assert.Equal("TS-7", (await h.VariableAsync(child.Id, "ticket")));
        Assert.Null((await h.VariableAsync(child.Id, "number")));

        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(child.Id)).Id, new Dictionary<string, object?> { ["speed"] = 5, ["attitude"] = 4 });

        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(child.Id)));
        Assert.Equal(4.5, (await h.VariableAsync(parent.Id, "satisfaction")));
        Assert.Null((await h.VariableAsync(parent.Id, "speed")));
        Assert.Equal("archive", (await h.SingleTaskAsync(parent.Id)).ElementId);
    }

    [Fact]
    public async Task CallActivity_ErrorInCalledProcess_IsCaughtAtTheCallActivity()
    {
        var h = new EngineHarness(store: store);
        _ = (await h.Engine.DeployAsync(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:endEvent id="e"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="e" />
            """, Errors, "child")));
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:callActivity id="call" calledElement="child" />
            <bpmn:boundaryEvent id="caught" attachedToRef="call"><bpmn:errorEventDefinition errorRef="errRefused" /></bpmn:boundaryEvent>
            <bpmn:userTask id="ok" />
            <bpmn:userTask id="refused" />
            {{Chain("s", "call", "ok")}}{{Chain("caught", "refused")}}
            """, Errors);

        var parent = await h.StartAsync();

        Assert.Equal(["refused"], (await h.ActiveElementsAsync(parent.Id)));
    }

    [Fact]
    public async Task CancellingACallActivity_TerminatesTheCalledInstance()
    {
        var h = new EngineHarness(store: store);
        await h.Engine.DeployAsync(Wrap("""<bpmn:startEvent id="s" /><bpmn:userTask id="u" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u" />""", "", "child"));
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:callActivity id="call" calledElement="child" />
            <bpmn:boundaryEvent id="late" attachedToRef="call"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="escalated" />
            {{Chain("s", "call")}}{{Chain("late", "escalated")}}
            """);
        var parent = await h.StartAsync();
        var child = Assert.Single((await h.Engine.GetInstancesAsync("child")));

        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(InstanceStatus.Terminated, (await h.StatusAsync(child.Id)));
        Assert.Equal(["escalated"], (await h.ActiveElementsAsync(parent.Id)));
        Assert.Equal("escalated", Assert.Single((await h.Engine.GetTasksAsync())).ElementId);
    }

    [Fact]
    public async Task RunawayExpression_FailsAtItsElement_WhileOtherInstancesRunOn()
    {
        var h = new EngineHarness(new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(300) }, store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" default="normal" />
            <bpmn:userTask id="never" />
            <bpmn:userTask id="ok" />
            {{Flow("f0", "s", "g")}}
            {{Flow("loop", "g", "never", "${evil === true &amp;&amp; (function(){ while(true){} })()}")}}
            {{Flow("normal", "g", "ok")}}
            """);

        var bad = Task.Run(() => h.StartAsync(variables: new { evil = true }));
        var good = new List<ProcessInstanceInfo>();
        do
        {
            good.Add(await h.StartAsync(variables: new { evil = false }));
        }
        while (!bad.IsCompleted);

        var badInstance = await bad;
        foreach (var g in good)
        {
            Assert.Equal(["ok"], await h.ActiveElementsAsync(g.Id));
        }
        var incident = Assert.Single((await h.Engine.GetInstanceAsync(badInstance.Id)).Incidents);
        Assert.Equal("g", incident.ElementId);
        Assert.Equal("expression-limit", incident.Type);
        var again = await h.StartAsync(variables: new { evil = false });
        Assert.Equal(["ok"], (await h.ActiveElementsAsync(again.Id)));
    }
}

public sealed class ScopeTests_InMemory() : ScopeTests(StoreKind.InMemory);

public sealed class ScopeTests_Sqlite() : ScopeTests(StoreKind.Sqlite);

public sealed class ScopeTests_Postgres() : ScopeTests(StoreKind.Postgres);
