using System.Net;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

public sealed class JobTests(ManualJobsHostFactory factory) : IClassFixture<ManualJobsHostFactory>
{
    [Fact]
    public async Task AsyncJob_IsListed_AndExecutedOnRequest()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.Bpmn(Rest.NewKey("job"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
                <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:delegateExpression="${noop}" />
                <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
                <bpmn:endEvent id="end" />
            """));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;

        var job = (await Rest.GetAsync(client, $"/job?processInstanceId={instanceId}")).EnumerateArray().Single();
        Assert.Equal(definitionId, job.GetProperty("processDefinitionId").GetString());
        Assert.Equal(instanceId, job.GetProperty("processInstanceId").GetString());
        using var execute = await client.PostAsync(Rest.Url($"/job/{job.GetProperty("id").GetString()}/execute"), null);

        Assert.Equal(HttpStatusCode.NoContent, execute.StatusCode);
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Equal(InstanceStatus.Completed, (await engine.GetInstanceAsync(instanceId)).Status);
        Assert.Empty((await Rest.GetAsync(client, $"/job?processInstanceId={instanceId}")).EnumerateArray());
        Rest.AssertError(await Rest.PostAsync(client, "/job/nope:1/execute", null, HttpStatusCode.NotFound), "InvalidRequestException", "Job with id nope:1 does not exist");
    }

    [Fact]
    public async Task Timer_IsListedAsJob_AndFiredOnRequest()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.Bpmn(Rest.NewKey("timer"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
                <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
                <bpmn:endEvent id="end" />
            """));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;

        var job = (await Rest.GetAsync(client, $"/job?processInstanceId={instanceId}&timers=true")).EnumerateArray().Single();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$", job.GetProperty("dueDate").GetString());
        using var execute = await client.PostAsync(Rest.Url($"/job/{job.GetProperty("id").GetString()}/execute"), null);

        Assert.Equal(HttpStatusCode.NoContent, execute.StatusCode);
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Equal(InstanceStatus.Completed, (await engine.GetInstanceAsync(instanceId)).Status);
    }

    [Fact]
    public async Task FailedElement_ShowsAsIncident()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.Bpmn(Rest.NewKey("incident"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="choose" />
                <bpmn:exclusiveGateway id="choose" />
                <bpmn:sequenceFlow id="f2" sourceRef="choose" targetRef="end"><bpmn:conditionExpression>${x == 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:endEvent id="end" />
            """));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { variables = new { x = new { value = 3 } } })).GetProperty("id").GetString()!;
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Single((await engine.GetInstanceAsync(instanceId)).Incidents);

        var incident = (await Rest.GetAsync(client, $"/incident?processInstanceId={instanceId}")).EnumerateArray().Single();

        Assert.Equal("choose", incident.GetProperty("activityId").GetString());
        Assert.Equal("failedJob", incident.GetProperty("incidentType").GetString());
        Assert.Equal(definitionId, incident.GetProperty("processDefinitionId").GetString());
        Assert.Contains("no default flow", incident.GetProperty("incidentMessage").GetString(), StringComparison.Ordinal);
        var withIncident = (await Rest.GetAsync(client, "/process-instance?withIncident=true")).EnumerateArray().Select(i => i.GetProperty("id").GetString());
        Assert.Contains(instanceId, withIncident);
    }
}
