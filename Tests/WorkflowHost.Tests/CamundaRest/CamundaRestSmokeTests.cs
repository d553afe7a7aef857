using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>What Camunda Modeler and Camunda 7 REST clients do, against /engine-rest.</summary>
public sealed class CamundaRestSmokeTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    private static readonly string Diagram = TestDiagrams.Review("rest-review");

    [Fact]
    public async Task ModelerDeploy_ThenStart_ThenCompleteTwiceAtOnce_GivesOne204AndOneCamundaError()
    {
        using var client = factory.CreateClient();
        var deployment = await DeployAsync(client, Diagram);
        var definitionId = deployment.GetProperty("deployedProcessDefinitions").EnumerateObject().Single().Value.GetProperty("id").GetString();
        var again = await DeployAsync(client, Diagram);
        Assert.Equal(JsonValueKind.Null, again.GetProperty("deployedProcessDefinitions").ValueKind);

        var start = await client.PostAsJsonAsync(new Uri($"/engine-rest/process-definition/{definitionId}/start", UriKind.Relative), new
        {
            businessKey = "TS-2026-7",
            variables = new Dictionary<string, object> { ["amount"] = new { value = 120, type = "Integer" }, ["consumer"] = new { value = "王先生", type = "String" } },
        });
        var instanceId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var task = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/engine-rest/task?processInstanceId={instanceId}", UriKind.Relative))).EnumerateArray().Single();
        var taskId = task.GetProperty("id").GetString();

        var responses = await Task.WhenAll(
            client.PostAsJsonAsync(new Uri($"/engine-rest/task/{taskId}/complete", UriKind.Relative), new { }),
            client.PostAsJsonAsync(new Uri($"/engine-rest/task/{taskId}/complete", UriKind.Relative), new { }));

        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal("审核", task.GetProperty("name").GetString());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        var failed = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.NoContent);
        Assert.True(failed.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.NotFound, $"got {failed.StatusCode}");
        Assert.True((await failed.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("type", out _));
        var instance = await client.GetAsync(new Uri($"/engine-rest/process-instance/{instanceId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, instance.StatusCode);
    }

    [Fact]
    public async Task History_ShowsTheInstanceAndThePathItTook_AndUnknownJobRetriesAre404()
    {
        using var client = factory.CreateClient();
        await DeployAsync(client, Diagram.Replace("rest-review", "rest-history", StringComparison.Ordinal));
        var start = await client.PostAsJsonAsync(new Uri("/engine-rest/process-definition/key/rest-history/start", UriKind.Relative), new { businessKey = "TS-H" });
        var instanceId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var task = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/engine-rest/task?processInstanceId={instanceId}", UriKind.Relative))).EnumerateArray().Single();
        (await client.PostAsJsonAsync(new Uri($"/engine-rest/task/{task.GetProperty("id").GetString()}/complete", UriKind.Relative), new { })).EnsureSuccessStatusCode();

        var instances = await client.GetFromJsonAsync<JsonElement>(new Uri($"/engine-rest/history/process-instance?processInstanceId={instanceId}", UriKind.Relative));
        var activities = await client.GetFromJsonAsync<JsonElement>(new Uri($"/engine-rest/history/activity-instance?processInstanceId={instanceId}", UriKind.Relative));
        var retries = await client.PutAsJsonAsync(new Uri("/engine-rest/job/nope:1/retries", UriKind.Relative), new { retries = 3 });

        var instance = instances.EnumerateArray().Single();
        Assert.Equal(("COMPLETED", "TS-H"), (instance.GetProperty("state").GetString(), instance.GetProperty("businessKey").GetString()));
        Assert.Equal(["s", "review", "e"], activities.EnumerateArray().Select(a => a.GetProperty("activityId").GetString()));
        Assert.All(activities.EnumerateArray(), a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("endTime").ValueKind));
        Assert.Equal(HttpStatusCode.NotFound, retries.StatusCode);
    }

    [Fact]
    public async Task ABrokenDiagram_Is400ParseException_NamingTheElement()
    {
        using var client = factory.CreateClient();
        using var form = ModelerForm(Diagram.Replace("<bpmn:userTask id=\"review\" name=\"审核\" />", "<bpmn:complexGateway id=\"review\" />", StringComparison.Ordinal));

        var response = await client.PostAsync(new Uri("/engine-rest/deployment/create", UriKind.Relative), form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParseException", body.GetProperty("type").GetString());
        Assert.StartsWith("ENGINE-09005 Could not parse BPMN process.", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("review", body.GetProperty("details").GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> DeployAsync(HttpClient client, string xml)
    {
        using var form = ModelerForm(xml);
        var response = await client.PostAsync(new Uri("/engine-rest/deployment/create", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static MultipartFormDataContent ModelerForm(string xml)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("diagram_1"), "deployment-name" },
            { new StringContent("Camunda Modeler"), "deployment-source" },
            { new StringContent("true"), "enable-duplicate-filtering" },
        };
        var file = new StringContent(xml, Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        form.Add(file, "diagram_1.bpmn", "diagram_1.bpmn");
        return form;
    }
}
