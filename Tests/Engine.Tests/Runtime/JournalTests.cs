using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class JournalTests(StoreKind store)
{
    [Fact]
    public async Task Journal_RecordsThePathTaken_WhoActed_AndVariables_InOrder()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="review" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "review", "e")}}
            """);
        var instance = await h.StartAsync(variables: new { channel = "12315" });
        var task = await h.SingleTaskAsync(instance.Id);
        await h.Engine.SetAssigneeAsync(task.Id, "zhang", userId: "zhang");

        await h.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["approved"] = true }, userId: "zhang");

        var journal = await h.Engine.GetJournalAsync(instance.Id);
        Assert.Equal(
            [
                (JournalKind.VariableSet, "p", (string?)null),
                (JournalKind.ProcessStarted, "p", null),
                (JournalKind.ElementEntered, "s", null),
                (JournalKind.ElementCompleted, "s", null),
                (JournalKind.ElementEntered, "review", null),
                (JournalKind.TaskAssigned, "review", "zhang"),
                (JournalKind.VariableSet, "p", "zhang"),
                (JournalKind.ElementCompleted, "review", "zhang"),
                (JournalKind.ElementEntered, "e", "zhang"),
                (JournalKind.ElementCompleted, "e", "zhang"),
                (JournalKind.ProcessCompleted, "p", "zhang"),
            ],
            journal.Select(j => (j.Kind, j.ElementId, j.UserId)));
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(i => (long)i), journal.Select(j => j.Sequence));
        Assert.Contains("channel = text \"12315\"", journal[0].Detail, StringComparison.Ordinal);
        Assert.Contains("approved = true", journal[6].Detail, StringComparison.Ordinal);
        Assert.Equal("userTask", journal[4].ElementType);
    }

    [Fact]
    public async Task Journal_SaysAPersonalVariableWasSet_ButNotItsValue_WhichTheInstanceKeeps()
    {
        var options = new WorkflowEngineOptions { PersonalVariables = ["consumerPhone", "consumerName"] };
        var h = new EngineHarness(store: store, options: options);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="classify" camunda:expression="${true}">
              <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="consumerName">${'张三丰'}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="review" />
            {{Chain("s", "classify", "review")}}
            """);

        var instance = await h.StartAsync(variables: new { consumerPhone = "13812345678", channel = "12315" });

        var details = (await h.Engine.GetJournalAsync(instance.Id)).Select(j => j.Detail).OfType<string>().ToList();
        Assert.Contains("consumerPhone = text (masked)", details);
        Assert.Contains("consumerName = text (masked)", details);
        Assert.Contains("channel = text \"12315\"", details);
        Assert.DoesNotContain(details, d => d.Contains("13812345678", StringComparison.Ordinal) || d.Contains("张三丰", StringComparison.Ordinal));
        Assert.Equal("13812345678", (await h.Engine.GetVariablesAsync(instance.Id))["consumerPhone"]);
    }

    [Fact]
    public async Task Journal_MarksWhatABoundaryEventCancelled()
    {
        var h = new EngineHarness(store: store);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="handle" />
            <bpmn:boundaryEvent id="late" attachedToRef="handle"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="supervise" />
            {{Chain("s", "handle")}}{{Chain("late", "supervise")}}
            """);
        var instance = await h.StartAsync();
        h.Clock.Advance(TimeSpan.FromDays(1));

        await h.Engine.FireDueTimersAsync();

        var journal = await h.Engine.GetJournalAsync(instance.Id);
        var cancelled = Assert.Single(journal, j => j.Kind == JournalKind.ElementCancelled);
        Assert.Equal("handle", cancelled.ElementId);
        Assert.Equal(EngineHarness.Start.AddDays(1), cancelled.At);
        Assert.Contains(journal, j => j is { Kind: JournalKind.ElementEntered, ElementId: "late" });
        Assert.True(journal.Select(j => j.Sequence).SequenceEqual(journal.Select(j => j.Sequence).Order()));
    }
}

public sealed class JournalTests_InMemory() : JournalTests(StoreKind.InMemory);

public sealed class JournalTests_Sqlite() : JournalTests(StoreKind.Sqlite);

public sealed class JournalTests_Postgres() : JournalTests(StoreKind.Postgres);
