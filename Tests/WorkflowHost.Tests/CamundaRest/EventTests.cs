using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

public sealed class EventTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    /// <summary>start → message catch (optionally keyed by <c>${ticket}</c>) → user task "after" → end.</summary>
    private static string WaitForMessage(string key, string message, bool keyed) => Rest.Bpmn(key, $$"""
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
                <bpmn:intermediateCatchEvent id="wait">
                  {{(keyed ? "<bpmn:extensionElements><camunda:properties><camunda:property name=\"correlationKey\" value=\"${ticket}\" /></camunda:properties></bpmn:extensionElements>" : "")}}
                  <bpmn:messageEventDefinition messageRef="Message_1" />
                </bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after" />
                <bpmn:userTask id="after" />
                <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
                <bpmn:endEvent id="end" />
            """, $"""  <bpmn:message id="Message_1" name="{message}" />""");

    [Fact]
    public async Task Message_ByBusinessKey_ReachesThatInstanceOnly()
    {
        using var client = factory.CreateClient();
        var message = Rest.NewKey("reply");
        var definitionId = await Rest.DeployAsync(client, WaitForMessage(Rest.NewKey("bk"), message, keyed: false));
        var one = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { businessKey = "C-1" })).GetProperty("id").GetString()!;
        var two = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { businessKey = "C-2" })).GetProperty("id").GetString()!;

        var results = await Rest.PostAsync(client, "/message", new { messageName = message, businessKey = "C-2", processVariables = new { answer = new { value = "yes" } }, resultEnabled = true });

        var result = results.EnumerateArray().Single();
        Assert.Equal("Execution", result.GetProperty("resultType").GetString());
        Assert.Equal(two, result.GetProperty("execution").GetProperty("processInstanceId").GetString());
        Assert.Single((await Rest.GetAsync(client, $"/task?processInstanceId={two}")).EnumerateArray());
        Assert.Empty((await Rest.GetAsync(client, $"/task?processInstanceId={one}")).EnumerateArray());
        Assert.Equal("yes", (await Rest.GetAsync(client, $"/process-instance/{two}/variables")).GetProperty("answer").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Message_ByCorrelationKeys_MapsTheKeyToTheEnginesCorrelationKey()
    {
        using var client = factory.CreateClient();
        var message = Rest.NewKey("reply");
        var definitionId = await Rest.DeployAsync(client, WaitForMessage(Rest.NewKey("ck"), message, keyed: true));
        var one = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { variables = new { ticket = new { value = "T-1" } } })).GetProperty("id").GetString()!;
        var two = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { variables = new { ticket = new { value = "T-2" } } })).GetProperty("id").GetString()!;

        using var byOnlyKey = await client.PostAsJsonAsync(Rest.Url("/message"), new { messageName = message, correlationKeys = new { ticket = new { value = "T-1", type = "String" } } });
        using var byNamedKey = await client.PostAsJsonAsync(Rest.Url("/message"), new { messageName = message, correlationKeys = new { correlationKey = new { value = "T-2" }, other = new { value = 1 } } });

        Assert.Equal(HttpStatusCode.NoContent, byOnlyKey.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byNamedKey.StatusCode);
        Assert.Single((await Rest.GetAsync(client, $"/task?processInstanceId={one}")).EnumerateArray());
        Assert.Single((await Rest.GetAsync(client, $"/task?processInstanceId={two}")).EnumerateArray());
    }

    [Fact]
    public async Task Message_WithNoOrSeveralMatches_Is400Mismatching_UnlessAll()
    {
        using var client = factory.CreateClient();
        var message = Rest.NewKey("reply");
        var definitionId = await Rest.DeployAsync(client, WaitForMessage(Rest.NewKey("mm"), message, keyed: false));
        for (var i = 0; i < 2; i++)
        {
            await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { });
        }

        Rest.AssertError(await Rest.PostAsync(client, "/message", new { messageName = "nobody-listens" }, HttpStatusCode.BadRequest),
            "RestException", "MismatchingMessageCorrelationException: Cannot correlate message 'nobody-listens':");
        Rest.AssertError(await Rest.PostAsync(client, "/message", new { messageName = message }, HttpStatusCode.BadRequest),
            "RestException", $"MismatchingMessageCorrelationException: Cannot correlate message '{message}':");
        using var noneWithAll = await client.PostAsJsonAsync(Rest.Url("/message"), new { messageName = "nobody-listens", all = true });
        Assert.Equal(HttpStatusCode.NoContent, noneWithAll.StatusCode);
        var both = await Rest.PostAsync(client, "/message", new { messageName = message, all = true, resultEnabled = true });
        Assert.Equal(2, both.GetArrayLength());
    }

    [Fact]
    public async Task Signal_Is204EvenWhenNobodyListens_AndReachesWaitingInstances()
    {
        using var client = factory.CreateClient();
        var signal = Rest.NewKey("alarm");
        var definitionId = await Rest.DeployAsync(client, Rest.Bpmn(Rest.NewKey("sig"), """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
                <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Signal_1" /></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
                <bpmn:endEvent id="end" />
            """, $"""  <bpmn:signal id="Signal_1" name="{signal}" />"""));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;

        using var nobody = await client.PostAsJsonAsync(Rest.Url("/signal"), new { name = "nobody-listens" });
        using var reached = await client.PostAsJsonAsync(Rest.Url("/signal"), new { name = signal });
        using var unnamed = await client.PostAsJsonAsync(Rest.Url("/signal"), new { });

        Assert.Equal(HttpStatusCode.NoContent, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reached.StatusCode);
        Rest.AssertError(await Rest.JsonAsync(unnamed, HttpStatusCode.BadRequest), "InvalidRequestException");
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.Equal(InstanceStatus.Completed, (await engine.GetInstanceAsync(instanceId)).Status);
    }
}
