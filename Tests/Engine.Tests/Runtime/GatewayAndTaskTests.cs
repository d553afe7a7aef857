using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class GatewayAndTaskTests(StoreKind store)
{
    [Fact]
    public async Task Start_RunsServiceTasksInOrder_AndWaitsAtUserTask()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="a" camunda:delegateExpression="${record}" />
            <bpmn:serviceTask id="b" camunda:class="record" />
            <bpmn:userTask id="u" name="审核" camunda:assignee="${officer}" camunda:candidateGroups="desk, leaders" camunda:dueDate="P3D" camunda:priority="${70 + 5}" camunda:formKey="forms/review" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "a", "b", "u", "e")}}
            """);

        var instance = await h.StartAsync(variables: new { officer = "zhang" });

        Assert.Equal(["a", "b"], h.Trail);
        var task = (await h.SingleTaskAsync(instance.Id));
        Assert.Equal("审核", task.Name);
        Assert.Equal("zhang", task.Assignee);
        Assert.Equal(["desk", "leaders"], task.CandidateGroups);
        Assert.Equal(EngineHarness.Start.AddDays(3), task.DueDate);
        Assert.Equal(75, task.Priority);
        Assert.Equal("forms/review", task.FormKey);
        Assert.Equal(InstanceStatus.Active, (await h.StatusAsync(instance.Id)));

        await h.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["approved"] = true });

        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(instance.Id)));
        Assert.Equal(true, (await h.VariableAsync(instance.Id, "approved")));
        Assert.Empty((await h.Engine.GetTasksAsync()));
    }

    [Fact]
    public async Task TaskQuery_CreatedAfter_FindsOnlyTasksMadeSinceThatInstant()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:candidateGroups="desk" /><bpmn:endEvent id="e" />{{Chain("s", "u", "e")}}""");
        var first = await h.StartAsync();
        var between = h.Clock.GetUtcNow();
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await h.StartAsync();

        var newer = await h.Engine.GetTasksAsync(new TaskQuery(CandidateGroup: "desk") { CreatedAfter = between });
        var all = await h.Engine.GetTasksAsync(new TaskQuery { CreatedAfter = between - TimeSpan.FromSeconds(1) });

        Assert.Equal([second.Id], newer.Select(t => t.ProcessInstanceId));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), all.Select(t => t.ProcessInstanceId).Order());
    }

    [Fact]
    public async Task TaskStamps_NameTheNewTasks_AndTaskQueryIds_ReadsOnlyThose()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:candidateGroups="desk" /><bpmn:endEvent id="e" />{{Chain("s", "u", "e")}}""");
        await h.StartAsync();
        var between = h.Clock.GetUtcNow();
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await h.StartAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var third = await h.StartAsync();

        var stamps = await h.Engine.GetTaskStampsAsync(between);
        var secondTask = await h.SingleTaskAsync(second.Id);
        var thirdTask = await h.SingleTaskAsync(third.Id);
        Assert.Equal([(secondTask.Id, secondTask.CreatedAt), (thirdTask.Id, thirdTask.CreatedAt)], stamps.Select(s => (s.Id, s.CreatedAt)));

        var read = await h.Engine.GetTasksAsync(new TaskQuery { Ids = [thirdTask.Id, "no-such-task"] });
        Assert.Equal([thirdTask.Id], read.Select(t => t.Id));
    }

    [Fact]
    public async Task CompleteTask_SecondCompletionIsRefused_WithClearError()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="u" /><bpmn:endEvent id="e" />{{Chain("s", "u", "e")}}""");
        var instance = await h.StartAsync();
        var task = (await h.SingleTaskAsync(instance.Id));

        await h.Engine.CompleteTaskAsync(task.Id);
        var error = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.CompleteTaskAsync(task.Id));

        Assert.Equal("not-found", error.Code);
        Assert.Contains(task.Id, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5000, "big")]
    [InlineData(10, "small")]
    public async Task ExclusiveGateway_TakesFirstTrueCondition_ElseDefault(long amount, string expected)
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" default="toSmall" />
            <bpmn:userTask id="big" />
            <bpmn:userTask id="small" />
            {{Flow("f0", "s", "g")}}
            {{Flow("toBig", "g", "big", "${amount > 1000}")}}
            {{Flow("toSmall", "g", "small")}}
            """);

        var instance = await h.StartAsync(variables: new { amount });

        Assert.Equal([expected], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task ExclusiveGateway_WithNoTrueConditionAndNoDefault_RaisesIncidentAtGateway()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" />
            <bpmn:endEvent id="e1" />
            <bpmn:endEvent id="e2" />
            {{Flow("f0", "s", "g")}}{{Flow("f1", "g", "e1", "${x == 1}")}}{{Flow("f2", "g", "e2", "${x == 2}")}}
            """);

        var instance = await h.StartAsync(variables: new { x = 3 });

        var incident = Assert.Single((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal("g", incident.ElementId);
        Assert.Contains("no default flow", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelGateway_ForksAndJoinsOnceAllBranchesArrive()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="a" />
            <bpmn:userTask id="b" />
            <bpmn:parallelGateway id="join" />
            <bpmn:serviceTask id="after" camunda:delegateExpression="${record}" />
            <bpmn:endEvent id="e" />
            {{Flow("f0", "s", "fork")}}{{Flow("fa", "fork", "a")}}{{Flow("fb", "fork", "b")}}
            {{Flow("fa2", "a", "join")}}{{Flow("fb2", "b", "join")}}{{Chain("join", "after", "e")}}
            """);

        var instance = await h.StartAsync();
        Assert.Equal(["a", "b"], (await h.ActiveElementsAsync(instance.Id)));

        var tasks = (await h.Engine.GetTasksAsync(new TaskQuery(instance.Id)));
        await h.Engine.CompleteTaskAsync(tasks.Single(t => t.ElementId == "a").Id);
        Assert.Empty(h.Trail);
        Assert.Equal(["b", "join"], (await h.ActiveElementsAsync(instance.Id)));

        await h.Engine.CompleteTaskAsync(tasks.Single(t => t.ElementId == "b").Id);
        Assert.Equal(["after"], h.Trail);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(instance.Id)));
    }

    [Fact]
    public async Task InclusiveJoin_WaitsOnlyForBranchesThatWereTaken()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:inclusiveGateway id="split" />
            <bpmn:userTask id="phone" />
            <bpmn:userTask id="email" />
            <bpmn:userTask id="letter" />
            <bpmn:inclusiveGateway id="join" />
            <bpmn:userTask id="done" />
            {{Flow("f0", "s", "split")}}
            {{Flow("toPhone", "split", "phone", "${channels.indexOf('phone') >= 0}")}}
            {{Flow("toEmail", "split", "email", "${channels.indexOf('email') >= 0}")}}
            {{Flow("toLetter", "split", "letter", "${channels.indexOf('letter') >= 0}")}}
            {{Flow("p2", "phone", "join")}}{{Flow("e2", "email", "join")}}{{Flow("l2", "letter", "join")}}
            {{Flow("f9", "join", "done")}}
            """);

        var instance = await h.StartAsync(variables: new Dictionary<string, object?> { ["channels"] = new List<object?> { "phone", "email" } });
        Assert.Equal(["email", "phone"], (await h.ActiveElementsAsync(instance.Id)));

        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "phone"))).Single().Id);
        Assert.Equal(["email", "join"], (await h.ActiveElementsAsync(instance.Id)));

        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "email"))).Single().Id);
        Assert.Equal(["done"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task InclusiveJoin_FiresWhenTheOtherTakenBranchEndsElsewhere()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:inclusiveGateway id="split" />
            <bpmn:userTask id="a" />
            <bpmn:userTask id="b" />
            <bpmn:exclusiveGateway id="x" default="xb" />
            <bpmn:endEvent id="early" />
            <bpmn:inclusiveGateway id="join" />
            <bpmn:userTask id="done" />
            {{Flow("f0", "s", "split")}}{{Flow("sa", "split", "a")}}{{Flow("sb", "split", "b")}}
            {{Flow("a2", "a", "join")}}{{Flow("b2", "b", "x")}}{{Flow("xe", "x", "early", "${stop === true}")}}{{Flow("xb", "x", "join")}}
            {{Flow("f9", "join", "done")}}
            """);

        var instance = await h.StartAsync();
        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "a"))).Single().Id);
        Assert.Equal(["b", "join"], (await h.ActiveElementsAsync(instance.Id)));

        await h.Engine.CompleteTaskAsync((await h.Engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "b"))).Single().Id, new Dictionary<string, object?> { ["stop"] = true });

        Assert.Equal(["done"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task ServiceTask_ReceivesTypedInputs_AndOutputParametersMapResults()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="calc" camunda:delegateExpression="${double}">
              <bpmn:extensionElements>
                <camunda:inputOutput>
                  <camunda:inputParameter name="amount">${price * 2}</camunda:inputParameter>
                  <camunda:outputParameter name="total">${doubled + 1}</camunda:outputParameter>
                </camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="u" />
            {{Chain("s", "calc", "u")}}
            """);

        var instance = await h.StartAsync(variables: new { price = 21 });

        Assert.Empty((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal("Int64:85", (await h.VariableAsync(instance.Id, "total")) is { } t ? t.GetType().Name + ":" + t : "null");
        Assert.False((await h.Engine.GetVariablesAsync(instance.Id)).ContainsKey("amount"));
        Assert.False((await h.Engine.GetVariablesAsync(instance.Id)).ContainsKey("doubled"));
    }

    [Fact]
    public async Task ScriptTask_SetsVariablesAndResult()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:scriptTask id="sc" scriptFormat="javascript" camunda:resultVariable="label">
              <bpmn:script>execution.setVariable('tier', days &lt;= 3 ? 'simple' : 'general'); '投诉-' + days;</bpmn:script>
            </bpmn:scriptTask>
            <bpmn:userTask id="u" />
            {{Chain("s", "sc", "u")}}
            """);

        var instance = await h.StartAsync(variables: new { days = 3 });

        Assert.Equal("simple", (await h.VariableAsync(instance.Id, "tier")));
        Assert.Equal("投诉-3", (await h.VariableAsync(instance.Id, "label")));
    }

    [Fact]
    public async Task ServiceTask_ThatThrowsAnException_RaisesIncidentAtItsElement_AndKeepsTheToken()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:serviceTask id="boom" camunda:delegateExpression="${crash}" /><bpmn:endEvent id="e" />{{Chain("s", "boom", "e")}}""");

        var instance = await h.StartAsync();

        var incident = Assert.Single((await h.Engine.GetInstanceAsync(instance.Id)).Incidents);
        Assert.Equal("boom", incident.ElementId);
        Assert.Contains("the database is on fire", incident.Message, StringComparison.Ordinal);
        Assert.Equal(InstanceStatus.Active, (await h.StatusAsync(instance.Id)));
        Assert.Equal(["boom"], (await h.ActiveElementsAsync(instance.Id)));
    }

    [Fact]
    public async Task AsyncBefore_StopsAtAJob_ThatRunsTheRestWhenExecuted()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="a" camunda:asyncBefore="true" camunda:delegateExpression="${record}" />
            <bpmn:userTask id="u" />
            {{Chain("s", "a", "u")}}
            """);

        var instance = await h.StartAsync();
        Assert.Empty(h.Trail);
        var job = Assert.Single((await h.Engine.GetJobsAsync(instance.Id)));
        Assert.Equal("a", job.ElementId);

        await h.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal(["a"], h.Trail);
        Assert.Equal(["u"], (await h.ActiveElementsAsync(instance.Id)));
        Assert.Empty((await h.Engine.GetJobsAsync()));
    }

    [Fact]
    public async Task LinkEvents_JumpToTheCatchOfTheSameName()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateThrowEvent id="goto"><bpmn:linkEventDefinition name="L1" /></bpmn:intermediateThrowEvent>
            <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="L1" /></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="u" />
            {{Flow("f0", "s", "goto")}}{{Flow("f1", "land", "u")}}
            """);

        var instance = await h.StartAsync();

        Assert.Equal(["u"], (await h.ActiveElementsAsync(instance.Id)));
    }
}

public sealed class GatewayAndTaskTests_InMemory() : GatewayAndTaskTests(StoreKind.InMemory);

public sealed class GatewayAndTaskTests_Sqlite() : GatewayAndTaskTests(StoreKind.Sqlite);

public sealed class GatewayAndTaskTests_Postgres() : GatewayAndTaskTests(StoreKind.Postgres);
