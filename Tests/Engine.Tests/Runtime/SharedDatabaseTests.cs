using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>Two hosts on one database: each sees what the other committed, and no step is applied twice.</summary>
public abstract class SharedDatabaseTests(StoreKind store)
{
    private const string Process = """
        <bpmn:startEvent id="s" />
        <bpmn:userTask id="review" />
        <bpmn:scriptTask id="count" scriptFormat="javascript"><bpmn:script>execution.setVariable('completions', (execution.getVariable('completions') || 0) + 1)</bpmn:script></bpmn:scriptTask>
        <bpmn:intermediateCatchEvent id="reply"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:userTask id="archive" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
        <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="count" />
        <bpmn:sequenceFlow id="f3" sourceRef="count" targetRef="reply" />
        <bpmn:sequenceFlow id="f4" sourceRef="reply" targetRef="wait" />
        <bpmn:sequenceFlow id="f5" sourceRef="wait" targetRef="archive" />
        """;

    private const string Roots = """<bpmn:message id="m" name="reply" />""";

    [Fact]
    public async Task ASecondHost_SeesDefinitionsAndInstances_AndContinuesThem()
    {
        var (first, second) = EngineHarness.TwoHosts(store);
        first.Deploy(Process, Roots);
        var instance = await first.StartAsync(businessKey: "TS-2026-0001");

        await second.Engine.LoadDefinitionsAsync();
        var task = Assert.Single(await second.Engine.GetTasksAsync());
        await second.Engine.CompleteTaskAsync(task.Id);
        await second.Engine.CorrelateMessageAsync(new MessageCorrelation("reply") { BusinessKey = "TS-2026-0001" });

        Assert.Equal(["wait"], await first.ActiveElementsAsync(instance.Id));
        Assert.Equal(1L, await first.VariableAsync(instance.Id, "completions"));
    }

    [Fact]
    public async Task TwoHostsCompletingOneTaskAtOnce_OneSucceeds_TheOtherGetsAConflict()
    {
        var (first, second) = EngineHarness.TwoHosts(store);
        first.Deploy(Process, Roots);
        await second.Engine.LoadDefinitionsAsync();
        for (var round = 0; round < 10; round++)
        {
            var instance = await first.StartAsync();
            var task = await first.SingleTaskAsync(instance.Id);

            var outcomes = await Task.WhenAll(
                Outcome(() => first.Engine.CompleteTaskAsync(task.Id)),
                Outcome(() => second.Engine.CompleteTaskAsync(task.Id)));

            Assert.Single(outcomes, o => o == "ok");
            Assert.Single(outcomes, o => o is "conflict" or "not-found");
            Assert.Equal(1L, await first.VariableAsync(instance.Id, "completions"));
            Assert.Equal(["reply"], await second.ActiveElementsAsync(instance.Id));
        }
    }

    [Fact]
    public async Task ADueTimerPolledByTwoHosts_FiresOnce()
    {
        var (first, second) = EngineHarness.TwoHosts(store);
        first.Deploy(Process, Roots);
        await second.Engine.LoadDefinitionsAsync();
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var instance = await first.StartAsync(businessKey: $"K{i}");
            await first.Engine.CompleteTaskAsync((await first.SingleTaskAsync(instance.Id)).Id);
            await second.Engine.CorrelateMessageAsync(new MessageCorrelation("reply") { BusinessKey = $"K{i}" });
            ids.Add(instance.Id);
        }

        first.Clock.Advance(TimeSpan.FromHours(1));
        var fired = await Task.WhenAll(Task.Run(() => first.Engine.FireDueTimersAsync()), Task.Run(() => second.Engine.FireDueTimersAsync()));

        Assert.Equal(20, fired.Sum());
        foreach (var id in ids)
        {
            Assert.Equal(["archive"], await first.ActiveElementsAsync(id));
        }

        Assert.Equal(20, (await second.Engine.GetTasksAsync(new TaskQuery(ElementId: "archive"))).Count);
    }

    private static async Task<string> Outcome(Func<Task> action)
    {
        try
        {
            await Task.Run(action);
            return "ok";
        }
        catch (WorkflowException ex)
        {
            return ex.Code;
        }
    }
}

public sealed class SharedDatabaseTests_Sqlite() : SharedDatabaseTests(StoreKind.Sqlite);

public sealed class SharedDatabaseTests_Postgres() : SharedDatabaseTests(StoreKind.Postgres);
