using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

public abstract class DeploymentTests(StoreKind store)
{
    [Fact]
    public async Task Deploy_RefusesAFileWithErrors_ListingEachByElement_AndDeploysNothing()
    {
        var h = new EngineHarness(store: store);
        var xml = Wrap($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="notify" camunda:delegateExpression="${sendWechat}" />
            <bpmn:complexGateway id="cg" />
            {{Chain("s", "notify", "cg")}}
            """);

        var error = await Assert.ThrowsAsync<DeploymentException>(() => h.Engine.DeployAsync(xml, "notify.bpmn"));

        Assert.Contains(error.Findings, f => f is { ElementId: "notify", Code: "unknown-activity" });
        Assert.Contains(error.Findings, f => f is { ElementId: "cg", Code: "unsupported-element" });
        Assert.Contains("notify.bpmn", error.Message, StringComparison.Ordinal);
        Assert.Contains("'notify'", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Engine.GetDefinitions());
    }

    [Fact]
    public async Task Deploy_OfChangedContent_CreatesANewVersion_AndRunningInstancesKeepTheirs()
    {
        var h = new EngineHarness(store: store);
        var v1 = h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="review" /><bpmn:endEvent id="e" />{{Chain("s", "review", "e")}}""");
        var again = h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="review" /><bpmn:endEvent id="e" />{{Chain("s", "review", "e")}}""");
        var old = await h.StartAsync();

        var v2 = h.Deploy($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="check" /><bpmn:userTask id="review" /><bpmn:endEvent id="e" />{{Chain("s", "check", "review", "e")}}""");
        var fresh = await h.StartAsync();

        Assert.Same(v1, again);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(1, (await h.Engine.GetInstanceAsync(old.Id)).DefinitionVersion);
        Assert.Equal(["review"], (await h.ActiveElementsAsync(old.Id)));
        Assert.Equal(["check"], (await h.ActiveElementsAsync(fresh.Id)));
        Assert.Equal(2, h.Engine.GetDefinitions().Count);
        Assert.Contains("id=\"check\"", h.Engine.GetDefinition("p", 2).Xml, StringComparison.Ordinal);
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(old.Id)).Id);
        Assert.Equal(InstanceStatus.Completed, (await h.StatusAsync(old.Id)));
    }

    [Fact]
    public void Validate_ReturnsFindings_WithoutDeploying()
    {
        var h = new EngineHarness(store: store);

        var findings = h.Engine.Validate(Wrap("""<bpmn:startEvent id="s" /><bpmn:receiveTask id="r" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="r" />"""));

        Assert.Contains(findings, f => f is { ElementId: "r", Code: "missing-message", Line: > 0 });
        Assert.Empty(h.Engine.GetDefinitions());
    }

    [Fact]
    public async Task StartProcess_OfAnUnknownKey_SaysSo()
    {
        var h = new EngineHarness(store: store);

        var error = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.StartProcessAsync("complaint"));

        Assert.Equal("not-found", error.Code);
        Assert.Contains("complaint", error.Message, StringComparison.Ordinal);
    }

    private static string Review(string id, string task = "review")
        => Wrap($$"""<bpmn:startEvent id="s" /><bpmn:userTask id="{{task}}" /><bpmn:endEvent id="e" />{{Chain("s", task, "e")}}""", "", id);

    [Fact]
    public async Task Deploy_RecordsTheDeployment_WithItsFiles_AndLinksTheNewVersionsToIt_ForEveryHost()
    {
        var h = new EngineHarness(store: store);
        var request = new DeploymentRequest([new("complaint.bpmn", Review("complaint")), new("survey.bpmn", Review("survey", "answer"))])
        {
            Name = "投诉流程 (complaint processes)",
            Source = "designer",
            TenantId = "sh-12315",
        };

        var result = await h.Engine.DeployAsync(request);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var later = await h.Engine.DeployAsync(new DeploymentRequest([new("complaint.bpmn", Review("complaint", "check"))]) { Name = "hotfix" });

        var deployment = Assert.IsType<DeploymentInfo>(result.Deployment);
        Assert.True(result.Changed);
        Assert.Equal(("投诉流程 (complaint processes)", "designer", "sh-12315", EngineHarness.Start), (deployment.Name, deployment.Source, deployment.TenantId, deployment.DeployedAt));
        Assert.Equal(["complaint.bpmn", "survey.bpmn"], deployment.ResourceHashes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(h.Engine.GetDefinition("survey").ContentHash, deployment.ResourceHashes["survey.bpmn"]);

        var other = h.OtherEngine();
        Assert.Equal([deployment.Id, later.Deployment!.Id], (await other.GetDeploymentsAsync()).Select(d => d.Id));
        Assert.Equal([later.Deployment.Id], (await other.GetDeploymentsAsync(new DeploymentQuery(DeployedAfter: EngineHarness.Start))).Select(d => d.Id));
        Assert.Equal([deployment.Id], (await other.GetDeploymentsAsync(new DeploymentQuery(Source: "designer", DeployedBefore: EngineHarness.Start.AddMinutes(1)))).Select(d => d.Id));
        Assert.Equal("hotfix", (await other.GetDeploymentAsync(later.Deployment.Id)).Name);
        var definitions = await other.GetDeploymentDefinitionsAsync(deployment.Id);
        Assert.Equal([("complaint", 1, "complaint.bpmn"), ("survey", 1, "survey.bpmn")], definitions.Select(d => (d.Key, d.Version, d.ResourceName!)));
        Assert.Equal(later.Deployment.Id, other.GetDefinition("complaint").DeploymentId);
        Assert.Equal("not-found", (await Assert.ThrowsAsync<WorkflowException>(() => other.GetDeploymentAsync("nope"))).Code);
    }

    [Fact]
    public async Task DuplicateFiltering_AnswersTheLastDeploymentOfThatNameAndSource_WhenItsFilesAreTheSame()
    {
        var h = new EngineHarness(store: store);
        DeploymentRequest Request(string task) => new([new("complaint.bpmn", Review("complaint", task))]) { Name = "complaint", Source = "modeler", DuplicateFiltering = true };
        var first = await h.Engine.DeployAsync(Request("review"));

        var same = await h.Engine.DeployAsync(Request("review"));
        var unfiltered = await h.Engine.DeployAsync(Request("review") with { DuplicateFiltering = false });
        var changed = await h.Engine.DeployAsync(Request("check"));

        Assert.Equal(first.Deployment!.Id, same.Deployment!.Id);
        Assert.False(same.Changed);
        Assert.NotEqual(first.Deployment.Id, unfiltered.Deployment!.Id);
        Assert.False(unfiltered.Changed);
        Assert.Equal(2, Assert.Single(changed.Definitions).Version);
        Assert.Equal(3, (await h.Engine.GetDeploymentsAsync(new DeploymentQuery(Name: "complaint"))).Count);
    }

    [Fact]
    public async Task DeleteDeployment_IsRefusedWhileItsInstancesRun_UnlessCascade_AndThePreviousVersionIsLatestAgain()
    {
        var h = new EngineHarness(store: store);
        var v1 = await h.Engine.DeployAsync(new DeploymentRequest([new("complaint.bpmn", Review("p"))]) { Name = "v1" });
        var v2 = await h.Engine.DeployAsync(new DeploymentRequest([new("complaint.bpmn", Review("p", "check"))]) { Name = "v2" });
        var running = await h.StartAsync();

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.DeleteDeploymentAsync(v2.Deployment!.Id));

        Assert.Equal("conflict", refused.Code);
        Assert.Contains(v2.Deployment!.Id, refused.Message, StringComparison.Ordinal);
        Assert.Contains("1 instance(s)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await h.Engine.GetDeploymentsAsync()).Count);
        Assert.Equal(InstanceStatus.Active, await h.StatusAsync(running.Id));

        await h.Engine.DeleteDeploymentAsync(v2.Deployment.Id, cascade: true);

        Assert.Equal([v1.Deployment!.Id], (await h.Engine.GetDeploymentsAsync()).Select(d => d.Id));
        Assert.Empty(await h.Engine.GetInstancesAsync("p"));
        Assert.Empty(await h.Engine.GetTasksAsync(new TaskQuery()));
        Assert.Equal(1, h.Engine.GetDefinition("p").Version);
        var other = h.OtherEngine();
        await other.LoadDefinitionsAsync();
        Assert.Equal([1], other.GetDefinitions().Select(d => d.Version));
        Assert.Equal("not-found", (await Assert.ThrowsAsync<WorkflowException>(() => h.Engine.DeleteDeploymentAsync(v2.Deployment.Id))).Code);
    }
}

public sealed class DeploymentTests_InMemory() : DeploymentTests(StoreKind.InMemory);

public sealed class DeploymentTests_Sqlite() : DeploymentTests(StoreKind.Sqlite);

public sealed class DeploymentTests_Postgres() : DeploymentTests(StoreKind.Postgres);
