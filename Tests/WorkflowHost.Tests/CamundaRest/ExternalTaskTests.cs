using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>The external-task routes as Camunda's workers call them (the bodies the Node.js and Java clients send).</summary>
public sealed class ExternalTaskTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    /// <summary>start → bill (external, topic <paramref name="topic"/>, boundary error REJECTED → rejected user task) → done user task.</summary>
    internal static string BillingProcess(string key, string topic, string outputs = "") => Rest.Bpmn(key, $$"""
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="bill" />
            <bpmn:serviceTask id="bill" name="Bill the trader" camunda:type="external" camunda:topic="{{topic}}">{{outputs}}</bpmn:serviceTask>
            <bpmn:boundaryEvent id="rejectedError" attachedToRef="bill"><bpmn:errorEventDefinition errorRef="Err_Rejected" /></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="bill" targetRef="done" />
            <bpmn:sequenceFlow id="f3" sourceRef="rejectedError" targetRef="rejected" />
            <bpmn:userTask id="done" name="Done" />
            <bpmn:userTask id="rejected" name="Rejected" />
        """, """<bpmn:error id="Err_Rejected" name="Rejected" errorCode="REJECTED" />""");

    private static async Task<(string Key, string InstanceId, string Topic)> StartAsync(HttpClient client, string outputs = "")
    {
        var key = Rest.NewKey("ext");
        var topic = "topic-" + key;
        await Rest.DeployAsync(client, BillingProcess(key, topic, outputs));
        var started = await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new
        {
            businessKey = "12315-" + key[^6..],
            variables = new { amount = new { value = 120, type = "Integer" }, customer = new { value = "张三", type = "String" } },
        });
        return (key, started.GetProperty("id").GetString()!, topic);
    }

    private static object Fetch(string worker, string topic, long lockDuration = 60000, long? asyncResponseTimeout = null, string[]? variables = null)
        => new { workerId = worker, maxTasks = 10, usePriority = true, asyncResponseTimeout, topics = new[] { new { topicName = topic, lockDuration, variables } } };

    private static async Task<string[]> ActivitiesAsync(HttpClient client, string instanceId)
        => [.. (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Select(t => t.GetProperty("taskDefinitionKey").GetString()!)];

    [Fact]
    public async Task FetchAndLock_AnswersTheTaskWithItsVariables_ThenCompleteSetsVariablesAndMovesOn()
    {
        using var client = factory.CreateClient();
        var (key, instanceId, topic) = await StartAsync(client);

        var locked = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic, variables: ["amount"]))).EnumerateArray().Single();

        Assert.Equal(topic, locked.GetProperty("topicName").GetString());
        Assert.Equal("bill", locked.GetProperty("activityId").GetString());
        Assert.Equal(instanceId, locked.GetProperty("processInstanceId").GetString());
        Assert.Equal(key, locked.GetProperty("processDefinitionKey").GetString());
        Assert.Equal("w1", locked.GetProperty("workerId").GetString());
        Assert.Equal(JsonValueKind.Null, locked.GetProperty("retries").ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$", locked.GetProperty("lockExpirationTime").GetString());
        var variables = locked.GetProperty("variables");
        Assert.Equal(120, variables.GetProperty("amount").GetProperty("value").GetInt32());
        Assert.False(variables.TryGetProperty("customer", out _), "only the variables asked for");
        Assert.Empty((await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w2", topic))).EnumerateArray());
        Assert.Equal(1, (await Rest.GetAsync(client, $"/external-task/count?topicName={topic}&locked=true")).GetProperty("count").GetInt32());

        var id = locked.GetProperty("id").GetString()!;
        await Rest.PostAsync(client, $"/external-task/{id}/complete", new
        {
            workerId = "w1",
            variables = new { invoice = new { value = "INV-120", type = "String" } },
        }, HttpStatusCode.NoContent);

        Assert.Equal(["done"], await ActivitiesAsync(client, instanceId));
        var processVariables = await Rest.GetAsync(client, $"/process-instance/{instanceId}/variables");
        Assert.Equal("INV-120", processVariables.GetProperty("invoice").GetProperty("value").GetString());
        Rest.AssertError(await Rest.GetAsync(client, $"/external-task/{id}", HttpStatusCode.NotFound), "RestException", $"External task with id {id} does not exist");
    }

    [Fact]
    public async Task LocalVariables_StayOnTheTask_UnlessAnOutputMappingTakesThem()
    {
        using var client = factory.CreateClient();
        var (_, instanceId, topic) = await StartAsync(client, """
            <bpmn:extensionElements><camunda:inputOutput><camunda:outputParameter name="billedByWorker">${billedBy}</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements>
            """);
        var id = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic))).EnumerateArray().Single().GetProperty("id").GetString();

        await Rest.PostAsync(client, $"/external-task/{id}/complete", new { workerId = "w1", localVariables = new { billedBy = new { value = "desk-3", type = "String" } } }, HttpStatusCode.NoContent);

        var variables = await Rest.GetAsync(client, $"/process-instance/{instanceId}/variables");
        Assert.Equal("desk-3", variables.GetProperty("billedByWorker").GetProperty("value").GetString());
        Assert.False(variables.TryGetProperty("billedBy", out _));
    }

    [Fact]
    public async Task WorkerWhoseLockExpired_OrWhoNeverHeldIt_GetsCamundasBadUserRequest()
    {
        using var client = factory.CreateClient();
        var (_, _, topic) = await StartAsync(client);
        var id = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic, lockDuration: 300))).EnumerateArray().Single().GetProperty("id").GetString();

        Rest.AssertError(await Rest.PostAsync(client, $"/external-task/{id}/complete", new { workerId = "intruder" }, HttpStatusCode.BadRequest), "BadUserRequestException", "It is locked by worker 'w1'");
        await Task.Delay(400);
        Rest.AssertError(await Rest.PostAsync(client, $"/external-task/{id}/complete", new { workerId = "w1" }, HttpStatusCode.BadRequest), "BadUserRequestException", "lock expired");
        Rest.AssertError(await Rest.PostAsync(client, $"/external-task/{id}/extendLock", new { workerId = "w1", newDuration = 1000 }, HttpStatusCode.BadRequest), "BadUserRequestException");

        var again = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w2", topic))).EnumerateArray().Single();
        Assert.Equal(id, again.GetProperty("id").GetString());
        await Rest.PostAsync(client, $"/external-task/{id}/extendLock", new { workerId = "w2", newDuration = 600000 }, HttpStatusCode.NoContent);
        await Rest.PostAsync(client, $"/external-task/{id}/unlock", null, HttpStatusCode.NoContent);
        var unlocked = await Rest.GetAsync(client, $"/external-task/{id}");
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("lockExpirationTime").ValueKind);
        Assert.Equal("w3", (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w3", topic))).EnumerateArray().Single().GetProperty("workerId").GetString());
    }

    [Fact]
    public async Task Failure_KeepsRetriesAndError_AndRetriesZeroRaisesAnIncident()
    {
        using var client = factory.CreateClient();
        var (_, instanceId, topic) = await StartAsync(client);
        var id = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic))).EnumerateArray().Single().GetProperty("id").GetString();

        await Rest.PostAsync(client, $"/external-task/{id}/failure", new { workerId = "w1", errorMessage = "billing down", errorDetails = "timeout after 30 s", retries = 2, retryTimeout = 0 }, HttpStatusCode.NoContent);
        var retried = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic))).EnumerateArray().Single();
        Assert.Equal(2, retried.GetProperty("retries").GetInt32());
        Assert.Equal("billing down", retried.GetProperty("errorMessage").GetString());
        Assert.Equal("timeout after 30 s", retried.GetProperty("errorDetails").GetString());
        using (var details = await client.GetAsync(Rest.Url($"/external-task/{id}/errorDetails")))
        {
            Assert.Equal("timeout after 30 s", await details.Content.ReadAsStringAsync());
        }

        await Rest.PostAsync(client, $"/external-task/{id}/failure", new { workerId = "w1", errorMessage = "billing still down", retries = 0 }, HttpStatusCode.NoContent);

        Assert.Empty((await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic))).EnumerateArray());
        Assert.Equal(1, (await Rest.GetAsync(client, $"/external-task/count?topicName={topic}&noRetriesLeft=true")).GetProperty("count").GetInt32());
        var incident = (await Rest.GetAsync(client, $"/incident?processInstanceId={instanceId}")).EnumerateArray().Single();
        Assert.Equal("failedExternalTask", incident.GetProperty("incidentType").GetString());
        Assert.Equal("bill", incident.GetProperty("activityId").GetString());
        Assert.Contains("billing still down", incident.GetProperty("incidentMessage").GetString(), StringComparison.Ordinal);
        Rest.AssertError(await Rest.PostAsync(client, $"/external-task/{id}/failure", new { workerId = "w1" }, HttpStatusCode.BadRequest), "InvalidRequestException", "retries");
    }

    [Fact]
    public async Task BpmnError_IsCaughtByTheBoundaryErrorEvent()
    {
        using var client = factory.CreateClient();
        var (_, instanceId, topic) = await StartAsync(client);
        var id = (await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic))).EnumerateArray().Single().GetProperty("id").GetString();

        await Rest.PostAsync(client, $"/external-task/{id}/bpmnError", new { workerId = "w1", errorCode = "REJECTED", errorMessage = "trader unknown", variables = new { reason = new { value = "unknown trader", type = "String" } } }, HttpStatusCode.NoContent);

        Assert.Equal(["rejected"], await ActivitiesAsync(client, instanceId));
        var variables = await Rest.GetAsync(client, $"/process-instance/{instanceId}/variables");
        Assert.Equal("unknown trader", variables.GetProperty("reason").GetProperty("value").GetString());
        Assert.Empty((await Rest.GetAsync(client, $"/external-task?processInstanceId={instanceId}")).EnumerateArray());
    }

    [Fact]
    public async Task LongPolling_AnswersWhenATaskIsCreated_AndEmptyWhenTheTimeIsUp()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("ext");
        var topic = "topic-" + key;
        await Rest.DeployAsync(client, BillingProcess(key, topic));

        var clock = Stopwatch.StartNew();
        Assert.Empty((await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic, asyncResponseTimeout: 700))).EnumerateArray());
        Assert.InRange(clock.ElapsedMilliseconds, 650, 5000);

        clock.Restart();
        var polling = Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic, asyncResponseTimeout: 20000));
        await Task.Delay(300);
        Assert.False(polling.IsCompleted, "the fetch waits while there is no task");
        await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new { });
        var locked = (await polling).EnumerateArray().Single();

        Assert.Equal(topic, locked.GetProperty("topicName").GetString());
        Assert.InRange(clock.ElapsedMilliseconds, 300, 5000);
        Rest.AssertError(await Rest.PostAsync(client, "/external-task/fetchAndLock", Fetch("w1", topic, asyncResponseTimeout: 1800001), HttpStatusCode.BadRequest), "InvalidRequestException", "asynchronous response timeout");
        Rest.AssertError(await Rest.PostAsync(client, "/external-task/fetchAndLock", new { maxTasks = 1, topics = Array.Empty<object>() }, HttpStatusCode.BadRequest), "InvalidRequestException", "workerId");
    }
}
