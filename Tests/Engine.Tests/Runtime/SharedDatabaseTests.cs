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

    [Fact]
    public async Task TwoHosts_ProcessThousandsOfJobsAndTimers_EachExactlyOnce()
    {
        const int instances = 2_500;
        var (first, second) = EngineHarness.TwoHosts(store);
        first.Deploy("""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="job" camunda:asyncBefore="true" camunda:delegateExpression="${flaky}">
              <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="failures">0</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:scriptTask id="count" scriptFormat="javascript"><bpmn:script>execution.setVariable('fired', (execution.getVariable('fired') || 0) + 1)</bpmn:script></bpmn:scriptTask>
            <bpmn:userTask id="done" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="job" />
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="later" />
            <bpmn:sequenceFlow id="f3" sourceRef="later" targetRef="count" />
            <bpmn:sequenceFlow id="f4" sourceRef="count" targetRef="done" />
            """);
        await second.Engine.LoadDefinitionsAsync();
        var ids = new List<string>();
        for (var i = 0; i < instances; i++)
        {
            ids.Add((await (i % 2 == 0 ? first : second).StartAsync()).Id);
        }

        await Task.WhenAll(Drain(first, "host-a"), Drain(second, "host-b"));
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        var fired = await Task.WhenAll(Fire(first), Fire(second));

        Assert.Equal(instances, fired.Sum());
        Assert.All(ids, id => Assert.Equal(1, first.Attempts.GetValueOrDefault(id) + second.Attempts.GetValueOrDefault(id)));
        Assert.Equal(instances, (await first.Engine.GetTasksAsync(new TaskQuery(ElementId: "done"))).Count);
        Assert.Empty(await first.Engine.GetJobsAsync());
        Assert.Empty(await second.Engine.GetTimersAsync());
        foreach (var id in ids.Take(50))
        {
            Assert.Equal(1L, await first.VariableAsync(id, "fired"));
        }

        static Task Drain(EngineHarness host, string owner) => Task.Run(async () =>
        {
            while (await host.Engine.RunDueJobsAsync(owner) > 0)
            {
            }
        });

        static Task<int> Fire(EngineHarness host) => Task.Run(async () =>
        {
            var total = 0;
            while (await host.Engine.FireDueTimersAsync() is > 0 and var count)
            {
                total += count;
            }

            return total;
        });
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
