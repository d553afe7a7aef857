using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class InstanceMigrationTests(StoreKind store)
{
    private const string Version1 = """
        <bpmn:startEvent id="s" />
        <bpmn:userTask id="handle" name="处理" />
        <bpmn:boundaryEvent id="late" attachedToRef="handle" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:userTask id="remind" />
        <bpmn:userTask id="archive" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="handle" />
        <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="archive" />
        <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="remind" />
        """;

    // Version 2 adds a review before archiving and renames the handling task.
    private const string Version2 = """
        <bpmn:startEvent id="s" />
        <bpmn:userTask id="mediate" name="调解" />
        <bpmn:boundaryEvent id="late" attachedToRef="mediate" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:userTask id="remind" />
        <bpmn:userTask id="review" />
        <bpmn:userTask id="archive" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="mediate" />
        <bpmn:sequenceFlow id="f2" sourceRef="mediate" targetRef="review" />
        <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="archive" />
        <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="remind" />
        """;

    [Fact]
    public async Task DryRun_ListsWhereEachTokenWouldGo_AndWhatCannotBeMapped_WithoutChangingAnything()
    {
        var h = new EngineHarness(store: store);
        var v1 = h.Deploy(Version1);
        var instance = await h.StartAsync();
        var v2 = h.Deploy(Version2);

        var unmapped = await h.Engine.MigrateInstancesAsync(v1.Id, v2.Id);
        var mapped = await h.Engine.MigrateInstancesAsync(v1.Id, v2.Id, new Dictionary<string, string> { ["handle"] = "mediate" });

        var problem = Assert.Single(Assert.Single(unmapped.Instances).Problems);
        Assert.Contains("'handle'", problem, StringComparison.Ordinal);
        var plan = Assert.Single(mapped.Instances);
        Assert.True(plan.CanMigrate, string.Join("; ", plan.Problems));
        Assert.Equal(("handle", "mediate"), (plan.Tokens[0].FromElementId, plan.Tokens[0].ToElementId));
        Assert.Equal(0, mapped.Migrated);
        Assert.Equal(1, (await h.Engine.GetInstanceAsync(instance.Id)).DefinitionVersion);
    }

    [Fact]
    public async Task Migration_MovesTokensTasksAndTimers_AndTheInstanceContinuesOnTheNewVersion()
    {
        var h = new EngineHarness(store: store);
        var v1 = h.Deploy(Version1);
        var instance = await h.StartAsync();
        var task = await h.SingleTaskAsync(instance.Id);
        var v2 = h.Deploy(Version2);

        var report = await h.Engine.MigrateInstancesAsync(v1.Id, v2.Id, new Dictionary<string, string> { ["handle"] = "mediate" }, dryRun: false);

        Assert.Equal(1, report.Migrated);
        Assert.Equal(2, (await h.Engine.GetInstanceAsync(instance.Id)).DefinitionVersion);
        var moved = await h.SingleTaskAsync(instance.Id);
        Assert.Equal((task.Id, "mediate", "调解"), (moved.Id, moved.ElementId, moved.Name));
        h.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await h.Engine.FireDueTimersAsync());
        await h.Engine.CompleteTaskAsync(moved.Id);
        Assert.Equal(["remind", "review"], await h.ActiveElementsAsync(instance.Id));
        Assert.Contains(await h.Engine.GetJournalAsync(instance.Id), j => j.Kind == JournalKind.Migrated);
    }

    [Fact]
    public async Task MigratedInstances_AreListedOnTheNewVersion_AndANextMigrationFindsThemThere()
    {
        const int Count = 200;
        var h = new EngineHarness(store: store);
        var v1 = h.Deploy(Version1);
        for (var i = 0; i < Count; i++)
        {
            await h.StartAsync(businessKey: $"ts-{i}");
        }

        var v2 = h.Deploy(Version2);
        var report = await h.Engine.MigrateInstancesAsync(v1.Id, v2.Id, new Dictionary<string, string> { ["handle"] = "mediate" }, dryRun: false);
        Assert.Equal(Count, report.Migrated);

        // The list (what the admin instance page shows) reads the stored rows, not the instances' state.
        var listed = await h.Engine.GetInstancesAsync("p");
        Assert.Equal(Count, listed.Count);
        Assert.All(listed, i => Assert.Equal((v2.Id, 2), (i.DefinitionId, i.DefinitionVersion)));
        Assert.Empty((await h.Engine.MigrateInstancesAsync(v1.Id, v2.Id, new Dictionary<string, string> { ["handle"] = "mediate" }, dryRun: false)).Instances);

        var v3 = h.Deploy(Version2.Replace("调解", "调解处理", StringComparison.Ordinal));
        Assert.Equal(Count, (await h.Engine.MigrateInstancesAsync(v2.Id, v3.Id, dryRun: false)).Migrated);
        Assert.All(await h.Engine.GetInstancesAsync("p"), i => Assert.Equal(3, i.DefinitionVersion));
    }
}

public sealed class InstanceMigrationTests_InMemory() : InstanceMigrationTests(StoreKind.InMemory);

public sealed class InstanceMigrationTests_Sqlite() : InstanceMigrationTests(StoreKind.Sqlite);

public sealed class InstanceMigrationTests_Postgres() : InstanceMigrationTests(StoreKind.Postgres);
