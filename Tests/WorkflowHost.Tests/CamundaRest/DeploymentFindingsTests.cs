using System.Net;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>What Camunda Modeler shows after a refused deployment: errors, and warnings with the info findings among them.</summary>
public sealed class DeploymentFindingsTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Fact]
    public async Task RefusedDeployment_ListsErrorsAndWarnings_WithInfoMarked()
    {
        using var client = factory.CreateClient();
        var xml = Rest.Bpmn(Rest.NewKey("camunda"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow sourceRef="start" targetRef="gate" />
                <bpmn:exclusiveGateway id="gate" default="toReview" />
                <bpmn:sequenceFlow id="toEnd" sourceRef="gate" targetRef="end"><bpmn:conditionExpression>${approved and not empty officer}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toReview" sourceRef="gate" targetRef="review" />
                <bpmn:userTask id="review"><bpmn:extensionElements><camunda:taskListener event="create" class="org.example.AssignListener" /></bpmn:extensionElements></bpmn:userTask>
                <bpmn:endEvent id="end" />
            """);

        using var response = await Rest.DeployAsModelerAsync(client, xml);
        var error = await Rest.JsonAsync(response, HttpStatusCode.BadRequest);

        Rest.AssertError(error, "ParseException");
        var report = error.GetProperty("details").GetProperty("diagram_1.bpmn");
        var refused = report.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("review", refused.GetProperty("mainBpmnElementId").GetString());
        Assert.Contains("org.example.AssignListener", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("unsupported-listener-class", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var warnings = report.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("message").GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith("sequenceFlow 'Flow_start_gate'", StringComparison.Ordinal) && w.EndsWith("(generated-id)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("[info] sequenceFlow 'toEnd'", StringComparison.Ordinal) && w.Contains("juel-translated", StringComparison.Ordinal));
    }
}
