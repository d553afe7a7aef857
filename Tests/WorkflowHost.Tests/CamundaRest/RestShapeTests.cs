using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>
/// The fields Camunda's clients read, with Camunda's values: history, activity types, message results with variables,
/// form variables and variable filters. Every answer is also checked against Camunda's OpenAPI document by the host
/// (<see cref="CamundaOpenApiCheck"/>).
/// </summary>
public sealed class RestShapeTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    /// <summary>start → sub-process (message catch keyed by ${ticket}) → user task "answer" → end.</summary>
    private static string Process(string key, string message) => Rest.Bpmn(key, """
            <bpmn:startEvent id="start" name="Complaint received" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waiting" />
            <bpmn:subProcess id="waiting" name="Waiting for the trader">
              <bpmn:startEvent id="innerStart" />
              <bpmn:sequenceFlow id="i1" sourceRef="innerStart" targetRef="reply" />
              <bpmn:intermediateCatchEvent id="reply" name="Trader replies">
                <bpmn:extensionElements><camunda:properties><camunda:property name="correlationKey" value="${ticket}" /></camunda:properties></bpmn:extensionElements>
                <bpmn:messageEventDefinition messageRef="Message_1" />
              </bpmn:intermediateCatchEvent>
              <bpmn:sequenceFlow id="i2" sourceRef="reply" targetRef="innerEnd" />
              <bpmn:endEvent id="innerEnd" />
            </bpmn:subProcess>
            <bpmn:sequenceFlow id="f2" sourceRef="waiting" targetRef="answer" />
            <bpmn:userTask id="answer" name="Answer the consumer" />
            <bpmn:sequenceFlow id="f3" sourceRef="answer" targetRef="end" />
            <bpmn:endEvent id="end" name="Done" />
        """, $"""  <bpmn:message id="Message_1" name="{message}" />""");

    private async Task<(HttpClient Client, string Key, string Message, string InstanceId)> StartAsync(string ticket = "T-1", int amount = 5)
    {
        var client = factory.CreateClient();
        var key = Rest.NewKey("shape");
        var message = Rest.NewKey("reply");
        await Rest.DeployAsync(client, Process(key, message));
        var started = await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new
        {
            businessKey = "BK-" + ticket,
            variables = new { ticket = new { value = ticket }, amount = new { value = amount, type = "Integer" }, channel = new { value = "12315 hotline" } },
        });
        return (client, key, message, started.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task HistoryActivityInstances_CarryCamundasTypesNamesParentsAndTheOpenTasksId()
    {
        var (client, _, message, instanceId) = await StartAsync();
        using var _ = client;
        await Rest.PostAsync(client, "/message", new { messageName = message, localCorrelationKeys = new { ticket = new { value = "T-1" } } }, System.Net.HttpStatusCode.NoContent);

        var activities = (await Rest.GetAsync(client, $"/history/activity-instance?processInstanceId={instanceId}")).EnumerateArray().ToList();
        var byId = activities.ToDictionary(a => a.GetProperty("activityId").GetString()!);

        Assert.Equal("startEvent", byId["start"].GetProperty("activityType").GetString());
        Assert.Equal("Complaint received", byId["start"].GetProperty("activityName").GetString());
        Assert.Equal("subProcess", byId["waiting"].GetProperty("activityType").GetString());
        Assert.Equal("intermediateMessageCatch", byId["reply"].GetProperty("activityType").GetString());
        Assert.Equal("noneEndEvent", byId["innerEnd"].GetProperty("activityType").GetString());
        Assert.True(byId["innerEnd"].GetProperty("completeScope").GetBoolean());
        Assert.Equal("userTask", byId["answer"].GetProperty("activityType").GetString());
        Assert.Equal(instanceId, byId["waiting"].GetProperty("parentActivityInstanceId").GetString());
        Assert.Equal(byId["waiting"].GetProperty("id").GetString(), byId["reply"].GetProperty("parentActivityInstanceId").GetString());
        var task = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single();
        Assert.Equal(task.GetProperty("id").GetString(), byId["answer"].GetProperty("taskId").GetString());
        Assert.Equal(JsonValueKind.Null, byId["start"].GetProperty("taskId").ValueKind);
        Assert.Equal(["userTask"], (await Rest.GetAsync(client, $"/history/activity-instance?processInstanceId={instanceId}&activityType=userTask")).EnumerateArray().Select(a => a.GetProperty("activityType").GetString()));
    }

    [Fact]
    public async Task HistoryActivityInstances_KeepTheTaskIdOfACompletedTask()
    {
        var (client, _, message, instanceId) = await StartAsync("T-3");
        using var _ = client;
        await Rest.PostAsync(client, "/message", new { messageName = message, correlationKeys = new { ticket = new { value = "T-3" } } }, System.Net.HttpStatusCode.NoContent);
        var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("id").GetString();

        await Rest.PostAsync(client, $"/task/{taskId}/complete", new { }, System.Net.HttpStatusCode.NoContent);

        var answer = (await Rest.GetAsync(client, $"/history/activity-instance?processInstanceId={instanceId}&activityId=answer")).EnumerateArray().Single();
        Assert.Equal(taskId, answer.GetProperty("taskId").GetString());
        Assert.Equal(JsonValueKind.String, answer.GetProperty("endTime").ValueKind);
    }

    [Fact]
    public async Task HistoryProcessInstance_HasTheStartActivityAndEveryField()
    {
        var (client, key, _, instanceId) = await StartAsync();
        using var _ = client;

        var history = (await Rest.GetAsync(client, $"/history/process-instance?processInstanceId={instanceId}")).EnumerateArray().Single();

        Assert.Equal("start", history.GetProperty("startActivityId").GetString());
        Assert.Equal($"Test {key}", history.GetProperty("processDefinitionName").GetString());
        Assert.Equal(instanceId, history.GetProperty("rootProcessInstanceId").GetString());
        Assert.Equal("ACTIVE", history.GetProperty("state").GetString());
        foreach (var empty in new[] { "deleteReason", "superProcessInstanceId", "endTime", "removalTime", "tenantId" })
        {
            Assert.Equal(JsonValueKind.Null, history.GetProperty(empty).ValueKind);
        }
    }

    [Fact]
    public async Task Message_WithVariablesInResult_AnswersTheInstancesVariables()
    {
        var (client, _, message, instanceId) = await StartAsync("T-7");
        using var _ = client;

        var results = await Rest.PostAsync(client, "/message", new
        {
            messageName = message,
            correlationKeys = new { ticket = new { value = "T-7" } },
            processVariables = new { reply = new { value = "refund agreed" } },
            resultEnabled = true,
            variablesInResultEnabled = true,
        });

        var result = results.EnumerateArray().Single();
        Assert.Equal(instanceId, result.GetProperty("execution").GetProperty("processInstanceId").GetString());
        Assert.Equal("refund agreed", result.GetProperty("variables").GetProperty("reply").GetProperty("value").GetString());
        Assert.Equal("T-7", result.GetProperty("variables").GetProperty("ticket").GetProperty("value").GetString());
        Rest.AssertError(
            await Rest.PostAsync(client, "/message", new { messageName = message, processVariablesLocal = new { x = new { value = 1 } } }, System.Net.HttpStatusCode.BadRequest),
            "InvalidRequestException",
            "processVariablesLocal");
    }

    [Fact]
    public async Task FormVariables_AndVariableFilters_ReadTheInstancesVariables()
    {
        var (client, key, message, five) = await StartAsync("T-5", amount: 5);
        using var _ = client;
        var nine = (await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new { variables = new { ticket = new { value = "T-9" }, amount = new { value = 9, type = "Integer" } } })).GetProperty("id").GetString();
        await Rest.PostAsync(client, "/message", new { messageName = message, all = true }, System.Net.HttpStatusCode.NoContent);

        Assert.Equal([nine], (await Rest.GetAsync(client, $"/process-instance?processDefinitionKey={key}&variables=amount_gt_6")).EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([five], (await Rest.GetAsync(client, $"/process-instance?processDefinitionKey={key}&variables=ticket_like_T-%25,amount_lteq_5")).EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var task = (await Rest.GetAsync(client, $"/task?processDefinitionKey={key}&processVariables=ticket_eq_T-9")).EnumerateArray().Single();
        Assert.Equal(nine, task.GetProperty("processInstanceId").GetString());
        Rest.AssertError(await Rest.GetAsync(client, "/process-instance?variables=amount_about_5", System.Net.HttpStatusCode.BadRequest), "InvalidRequestException", "amount_about_5");

        var form = await Rest.GetAsync(client, $"/task/{task.GetProperty("id").GetString()}/form-variables?variableNames=ticket,amount");
        Assert.Equal(["amount", "ticket"], form.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(9, form.GetProperty("amount").GetProperty("value").GetInt32());
        Assert.Equal("Integer", form.GetProperty("amount").GetProperty("type").GetString(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Delegate_MakesTheAssigneeTheOwner_PendingUntilResolvedBackToThem()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("delegation")));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;
        var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("id").GetString()!;
        await Rest.PostAsync(client, $"/task/{taskId}/claim", new { userId = "ann" }, System.Net.HttpStatusCode.NoContent);
        var fresh = await Rest.GetAsync(client, $"/task/{taskId}");
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("owner").ValueKind);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("delegationState").ValueKind);

        await Rest.PostAsync(client, $"/task/{taskId}/delegate", new { userId = "carl" }, System.Net.HttpStatusCode.NoContent);
        var delegated = await Rest.GetAsync(client, $"/task/{taskId}");
        Assert.Equal(("carl", "ann", "PENDING"), (delegated.GetProperty("assignee").GetString(), delegated.GetProperty("owner").GetString(), delegated.GetProperty("delegationState").GetString()));

        await Rest.PostAsync(client, $"/task/{taskId}/resolve", new { }, System.Net.HttpStatusCode.NoContent);
        var resolved = await Rest.GetAsync(client, $"/task/{taskId}");
        Assert.Equal(("ann", "ann", "RESOLVED"), (resolved.GetProperty("assignee").GetString(), resolved.GetProperty("owner").GetString(), resolved.GetProperty("delegationState").GetString()));
        Rest.AssertError(await Rest.PostAsync(client, $"/task/{taskId}/resolve", new { }, System.Net.HttpStatusCode.BadRequest), "BadUserRequestException", "not delegated");
    }

    [Fact]
    public void EveryRouteServedUnderEngineRest_IsAnOperationOfCamundasDocument()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("engine-rest", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: "/" + e.RoutePattern.RawText!.TrimStart('/')["engine-rest".Length..].TrimStart('/'))))
            .ToList();

        Assert.True(routes.Count > 30, $"only {routes.Count} routes found");
        var api = CamundaOpenApi.Instance;
        Assert.Equal("7.15.0", api.Version);
        Assert.Empty(routes.Where(r => !api.HasOperation(r.Path, r.Method)).Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public void Check_RefusesAnAnswerWithoutAFieldCamundaLists_AndTakesItWithTheFieldNull()
    {
        var api = CamundaOpenApi.Instance;
        const string Complete = """
            [{"id":"i","rootProcessInstanceId":"i","superProcessInstanceId":null,"superCaseInstanceId":null,"caseInstanceId":null,
              "processDefinitionName":null,"processDefinitionKey":"p","processDefinitionVersion":1,"processDefinitionId":"p:1:x",
              "businessKey":null,"startTime":"2026-11-23T10:00:00.000+0800","endTime":null,"removalTime":null,"durationInMillis":null,
              "startUserId":null,"startActivityId":"start","deleteReason":null,"tenantId":null,"state":"ACTIVE"}]
            """;

        Assert.Empty(api.Check("/history/process-instance", "GET", 200, Complete));
        Assert.Contains(api.Check("/history/process-instance", "GET", 200, Complete.Replace("\"startActivityId\":\"start\",", "", StringComparison.Ordinal)), v => v.Contains("startActivityId", StringComparison.Ordinal));
        Assert.NotEmpty(api.Check("/history/process-instance", "GET", 200, Complete.Replace("\"ACTIVE\"", "\"RUNNING\"", StringComparison.Ordinal)));
        Assert.NotEmpty(api.Check("/task/{id}", "GET", 404, """{"message":"no type"}"""));
    }
}
