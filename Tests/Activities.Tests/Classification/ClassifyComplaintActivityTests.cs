using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Tests.Classification;

public sealed class ClassifyComplaintActivityTests
{
    private const string Process = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          id="defs-classify" targetNamespace="http://complaintworkflows/tests">
          <bpmn:process id="classify" isExecutable="true">
            <bpmn:startEvent id="received" />
            <bpmn:serviceTask id="classifyTask" name="投诉分类" camunda:delegateExpression="${complaint.classify}">
              <bpmn:extensionElements>
                <camunda:inputOutput>
                  <camunda:inputParameter name="text">${facts}</camunda:inputParameter>
                  <camunda:inputParameter name="respondentName">${respondent}</camunda:inputParameter>
                  <camunda:inputParameter name="consumerPhone">${phone}</camunda:inputParameter>
                </camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:exclusiveGateway id="review" default="toDispatch" />
            <bpmn:userTask id="manualReview" name="人工复核" />
            <bpmn:userTask id="dispatch" name="分派" />
            <bpmn:sequenceFlow id="f1" sourceRef="received" targetRef="classifyTask" />
            <bpmn:sequenceFlow id="f2" sourceRef="classifyTask" targetRef="review" />
            <bpmn:sequenceFlow id="toReview" sourceRef="review" targetRef="manualReview">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${needsReview}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="toDispatch" sourceRef="review" targetRef="dispatch" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Activity_DeclaresItsInputsAndOutputs_ForTheDesigner()
    {
        var descriptor = ActivityRegistry.Describe(typeof(ClassifyComplaintActivity));

        Assert.Equal("complaint.classify", descriptor.Name);
        Assert.StartsWith("投诉分类", descriptor.DisplayName, StringComparison.Ordinal);
        Assert.True(descriptor.Inputs.Single(i => i.Name == "text").Required);
        Assert.Equal(
            ["autoDispatch", "classificationReason", "confidence", "goodsOrService", "hasReportPart", "industry", "needsReview", "problemType", "reportText", "suspectedGroupComplaint", "suspectedProfessionalClaimant", "tier", "topLabels"],
            descriptor.Outputs.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Equal(VariableType.Double, descriptor.Outputs.Single(o => o.Name == "confidence").Type);
        Assert.Contains(WorkflowActivities.Types, t => t == typeof(ClassifyComplaintActivity));
    }

    [Fact]
    public async Task Activity_ClassifiesAComplaint_InARealProcess_AndTheProcessRoutesOnItsOutputs()
    {
        using var h = new ClassificationHarness();
        await h.Rules.SeedDefaultsAsync();
        var engine = new WorkflowEngine(WorkflowActivities.CreateRegistry(), time: h.Clock, services: h.Services);
        await engine.DeployAsync(Process, "classify.bpmn");

        var clear = await engine.StartProcessAsync("classify", new Dictionary<string, object?>
        {
            ["facts"] = "在惠民超市买的酸奶已经过期三天，喝了拉肚子，要求退款赔偿。该超市长期销售过期食品，请求依法查处。",
            ["respondent"] = "惠民超市",
            ["phone"] = "13900000001",
        });
        var unclear = await engine.StartProcessAsync("classify", new Dictionary<string, object?>
        {
            ["facts"] = "我想问一下这个事情应该找哪个部门。",
            ["respondent"] = "某公司",
            ["phone"] = "13900000002",
        });

        Assert.Empty((await engine.GetInstanceAsync(clear.Id)).Incidents);
        var variables = await engine.GetVariablesAsync(clear.Id);
        Assert.Equal("食品安全", variables["problemType"]);
        Assert.Equal("食品", variables["goodsOrService"]);
        Assert.Equal("零售", variables["industry"]);
        Assert.Equal(false, variables["needsReview"]);
        Assert.Equal(true, variables["hasReportPart"]);
        Assert.Equal("该超市长期销售过期食品，请求依法查处。", variables["reportText"]);
        Assert.Equal(false, variables["suspectedProfessionalClaimant"]);
        Assert.Equal(false, variables["suspectedGroupComplaint"]);
        Assert.IsType<double>(variables["confidence"]);
        Assert.Contains("过期", (string)variables["classificationReason"]!, StringComparison.Ordinal);
        Assert.Equal(["dispatch"], (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: clear.Id))).Select(t => t.ElementId));
        Assert.Equal(["manualReview"], (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: unclear.Id))).Select(t => t.ElementId));
    }
}
