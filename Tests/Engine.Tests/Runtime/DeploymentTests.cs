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
}

public sealed class DeploymentTests_InMemory() : DeploymentTests(StoreKind.InMemory);

public sealed class DeploymentTests_Sqlite() : DeploymentTests(StoreKind.Sqlite);

public sealed class DeploymentTests_Postgres() : DeploymentTests(StoreKind.Postgres);
