using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

/// <summary>The organisation activities run by the real engine from BPMN, as the complaint process calls them.</summary>
public sealed class OrganisationActivityTests
{
    private static string Process(string body) => $$"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          id="defs" targetNamespace="http://complaintworkflows/tests">
          <bpmn:process id="p" isExecutable="true">
            <bpmn:startEvent id="s" />
            {{body}}
            <bpmn:userTask id="task" camunda:assignee="${who}" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="step" />
            <bpmn:sequenceFlow id="f2" sourceRef="step" targetRef="task" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static async Task<(TaskInfo Task, IReadOnlyDictionary<string, object?> Variables)> RunAsync(WorkflowEngine engine, string body, object variables)
    {
        await engine.DeployAsync(Process(body), "p.bpmn");
        var values = variables.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(variables));
        var instance = await engine.StartProcessAsync("p", values);
        Assert.Empty((await engine.GetInstanceAsync(instance.Id)).Incidents);
        var task = Assert.Single(await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instance.Id)));
        return (task, await engine.GetVariablesAsync(instance.Id));
    }

    [Fact]
    public async Task DispatchActivity_SetsUnitDepartmentAndHandler_AndTheHandlerGetsTheTask()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        const string body = """
            <bpmn:serviceTask id="step" camunda:delegateExpression="${complaint.dispatch}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="respondentName">${respondentName}</camunda:inputParameter>
                <camunda:inputParameter name="respondentAddress">${respondentAddress}</camunda:inputParameter>
                <camunda:inputParameter name="problemType">${problemType}</camunda:inputParameter>
                <camunda:inputParameter name="industry">${industry}</camunda:inputParameter>
                <camunda:inputParameter name="goodsOrService">${goodsOrService}</camunda:inputParameter>
                <camunda:inputParameter name="text">${text}</camunda:inputParameter>
                <camunda:outputParameter name="unitId">${unitId}</camunda:outputParameter>
                <camunda:outputParameter name="departmentId">${departmentId}</camunda:outputParameter>
                <camunda:outputParameter name="who">${handler}</camunda:outputParameter>
                <camunda:outputParameter name="dispatchReason">${dispatchReason}</camunda:outputParameter>
                <camunda:outputParameter name="dispatchConfidence">${dispatchConfidence}</camunda:outputParameter>
                <camunda:outputParameter name="inJurisdiction">${inJurisdiction}</camunda:outputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            """;

        var (task, variables) = await RunAsync(host.CreateEngine(), body, new
        {
            respondentName = "温州某某健身俱乐部",
            respondentAddress = "温州市瓯海区娄桥街道某某路8号",
            problemType = "合同",
            industry = "体育健身",
            goodsOrService = "预付卡",
            text = "健身房闭店，老板失联，预付卡跑路。",
        });

        Assert.Equal("wz-ouhai", variables["unitId"]);
        Assert.Equal("wz-ouhai-lhzf", variables["departmentId"]);
        Assert.Equal(true, variables["inJurisdiction"]);
        Assert.IsType<double>(variables["dispatchConfidence"]);
        Assert.Contains("联合执法小组", (string)variables["dispatchReason"]!, StringComparison.Ordinal);
        Assert.Matches("^oh-joint-[ab]$", task.Assignee);
    }

    [Fact]
    public async Task DispatchActivity_ReportsNotInJurisdiction_ToTheProcess()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        const string body = """
            <bpmn:serviceTask id="step" camunda:delegateExpression="${complaint.dispatch}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="respondentName">某某公司</camunda:inputParameter>
                <camunda:inputParameter name="respondentAddress">江苏省南京市玄武区中山路1号</camunda:inputParameter>
                <camunda:outputParameter name="inJurisdiction">${inJurisdiction}</camunda:outputParameter>
                <camunda:outputParameter name="who">${handler}</camunda:outputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            """;

        var (task, variables) = await RunAsync(host.CreateEngine(), body, new { x = 1 });

        Assert.Equal(false, variables["inJurisdiction"]);
        Assert.Matches("^zx-desk-[ab]$", task.Assignee);
    }

    [Fact]
    public async Task AssigneeActivity_GivesTheTaskToTheABPartner_WhenThePreferredDeskOfficerIsAbsent()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        await host.AbsentAsync("zx-desk-a", "培训");
        const string body = """
            <bpmn:serviceTask id="step" camunda:delegateExpression="${staff.assignee}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="userName">zx-desk-a</camunda:inputParameter>
                <camunda:inputParameter name="unitId">wz-12315</camunda:inputParameter>
                <camunda:inputParameter name="role">desk_officer</camunda:inputParameter>
                <camunda:outputParameter name="who">${assignee}</camunda:outputParameter>
                <camunda:outputParameter name="why">${assigneeReason}</camunda:outputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            """;

        var (task, variables) = await RunAsync(host.CreateEngine(), body, new { x = 1 });

        Assert.Equal("zx-desk-b", task.Assignee);
        Assert.Contains("培训", (string)variables["why"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssigneeActivity_GivesTheTaskToTheLeastLoadedGeneralReviewer_WhenNobodyIsNamed()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        const string body = """
            <bpmn:serviceTask id="step" camunda:delegateExpression="${staff.assignee}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="unitId">wz-lucheng</camunda:inputParameter>
                <camunda:inputParameter name="role">reviewer</camunda:inputParameter>
                <camunda:outputParameter name="who">${assignee}</camunda:outputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            """;

        var (task, _) = await RunAsync(host.CreateEngine(), body, new { x = 1 });

        Assert.Equal("lc-reviewer", task.Assignee); // not the legal section's reviewer
    }

    [Fact]
    public async Task LeaderActivity_ReturnsTheStationLeader_AndTheBureausWhenTheStationHasNone()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        const string body = """
            <bpmn:serviceTask id="step" camunda:delegateExpression="${staff.leader}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="unitId">wz-lucheng-wuma</camunda:inputParameter>
                <camunda:outputParameter name="who">${leader}</camunda:outputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            """;
        var engine = host.CreateEngine();

        var (stationTask, _) = await RunAsync(engine, body, new { x = 1 });
        var service = host.Get<OrganisationService>();
        var leader = (await service.GetStaffAsync("wm-leader"))!;
        leader.Active = false;
        await service.UpdateStaffAsync(leader);
        var (bureauTask, _) = await RunAsync(engine, body, new { x = 1 });

        Assert.Equal("wm-leader", stationTask.Assignee);
        Assert.Equal("lc-leader", bureauTask.Assignee);
    }
}
