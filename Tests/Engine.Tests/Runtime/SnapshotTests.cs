using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>
/// Run to a wait state, snapshot, restore in a fresh engine, continue: the outcome must equal an
/// uninterrupted run, for every kind of wait.
/// </summary>
public abstract class SnapshotTests(StoreKind store)
{
    private const string Roots = """
        <bpmn:message id="msg" name="reply" />
        <bpmn:signal id="sig" name="go" />
        """;

    public static TheoryData<string> Scenarios => [.. ScenarioTable.Keys];

    private static readonly Dictionary<string, (string Process, Func<EngineHarness, string, Task> Continue)> ScenarioTable = new()
    {
        ["userTask"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:assignee="${who}" camunda:dueDate="P1D" />
            <bpmn:scriptTask id="sc" scriptFormat="javascript"><bpmn:script>execution.setVariable('sum', a + 1)</bpmn:script></bpmn:scriptTask>
            <bpmn:endEvent id="e" />{{Chain("s", "u", "sc", "e")}}
            """,
            async (h, id) => await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(id)).Id, new Dictionary<string, object?> { ["a"] = 41 })),
        ["messageCatch"] = ($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="c">
              <bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" value="${who}" /></camunda:properties></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="msg" />
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="e" />{{Chain("s", "c", "e")}}
            """,
            async (h, _) => await h.Engine.CorrelateMessageAsync(new MessageCorrelation("reply") { CorrelationKey = "陈", Variables = new Dictionary<string, object?> { ["score"] = 3.5 } })),
        ["receiveTask"] = ($$"""<bpmn:startEvent id="s" /><bpmn:receiveTask id="r" messageRef="msg" /><bpmn:endEvent id="e" />{{Chain("s", "r", "e")}}""",
            async (h, id) => await h.Engine.CorrelateMessageAsync(new MessageCorrelation("reply") { ProcessInstanceId = id })),
        ["signalCatch"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="c"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="e" />{{Chain("s", "c", "e")}}
            """,
            async (h, _) => await h.Engine.BroadcastSignalAsync("go", new Dictionary<string, object?> { ["when"] = EngineHarness.Start })),
        ["timerCatch"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="e" />{{Chain("s", "t", "e")}}
            """,
            async (h, _) =>
            {
                h.Clock.Advance(TimeSpan.FromHours(2));
                await h.Engine.FireDueTimersAsync();
            }),
        ["eventGateway"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
            <bpmn:intermediateCatchEvent id="m"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:scriptTask id="late" scriptFormat="javascript"><bpmn:script>execution.setVariable('late', true)</bpmn:script></bpmn:scriptTask>
            <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
            {{Flow("f0", "s", "g")}}{{Flow("g1", "g", "m")}}{{Flow("g2", "g", "t")}}{{Chain("m", "e1")}}{{Chain("t", "late", "e2")}}
            """,
            async (h, _) =>
            {
                h.Clock.Advance(TimeSpan.FromHours(1));
                await h.Engine.FireDueTimersAsync();
            }),
        ["nonInterruptingBoundaryAndParallelJoin"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="a" /><bpmn:userTask id="b" />
            <bpmn:boundaryEvent id="tick" attachedToRef="b" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:scriptTask id="count" scriptFormat="javascript"><bpmn:script>execution.setVariable('ticks', (execution.getVariable('ticks') || 0) + 1)</bpmn:script></bpmn:scriptTask>
            <bpmn:endEvent id="te" />
            <bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
            {{Flow("f0", "s", "fork")}}{{Flow("fa", "fork", "a")}}{{Flow("fb", "fork", "b")}}{{Flow("a2", "a", "join")}}{{Flow("b2", "b", "join")}}{{Chain("join", "e")}}
            {{Chain("tick", "count", "te")}}
            """,
            async (h, id) =>
            {
                await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(id, ElementId: "a"))).Single().Id);
                h.Clock.Advance(TimeSpan.FromHours(1));
                await h.Engine.FireDueTimersAsync();
                h.Clock.Advance(TimeSpan.FromHours(1));
                await h.Engine.FireDueTimersAsync();
                await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(id, ElementId: "b"))).Single().Id);
            }),
        ["multiInstance"] = ($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="v" camunda:assignee="${x}">
              <bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${list}" camunda:elementVariable="x" />
            </bpmn:userTask>
            <bpmn:endEvent id="e" />{{Chain("s", "v", "e")}}
            """,
            async (h, id) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    var task = (await h.SingleTaskAsync(id));
                    await h.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["last"] = task.Assignee });
                }
            }),
        ["asyncJob"] = ($$"""
            <bpmn:startEvent id="s" /><bpmn:scriptTask id="a" camunda:asyncBefore="true" scriptFormat="javascript"><bpmn:script>execution.setVariable('ran', true)</bpmn:script></bpmn:scriptTask>
            <bpmn:endEvent id="e" />{{Chain("s", "a", "e")}}
            """,
            async (h, _) => await h.Engine.RunPendingJobsAsync()),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task SnapshotRoundTrip_GivesTheSameOutcomeAsAnUninterruptedRun(string scenario)
    {
        var (process, proceed) = ScenarioTable[scenario];
        var variables = new Dictionary<string, object?>
        {
            ["who"] = "陈",
            ["list"] = new List<object?> { "a", "b", "c" },
            ["nested"] = new Dictionary<string, object?> { ["n"] = 1L, ["d"] = 0.25, ["t"] = EngineHarness.Start, ["l"] = new List<object?> { true, null } },
        };

        var straight = new EngineHarness(store: store);
        straight.Deploy(process, Roots);
        var straightInstance = await straight.StartAsync(variables: variables, businessKey: "TS-9");
        await proceed(straight, straightInstance.Id);

        var before = new EngineHarness(store: store);
        before.Deploy(process, Roots);
        var instance = await before.StartAsync(variables: variables, businessKey: "TS-9");
        var snapshot = (await before.Engine.ExportSnapshotAsync(instance.Id));

        var after = new EngineHarness(store: store);
        after.Deploy(process, Roots);
        await after.Engine.ImportSnapshotAsync(snapshot);
        Assert.Equal(snapshot, (await after.Engine.ExportSnapshotAsync(instance.Id)));
        Assert.Equal((await before.Engine.GetTokensAsync(instance.Id)), (await after.Engine.GetTokensAsync(instance.Id)));
        Assert.Equal((await before.Engine.GetTasksAsync()), (await after.Engine.GetTasksAsync()), TaskComparer);
        Assert.Equal((await before.Engine.GetTimersAsync()).Select(t => (t.ElementId, t.DueAt)), (await after.Engine.GetTimersAsync()).Select(t => (t.ElementId, t.DueAt)));
        await proceed(after, instance.Id);

        Assert.Equal(InstanceStatus.Completed, (await straight.StatusAsync(straightInstance.Id)));
        Assert.Equal((await straight.StatusAsync(straightInstance.Id)), (await after.StatusAsync(instance.Id)));
        Assert.Equal((await straight.Engine.GetVariablesAsync(straightInstance.Id)).OrderBy(v => v.Key).Select(v => (v.Key, Render(v.Value))),
            _ = (await after.Engine.GetVariablesAsync(instance.Id)).OrderBy(v => v.Key).Select(v => (v.Key, Render(v.Value))));
    }

    [Fact]
    public async Task SnapshotRoundTrip_OfCallingAndCalledInstances_ResumesTheCaller()
    {
        const string child = """<bpmn:startEvent id="s" /><bpmn:userTask id="u" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u" /><bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="e" />""";
        var parentProcess = $$"""
            <bpmn:startEvent id="s" /><bpmn:callActivity id="call" calledElement="child"><bpmn:extensionElements><camunda:out source="answer" target="answer" /></bpmn:extensionElements></bpmn:callActivity>
            <bpmn:userTask id="after" />{{Chain("s", "call", "after")}}
            """;
        var before = new EngineHarness(store: store);
        await before.Engine.DeployAsync(Wrap(child, "", "child"));
        before.Deploy(parentProcess);
        var parent = await before.StartAsync();
        var called = Assert.Single((await before.Engine.GetInstancesAsync("child")));

        var after = new EngineHarness(store: store);
        await after.Engine.DeployAsync(Wrap(child, "", "child"));
        after.Deploy(parentProcess);
        await after.Engine.ImportSnapshotAsync((await before.Engine.ExportSnapshotAsync(parent.Id)));
        await after.Engine.ImportSnapshotAsync((await before.Engine.ExportSnapshotAsync(called.Id)));
        await after.Engine.CompleteTaskAsync((await after.SingleTaskAsync(called.Id)).Id, new Dictionary<string, object?> { ["answer"] = "满意" });

        Assert.Equal("满意", (await after.VariableAsync(parent.Id, "answer")));
        Assert.Equal("after", (await after.SingleTaskAsync(parent.Id)).ElementId);
    }

    [Fact]
    public async Task ImportSnapshot_OfAnUnknownFormatVersion_IsRefusedClearly()
    {
        var h = new EngineHarness(store: store);
        var error = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.ImportSnapshotAsync("""{"v":99}"""));
        Assert.Contains("format 99", error.Message, StringComparison.Ordinal);
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        List<object?> l => "[" + string.Join(",", l.Select(Render)) + "]",
        Dictionary<string, object?> m => "{" + string.Join(",", m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + Render(kv.Value))) + "}",
        DateTimeOffset d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly IEqualityComparer<TaskInfo> TaskComparer = EqualityComparer<TaskInfo>.Create(
        (a, b) => a!.Id == b!.Id && a.Assignee == b.Assignee && a.DueDate == b.DueDate && a.ElementId == b.ElementId && a.CandidateGroups.SequenceEqual(b.CandidateGroups),
        t => t.Id.GetHashCode(StringComparison.Ordinal));
}

public sealed class SnapshotTests_InMemory() : SnapshotTests(StoreKind.InMemory);

public sealed class SnapshotTests_Sqlite() : SnapshotTests(StoreKind.Sqlite);

public sealed class SnapshotTests_Postgres() : SnapshotTests(StoreKind.Postgres);
