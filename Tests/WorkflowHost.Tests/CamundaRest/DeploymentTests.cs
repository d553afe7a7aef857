using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

public sealed class DeploymentTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Fact]
    public async Task ModelerDeployStartAndComplete_EndsTheInstance()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("review");

        Assert.Empty((await Rest.GetAsync(client, "/deployment?maxResults=0")).EnumerateArray());
        using var deployResponse = await Rest.DeployAsModelerAsync(client, Rest.ReviewProcess(key));
        var deployment = await Rest.JsonAsync(deployResponse, HttpStatusCode.OK);
        Assert.Equal("diagram_1", deployment.GetProperty("name").GetString());
        Assert.Equal("Camunda Modeler", deployment.GetProperty("source").GetString());
        var definition = deployment.GetProperty("deployedProcessDefinitions").EnumerateObject().Single().Value;
        Assert.Equal(key, definition.GetProperty("key").GetString());
        Assert.Equal(1, definition.GetProperty("version").GetInt32());
        Assert.Equal("diagram_1.bpmn", definition.GetProperty("resource").GetString());
        Assert.Equal(deployment.GetProperty("id").GetString(), definition.GetProperty("deploymentId").GetString());
        var definitionId = definition.GetProperty("id").GetString()!;

        var started = await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { businessKey = "C-1", variables = new { } });
        var instanceId = started.GetProperty("id").GetString()!;
        Assert.False(started.GetProperty("ended").GetBoolean());
        Assert.Equal(definitionId, started.GetProperty("definitionId").GetString());
        Assert.Equal("C-1", started.GetProperty("businessKey").GetString());

        var task = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single();
        Assert.Equal("review", task.GetProperty("taskDefinitionKey").GetString());
        Assert.Equal(definitionId, task.GetProperty("processDefinitionId").GetString());
        using var complete = await client.PostAsync(Rest.Url($"/task/{task.GetProperty("id").GetString()}/complete"), JsonContent.Create(new { variables = new { approved = new { value = true, type = "Boolean" } } }));
        Assert.Equal(HttpStatusCode.NoContent, complete.StatusCode);

        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Equal(InstanceStatus.Completed, (await engine.GetInstanceAsync(instanceId)).Status);
        Rest.AssertError(await Rest.GetAsync(client, $"/process-instance/{instanceId}", HttpStatusCode.NotFound), "InvalidRequestException", $"Process instance with id {instanceId} does not exist");
        Assert.Contains((await Rest.GetAsync(client, "/deployment")).EnumerateArray(), d => d.GetProperty("id").GetString() == deployment.GetProperty("id").GetString());
    }

    [Fact]
    public async Task SameDeployTwice_AnswersTheExistingDeploymentWithoutDefinitions()
    {
        using var client = factory.CreateClient();
        var xml = Rest.ReviewProcess(Rest.NewKey("twice"));
        var name = Rest.NewKey("twice");

        using var first = await Rest.DeployAsModelerAsync(client, xml, name: name);
        var firstBody = await Rest.JsonAsync(first, HttpStatusCode.OK);
        using var second = await Rest.DeployAsModelerAsync(client, xml, name: name);
        var secondBody = await Rest.JsonAsync(second, HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Object, firstBody.GetProperty("deployedProcessDefinitions").ValueKind);
        Assert.Equal(JsonValueKind.Null, secondBody.GetProperty("deployedProcessDefinitions").ValueKind);
        Assert.Equal(firstBody.GetProperty("id").GetString(), secondBody.GetProperty("id").GetString());
    }

    [Fact]
    public async Task BrokenBpmn_IsA400ParseExceptionNamingTheElementAndLine()
    {
        using var client = factory.CreateClient();
        var xml = Rest.Bpmn(Rest.NewKey("broken"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="Classify_1" />
                <bpmn:serviceTask id="Classify_1" camunda:delegateExpression="${classify}" />
            """);
        var expectedLine = xml.Split('\n').ToList().FindIndex(l => l.Contains("id=\"Classify_1\"", StringComparison.Ordinal)) + 1;

        using var response = await Rest.DeployAsModelerAsync(client, xml);
        var error = await Rest.JsonAsync(response, HttpStatusCode.BadRequest);

        Rest.AssertError(error, "ParseException");
        Assert.StartsWith("ENGINE-09005 Could not parse BPMN process. Errors:", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var found = error.GetProperty("details").GetProperty("diagram_1.bpmn").GetProperty("errors").EnumerateArray()
            .Single(e => e.GetProperty("mainBpmnElementId").GetString() == "Classify_1");
        Assert.Equal(expectedLine, found.GetProperty("line").GetInt32());
        Assert.Contains("Classify_1", found.GetProperty("bpmnElementIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ADeploymentWithWarnings_Succeeds_AndNamesThemPerResource()
    {
        using var client = factory.CreateClient();
        var xml = Rest.Bpmn(Rest.NewKey("lenient"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow sourceRef="start" targetRef="review" />
                <bpmn:userTask id="review" />
                <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
                <bpmn:endEvent id="end" />
            """);

        using var response = await Rest.DeployAsModelerAsync(client, xml);
        var deployment = await Rest.JsonAsync(response, HttpStatusCode.OK);

        Assert.Single(deployment.GetProperty("deployedProcessDefinitions").EnumerateObject());
        var report = deployment.GetProperty("details").GetProperty("diagram_1.bpmn");
        Assert.Empty(report.GetProperty("errors").EnumerateArray());
        var warning = Assert.Single(report.GetProperty("warnings").EnumerateArray());
        Assert.Contains("(generated-id)", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("from 'start' to 'review'", warning.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var clean = await Rest.DeployAsModelerAsync(client, Rest.ReviewProcess(Rest.NewKey("clean")));
        Assert.False((await Rest.JsonAsync(clean, HttpStatusCode.OK)).TryGetProperty("details", out _));
    }

    [Fact]
    public async Task DeployWithoutResources_Is400()
    {
        using var client = factory.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("empty"), "deployment-name" } };

        using var response = await client.PostAsync(Rest.Url("/deployment/create"), form);

        Rest.AssertError(await Rest.JsonAsync(response, HttpStatusCode.BadRequest), "InvalidRequestException", "No deployment resources");
    }

    [Fact]
    public async Task DmnResource_Is400_BecauseOnlyBpmnRuns()
    {
        using var client = factory.CreateClient();

        using var response = await Rest.DeployAsModelerAsync(client, "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" />", "decision.dmn");

        Rest.AssertError(await Rest.JsonAsync(response, HttpStatusCode.BadRequest), "InvalidRequestException", "decision.dmn");
    }

    [Fact]
    public async Task DefinitionQueries_FindByKeyAndLatestVersion_AndAnswerXml()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("versions");
        await Rest.DeployAsync(client, Rest.ReviewProcess(key));
        var secondId = await Rest.DeployAsync(client, Rest.ReviewProcess(key).Replace("name=\"Review\"", "name=\"Review again\"", StringComparison.Ordinal));

        Assert.Equal(2, (await Rest.GetAsync(client, $"/process-definition?key={key}")).GetArrayLength());
        var latest = (await Rest.GetAsync(client, $"/process-definition?key={key}&latestVersion=true")).EnumerateArray().Single();
        Assert.Equal(secondId, latest.GetProperty("id").GetString());
        Assert.Equal(2, (await Rest.GetAsync(client, $"/process-definition/key/{key}")).GetProperty("version").GetInt32());
        Assert.Contains("Review again", (await Rest.GetAsync(client, $"/process-definition/key/{key}/xml")).GetProperty("bpmn20Xml").GetString(), StringComparison.Ordinal);
        Assert.Equal(secondId, (await Rest.GetAsync(client, $"/process-definition/{secondId}/xml")).GetProperty("id").GetString());
        var byKey = await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new { });
        Assert.Equal(secondId, byKey.GetProperty("definitionId").GetString());
    }

    [Fact]
    public async Task UnknownThings_Are404InCamundasShape()
    {
        using var client = factory.CreateClient();

        Rest.AssertError(await Rest.GetAsync(client, "/process-definition/key/nope", HttpStatusCode.NotFound), "RestException", "No matching process definition with key: nope");
        Rest.AssertError(await Rest.PostAsync(client, "/process-definition/key/nope/start", new { }, HttpStatusCode.NotFound), "RestException");
        Rest.AssertError(await Rest.GetAsync(client, "/process-definition/nope:1:x", HttpStatusCode.NotFound), "RestException");
        Rest.AssertError(await Rest.GetAsync(client, "/process-instance/nope", HttpStatusCode.NotFound), "InvalidRequestException", "Process instance with id nope does not exist");
        Rest.AssertError(await Rest.GetAsync(client, "/task/nope", HttpStatusCode.NotFound), "InvalidRequestException", "No matching task with id nope");
        using var delete = await client.DeleteAsync(Rest.Url("/process-instance/nope"));
        Rest.AssertError(await Rest.JsonAsync(delete, HttpStatusCode.NotFound), "InvalidRequestException");
    }

    [Fact]
    public async Task DeleteInstance_TerminatesIt()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("delete")));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;

        using var delete = await client.DeleteAsync(Rest.Url($"/process-instance/{instanceId}"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Equal(InstanceStatus.Terminated, (await engine.GetInstanceAsync(instanceId)).Status);
        Assert.Empty((await Rest.GetAsync(client, $"/process-instance?processInstanceIds={instanceId}")).EnumerateArray());
    }

    [Fact]
    public async Task UnreadableParameterOrUnknownPath_AnswersInCamundasShape()
    {
        using var client = factory.CreateClient();

        Rest.AssertError(await Rest.GetAsync(client, "/task?maxResults=many", HttpStatusCode.BadRequest), "InvalidRequestException");
        Rest.AssertError(await Rest.GetAsync(client, "/no-such-resource", HttpStatusCode.NotFound), "RestException");
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheCamundaEndpoints()
    {
        using var client = factory.CreateClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("CamundaCompleteTask", document, StringComparison.Ordinal);
        Assert.Contains("/engine-rest/process-definition/{id}/start", document, StringComparison.Ordinal);
    }
}
