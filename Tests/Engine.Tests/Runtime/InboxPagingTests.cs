using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>The keyset-paged inbox on every store: order, paging to the end, claimed and ended tasks, bad arguments.</summary>
public abstract class InboxPagingTests(StoreKind store)
{
    private const string Desk = """<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:candidateGroups="desk, leaders" /><bpmn:endEvent id="e" />""";

    private const string DeskWithDue = """<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:candidateGroups="desk" camunda:dueDate="P3D" /><bpmn:endEvent id="e" />""";

    private const string Named = """<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:candidateUsers="wang" /><bpmn:endEvent id="e" />""";

    private static async Task<List<TaskInfo>> AllPagesAsync(WorkflowEngine engine, InboxScope scope, string user, string[] groups, int limit)
    {
        var all = new List<TaskInfo>();
        string? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await engine.GetInboxAsync(new InboxQuery(scope, user, groups, limit, after));
            Assert.True(page.Tasks.Count <= limit);
            all.AddRange(page.Tasks);
            if (page.Next is null)
            {
                return all;
            }

            after = page.Next;
        }

        throw new InvalidOperationException("The inbox did not end within 100 pages.");
    }

    [Fact]
    public async Task GroupsInbox_PagesToTheEnd_DueTasksFirst_EachTaskOnce_ClaimedAndEndedTasksLeave()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Desk + Bpmn.Chain("s", "u", "e"), id: "plain");
        h.Deploy(DeskWithDue + Bpmn.Chain("s", "u", "e"), id: "due");
        h.Deploy(Named + Bpmn.Chain("s", "u", "e"), id: "named");
        var plain = new List<string>();
        var due = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            plain.Add((await h.SingleTaskAsync((await h.StartAsync("plain")).Id)).Id);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        for (var i = 0; i < 3; i++)
        {
            due.Add((await h.SingleTaskAsync((await h.StartAsync("due")).Id)).Id);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var named = (await h.SingleTaskAsync((await h.StartAsync("named")).Id)).Id;

        // Offered to both of wang's groups, the plain tasks still come once; the due ones first, then by creation.
        var listed = await AllPagesAsync(h.Engine, InboxScope.Groups, "wang", ["desk", "leaders"], 3);
        Assert.Equal([.. due, .. plain, named], listed.Select(t => t.Id));
        Assert.Empty(await AllPagesAsync(h.Engine, InboxScope.Groups, "li", ["nobody"], 3));
        Assert.Equal(plain, (await AllPagesAsync(h.Engine, InboxScope.Groups, "li", ["leaders"], 1)).Select(t => t.Id));

        // Claimed: it leaves the groups' inbox and is in the claimer's; completed: it is in neither.
        await h.Engine.SetAssigneeAsync(plain[1], "wang", "wang");
        await h.Engine.CompleteTaskAsync(due[0], userId: "zhao");
        Assert.Equal([due[1], due[2], plain[0], plain[2], plain[3], named], (await AllPagesAsync(h.Engine, InboxScope.Groups, "wang", ["desk"], 2)).Select(t => t.Id));
        Assert.Equal([plain[1]], (await AllPagesAsync(h.Engine, InboxScope.Mine, "wang", [], 2)).Select(t => t.Id));

        // Released again: back in the groups' inbox at its place.
        await h.Engine.SetAssigneeAsync(plain[1], null, "wang");
        Assert.Equal(plain, (await AllPagesAsync(h.Engine, InboxScope.Groups, "li", ["leaders"], 10)).Select(t => t.Id));
        Assert.Empty(await AllPagesAsync(h.Engine, InboxScope.Mine, "wang", [], 2));
    }

    [Fact]
    public async Task MineInbox_PagesInOrder_AndDeletingTheDeploymentEmptiesBothInboxes()
    {
        var h = new EngineHarness(store: store);
        var deployment = (await h.Engine.DeployAsync(Bpmn.Wrap(Desk + Bpmn.Chain("s", "u", "e"), id: "plain"), "plain.bpmn")).Deployment!;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var task = await h.SingleTaskAsync((await h.StartAsync("plain")).Id);
            ids.Add(task.Id);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        foreach (var id in ids.Where((_, i) => i % 2 == 0))
        {
            await h.Engine.SetAssigneeAsync(id, "zhang", "zhang");
        }

        Assert.Equal([ids[0], ids[2], ids[4]], (await AllPagesAsync(h.Engine, InboxScope.Mine, "zhang", [], 2)).Select(t => t.Id));
        Assert.Equal([ids[1], ids[3]], (await AllPagesAsync(h.Engine, InboxScope.Groups, "li", ["desk"], 1)).Select(t => t.Id));

        await h.Engine.DeleteDeploymentAsync(deployment.Id, cascade: true);
        Assert.Empty(await AllPagesAsync(h.Engine, InboxScope.Mine, "zhang", [], 2));
        Assert.Empty(await AllPagesAsync(h.Engine, InboxScope.Groups, "li", ["desk"], 2));
    }

    [Fact]
    public async Task Inbox_RefusesABadLimitOrCursor_NamingTheParameter()
    {
        var h = new EngineHarness(store: store);
        var limit = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Engine.GetInboxAsync(new InboxQuery(InboxScope.Mine, "zhang", [], 0)));
        Assert.Equal("limit", limit.ParamName);
        var cursor = await Assert.ThrowsAsync<ArgumentException>(() => h.Engine.GetInboxAsync(new InboxQuery(InboxScope.Groups, "zhang", ["desk"], 10, "not-a-cursor")));
        Assert.Equal("after", cursor.ParamName);
        Assert.Contains("after", cursor.Message, StringComparison.Ordinal);
    }
}

public sealed class InboxPagingTests_InMemory() : InboxPagingTests(StoreKind.InMemory);

public sealed class InboxPagingTests_Sqlite() : InboxPagingTests(StoreKind.Sqlite);

public sealed class InboxPagingTests_Postgres() : InboxPagingTests(StoreKind.Postgres);
