using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

public sealed class TaskTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Fact]
    public async Task CandidateGroupQueries_SkipAssignedTasksUnlessIncluded()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("queue");
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(key));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { businessKey = $"B{i}" })).GetProperty("id").GetString()!);
        }

        var first = (await Rest.GetAsync(client, $"/task?processInstanceId={ids[0]}")).EnumerateArray().Single().GetProperty("id").GetString();
        using var claim = await client.PostAsJsonAsync(Rest.Url($"/task/{first}/claim"), new { userId = "ann" });
        Assert.Equal(HttpStatusCode.NoContent, claim.StatusCode);

        var filter = $"processDefinitionKey={key}&candidateGroup=desk";
        Assert.Equal(2, (await Rest.GetAsync(client, $"/task?{filter}")).GetArrayLength());
        Assert.Equal(3, (await Rest.GetAsync(client, $"/task?{filter}&includeAssignedTasks=true")).GetArrayLength());
        Assert.Equal(0, (await Rest.GetAsync(client, $"/task?processDefinitionKey={key}&candidateGroup=other")).GetArrayLength());
        Assert.Equal(2, (await Rest.GetAsync(client, $"/task/count?{filter}")).GetProperty("count").GetInt32());
        Assert.Equal(0, (await Rest.GetAsync(client, $"/task?{filter}&maxResults=0")).GetArrayLength());
        Assert.Equal(1, (await Rest.GetAsync(client, $"/task?{filter}&firstResult=1&maxResults=5")).GetArrayLength());
        var ann = (await Rest.GetAsync(client, $"/task?processDefinitionKey={key}&assignee=ann")).EnumerateArray().Single();
        Assert.Equal(first, ann.GetProperty("id").GetString());
        Assert.Equal(50, ann.GetProperty("priority").GetInt32());

        var sorted = (await Rest.GetAsync(client, $"/task?processDefinitionKey={key}&sortBy=created&sortOrder=desc")).EnumerateArray().Select(t => t.GetProperty("created").GetString()).ToList();
        Assert.Equal(sorted.OrderDescending(StringComparer.Ordinal), sorted);
        Rest.AssertError(await Rest.GetAsync(client, "/task?sortBy=created", HttpStatusCode.BadRequest), "InvalidRequestException", "sortBy and sortOrder");
    }

    [Fact]
    public async Task Claim_ByAnotherUser_Is500TaskAlreadyClaimed_SameUserIsNoOp_UnclaimAndDelegateWork()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("claim")));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;
        var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("id").GetString()!;

        using var byAnn = await client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/claim"), new { userId = "ann" });
        using var byAnnAgain = await client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/claim"), new { userId = "ann" });
        using var byBob = await client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/claim"), new { userId = "bob" });

        Assert.Equal(HttpStatusCode.NoContent, byAnn.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byAnnAgain.StatusCode);
        Rest.AssertError(await Rest.JsonAsync(byBob, HttpStatusCode.InternalServerError), "TaskAlreadyClaimedException", $"Task '{taskId}' is already claimed by someone else.");
        Assert.Equal("ann", (await Rest.GetAsync(client, $"/task/{taskId}")).GetProperty("assignee").GetString());

        using var unclaim = await client.PostAsync(Rest.Url($"/task/{taskId}/unclaim"), null);
        Assert.Equal(HttpStatusCode.NoContent, unclaim.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Rest.GetAsync(client, $"/task/{taskId}")).GetProperty("assignee").ValueKind);
        using var delegated = await client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/delegate"), new { userId = "carl" });
        Assert.Equal(HttpStatusCode.NoContent, delegated.StatusCode);
        Assert.Equal("carl", (await Rest.GetAsync(client, $"/task/{taskId}")).GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task ConcurrentClaimsByDifferentUsers_ExactlyOneWins()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("claimrace")));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;
        var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("id").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/claim"), new { userId = $"user{i}" })));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode));
        var assignee = (await Rest.GetAsync(client, $"/task/{taskId}")).GetProperty("assignee").GetString();
        Assert.StartsWith("user", assignee, StringComparison.Ordinal);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task TwoConcurrentCompletions_OneSucceeds_TheOtherFailsInCamundasShape()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("race")));
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        for (var round = 0; round < 5; round++)
        {
            var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { })).GetProperty("id").GetString()!;
            var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("id").GetString()!;

            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
                client.PostAsJsonAsync(Rest.Url($"/task/{taskId}/complete"), new { variables = new { by = new { value = $"user{i}", type = "String" } } })));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
            var failed = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.NoContent);
            var error = await Rest.JsonAsync(failed, failed.StatusCode);
            if (failed.StatusCode == HttpStatusCode.InternalServerError)
            {
                Rest.AssertError(error, "OptimisticLockingException");
                Assert.Equal(1, error.GetProperty("code").GetInt32());
            }
            else
            {
                // The loser arrived after the winner had committed: the task is gone, as in Camunda.
                Assert.Equal(HttpStatusCode.NotFound, failed.StatusCode);
                Rest.AssertError(error, "InvalidRequestException", "No matching task");
            }

            Assert.Equal(InstanceStatus.Completed, (await engine.GetInstanceAsync(instanceId)).Status);
            Assert.Empty(await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId)));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Complete_WithVariablesInReturn_Answers200WithTheVariables()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("twotasks");
        var definitionId = await Rest.DeployAsync(client, Rest.Bpmn(key, """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="one" />
                <bpmn:userTask id="one" />
                <bpmn:sequenceFlow id="f2" sourceRef="one" targetRef="two" />
                <bpmn:userTask id="two" />
                <bpmn:sequenceFlow id="f3" sourceRef="two" targetRef="end" />
                <bpmn:endEvent id="end" />
            """));
        var instanceId = (await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { variables = new { a = new { value = "x" } } })).GetProperty("id").GetString()!;
        var taskId = (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}&taskDefinitionKey=one")).EnumerateArray().Single().GetProperty("id").GetString()!;

        var variables = await Rest.PostAsync(client, $"/task/{taskId}/complete", new { variables = new { b = new { value = 2, type = "Long" } }, withVariablesInReturn = true });

        Assert.Equal("x", variables.GetProperty("a").GetProperty("value").GetString());
        Assert.Equal(2, variables.GetProperty("b").GetProperty("value").GetInt64());
        Assert.Equal("two", (await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}")).EnumerateArray().Single().GetProperty("taskDefinitionKey").GetString());
    }
}
