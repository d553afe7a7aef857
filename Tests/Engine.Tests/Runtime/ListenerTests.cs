using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>Camunda execution and task listeners: each event kind runs where Camunda runs it, inside the step.</summary>
public abstract class ListenerTests(StoreKind store)
{
    /// <summary>A JavaScript listener that appends <paramref name="mark"/> to the variable <c>trail</c>.</summary>
    private static string Mark(string kind, string @event, string mark)
        => $"""<camunda:{kind} event="{@event}"><camunda:script scriptFormat="javascript">execution.setVariable('trail', (execution.getVariable('trail') || '') + '{mark};')</camunda:script></camunda:{kind}>""";

    private static string Listeners(params string[] listeners) => $"<bpmn:extensionElements>{string.Concat(listeners)}</bpmn:extensionElements>";

    [Fact]
    public async Task ExecutionListeners_RunOnTheProcessEventsGatewaysActivitiesAndFlows_InCamundasOrder()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s">{{Listeners(Mark("executionListener", "end", "s.end"))}}</bpmn:startEvent>
            <bpmn:serviceTask id="t" camunda:delegateExpression="${record}">
              <bpmn:extensionElements>
                <camunda:inputOutput><camunda:inputParameter name="local">in</camunda:inputParameter></camunda:inputOutput>
                <camunda:executionListener event="start"><camunda:script scriptFormat="javascript">execution.setVariable('trail', execution.getVariable('trail') + 't.start(' + local + ');')</camunda:script></camunda:executionListener>
                {{Mark("executionListener", "end", "t.end")}}
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:exclusiveGateway id="g">{{Listeners(Mark("executionListener", "start", "g.start"), Mark("executionListener", "end", "g.end"))}}</bpmn:exclusiveGateway>
            <bpmn:endEvent id="e">{{Listeners(Mark("executionListener", "start", "e.start"), Mark("executionListener", "end", "e.end"))}}</bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t">{{Listeners(Mark("executionListener", "take", "f1.take"))}}</bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g" />
            <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e">{{Listeners("""<camunda:executionListener expression="${execution.setVariable('trail', execution.getVariable('trail') + 'f3.take;')}" />""")}}</bpmn:sequenceFlow>
            """);

        var instance = await h.StartAsync();

        Assert.Equal(InstanceStatus.Completed, await h.StatusAsync(instance.Id));
        Assert.Equal("s.end;f1.take;t.start(in);t.end;g.start;g.end;f3.take;e.start;e.end;", await h.VariableAsync(instance.Id, "trail"));
        Assert.Equal(["t"], h.Trail);
    }

    [Fact]
    public async Task ProcessListeners_RunAtStartAndEnd()
    {
        var h = new EngineHarness(store: store);
        await h.Engine.DeployAsync($$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
              <bpmn:process id="p" isExecutable="true">
                {{Listeners(Mark("executionListener", "start", "p.start"), Mark("executionListener", "end", "p.end"))}}
                <bpmn:startEvent id="s" /><bpmn:userTask id="u" /><bpmn:endEvent id="e" />
                {{Chain("s", "u", "e")}}
              </bpmn:process>
            </bpmn:definitions>
            """, "p.bpmn");

        var instance = await h.StartAsync();
        Assert.Equal("p.start;", await h.VariableAsync(instance.Id, "trail"));
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id);

        Assert.Equal("p.start;p.end;", await h.VariableAsync(instance.Id, "trail"));
    }

    [Fact]
    public async Task DelegateExpressionAndBeanCallListeners_RunRegisteredActivities()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:task id="a">{{Listeners("""<camunda:executionListener event="start" delegateExpression="${record}" />""", """<camunda:executionListener event="end" expression="${record.notify(execution)}" />""")}}</bpmn:task>
            <bpmn:serviceTask id="b" camunda:expression="${record.execute(execution)}" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "a", "b", "e")}}
            """);

        var instance = await h.StartAsync();

        Assert.Equal(InstanceStatus.Completed, await h.StatusAsync(instance.Id));
        Assert.Equal(["a", "a", "b"], h.Trail);
    }

    [Fact]
    public async Task TaskListeners_RunOnAssignmentCreateCompleteAndDelete()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u" camunda:assignee="zhang">{{Listeners(
                Mark("taskListener", "create", "create"), Mark("taskListener", "assignment", "assignment"),
                Mark("taskListener", "complete", "complete"), Mark("taskListener", "delete", "delete"),
                Mark("executionListener", "end", "end"))}}</bpmn:userTask>
            <bpmn:userTask id="v">{{Listeners(Mark("taskListener", "delete", "v.delete"), Mark("taskListener", "complete", "v.complete"))}}</bpmn:userTask>
            <bpmn:boundaryEvent id="escalate" attachedToRef="v"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:endEvent id="e" />
            <bpmn:endEvent id="e2" />
            {{Chain("s", "u", "v", "e")}}
            {{Flow("f_esc", "escalate", "e2")}}
            """);

        var instance = await h.StartAsync();
        Assert.Equal("assignment;create;", await h.VariableAsync(instance.Id, "trail"));

        var task = await h.SingleTaskAsync(instance.Id);
        await h.Engine.SetAssigneeAsync(task.Id, "li");
        Assert.Equal("assignment;create;assignment;", await h.VariableAsync(instance.Id, "trail"));

        await h.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["approved"] = true });
        Assert.Equal("assignment;create;assignment;complete;end;", await h.VariableAsync(instance.Id, "trail"));

        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.Engine.FireDueTimersAsync();
        Assert.Equal(InstanceStatus.Completed, await h.StatusAsync(instance.Id));
        Assert.Equal("assignment;create;assignment;complete;end;v.delete;", await h.VariableAsync(instance.Id, "trail"));
    }

    [Fact]
    public async Task TimeoutListener_RunsWhenItsTimerFires_AndTheTaskStays()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u"><bpmn:extensionElements>
              <camunda:taskListener event="timeout" id="remind" expression="${execution.setVariable('reminded', not empty officer)}">
                <bpmn:timerEventDefinition id="remindTimer"><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition>
              </camunda:taskListener>
            </bpmn:extensionElements></bpmn:userTask>
            <bpmn:endEvent id="e" />
            {{Chain("s", "u", "e")}}
            """);
        var instance = await h.StartAsync(variables: new { officer = "zhang" });

        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        Assert.Null(await h.VariableAsync(instance.Id, "reminded"));
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.Engine.FireDueTimersAsync());

        Assert.Equal(true, await h.VariableAsync(instance.Id, "reminded"));
        Assert.Equal("u", (await h.SingleTaskAsync(instance.Id)).ElementId);
        Assert.Empty(await h.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task TimeoutTimer_GoesWithItsTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u">{{Listeners("""<camunda:taskListener event="timeout" id="t1" expression="${execution.setVariable('late', true)}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></camunda:taskListener>""")}}</bpmn:userTask>
            <bpmn:endEvent id="e" />
            {{Chain("s", "u", "e")}}
            """);
        var instance = await h.StartAsync();
        Assert.Single(await h.Engine.GetTimersAsync(instance.Id));

        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id);
        h.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        Assert.Empty(await h.Engine.GetTimersAsync(instance.Id));
        Assert.Null(await h.VariableAsync(instance.Id, "late"));
    }

    [Fact]
    public async Task ListenerChanges_AreJournaledLikeOtherChanges()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u">{{Listeners(Mark("taskListener", "create", "created"))}}</bpmn:userTask>
            {{Chain("s", "u")}}
            """);

        var instance = await h.StartAsync();

        var journal = await h.Engine.GetJournalAsync(instance.Id);
        // Recorded on the scope the variable lives in (the process), after the task was entered.
        var set = Assert.Single(journal, j => j.Kind == JournalKind.VariableSet);
        Assert.Equal("p", set.ElementId);
        Assert.Contains("trail", set.Detail, StringComparison.Ordinal);
        Assert.True(set.Sequence > journal.Single(j => j is { Kind: JournalKind.ElementEntered, ElementId: "u" }).Sequence);
    }

    [Fact]
    public async Task AFailingListener_RaisesAnIncident_NamingElementAndListener_AndLeavesNoHalfCreatedTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u">{{Listeners("""<camunda:taskListener event="create"><camunda:script scriptFormat="javascript">const tries = (execution.getVariable('tries') || 0) + 1; execution.setVariable('tries', tries); if (tries &lt; 2) { throw new Error('not ready'); }</camunda:script></camunda:taskListener>""")}}</bpmn:userTask>
            {{Chain("s", "u")}}
            """);

        var instance = await h.StartAsync();

        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal(("u", "listener-failed"), (incident.ElementId, incident.Type));
        Assert.Contains("taskListener (create) of userTask 'u'", incident.Message, StringComparison.Ordinal);
        Assert.Contains("not ready", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instance.Id)));

        await h.Engine.RetryIncidentAsync(instance.Id, incident.NodeId);

        Assert.Empty(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal("u", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    [Fact]
    public async Task AFailingEndListener_StopsTheTokenBeforeItMovesOn()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="t" camunda:delegateExpression="${record}">{{Listeners("""<camunda:executionListener event="end" expression="${undefinedBean.call()}" />""")}}</bpmn:serviceTask>
            <bpmn:userTask id="u" />
            {{Chain("s", "t", "u")}}
            """);

        var instance = await h.StartAsync();

        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal("t", incident.ElementId);
        Assert.Contains("executionListener (end)", incident.Message, StringComparison.Ordinal);
        Assert.Equal(["t"], await h.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task ACancelledActivity_RunsItsEndListeners_InnerFirst_ButOneNotYetBegunDoesNot()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:subProcess id="sp">{{Listeners(Mark("executionListener", "end", "sp.end"))}}
              <bpmn:startEvent id="ss" />
              <bpmn:userTask id="inner">{{Listeners(Mark("executionListener", "end", "inner.end"))}}</bpmn:userTask>
              <bpmn:sequenceFlow id="i1" sourceRef="ss" targetRef="inner" />
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="late" attachedToRef="sp"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:serviceTask id="queued" camunda:asyncBefore="true" camunda:delegateExpression="${record}">{{Listeners(Mark("executionListener", "end", "queued.end"))}}</bpmn:serviceTask>
            <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
            <bpmn:endEvent id="e" />
            {{Flow("f1", "s", "fork")}}
            {{Flow("f2", "fork", "sp")}}
            {{Flow("f3", "fork", "queued")}}
            {{Flow("f4", "sp", "e")}}
            {{Flow("f5", "late", "stop")}}
            {{Flow("f6", "queued", "e")}}
            """);

        var instance = await h.StartAsync();
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(InstanceStatus.Terminated, await h.StatusAsync(instance.Id));
        Assert.Equal("inner.end;sp.end;", await h.VariableAsync(instance.Id, "trail"));
        Assert.Empty(h.Trail);
    }

    [Fact]
    public async Task ATerminatedInstance_EndsItsTokensBeforeTheProcess()
    {
        var h = new EngineHarness(store: store);
        await h.Engine.DeployAsync($$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
              <bpmn:process id="p" isExecutable="true">
                {{Listeners(Mark("executionListener", "end", "p.end"))}}
                <bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
                <bpmn:userTask id="waiting">{{Listeners(Mark("executionListener", "end", "waiting.end"))}}</bpmn:userTask>
                <bpmn:userTask id="decide" />
                <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
                <bpmn:endEvent id="e" />
                {{Flow("f1", "s", "fork")}}{{Flow("f2", "fork", "waiting")}}{{Flow("f3", "fork", "decide")}}
                {{Flow("f4", "decide", "stop")}}{{Flow("f5", "waiting", "e")}}
              </bpmn:process>
            </bpmn:definitions>
            """, "p.bpmn");

        var instance = await h.StartAsync();
        var decide = (await h.Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instance.Id))).Single(t => t.ElementId == "decide");
        await h.Engine.CompleteTaskAsync(decide.Id);

        Assert.Equal("waiting.end;p.end;", await h.VariableAsync(instance.Id, "trail"));
    }

    [Fact]
    public async Task AnEventGateway_EndsAndTakesTheFlowOfTheEventThatHappened_WithTheirListeners()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:eventBasedGateway id="gw">{{Listeners(Mark("executionListener", "start", "gw.start"), Mark("executionListener", "end", "gw.end"))}}</bpmn:eventBasedGateway>
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="never"><bpmn:timerEventDefinition><bpmn:timeDuration>P10D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            <bpmn:endEvent id="e" />
            {{Flow("f1", "s", "gw")}}
            <bpmn:sequenceFlow id="toWait" sourceRef="gw" targetRef="wait">{{Listeners(Mark("executionListener", "take", "toWait.take"))}}</bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="toNever" sourceRef="gw" targetRef="never">{{Listeners(Mark("executionListener", "take", "toNever.take"))}}</bpmn:sequenceFlow>
            {{Flow("f2", "wait", "u")}}
            {{Flow("f3", "never", "e")}}
            """);

        var instance = await h.StartAsync();
        Assert.Equal("gw.start;", await h.VariableAsync(instance.Id, "trail"));
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal("gw.start;gw.end;toWait.take;", await h.VariableAsync(instance.Id, "trail"));
        Assert.Equal(["u"], await h.ActiveElementsAsync(instance.Id));
    }
}

public sealed class ListenerTests_InMemory() : ListenerTests(StoreKind.InMemory);

public sealed class ListenerTests_Sqlite() : ListenerTests(StoreKind.Sqlite);

public sealed class ListenerTests_Postgres() : ListenerTests(StoreKind.Postgres);
