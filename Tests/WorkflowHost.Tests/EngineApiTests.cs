using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests;

public sealed class EngineApiTests(HostFactory factory) : IClassFixture<HostFactory>
{
    private static readonly string Process = TestDiagrams.Review("api-review");

    [Fact]
    public async Task DeployStartAndComplete_OverHttp_WithVariables()
    {
        using var client = factory.CreateClient();
        using var xml = new StringContent(Process, Encoding.UTF8, "text/xml");
        (await client.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml)).EnsureSuccessStatusCode();

        var started = await client.PostAsJsonAsync(new Uri("/api/process-definitions/api-review/start", UriKind.Relative), new { businessKey = "TS-1", variables = new { amount = 120, consumer = "王先生" } });
        var instance = await started.Content.ReadFromJsonAsync<JsonElement>();
        var id = instance.GetProperty("id").GetString();
        var task = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/tasks?processInstanceId={id}", UriKind.Relative))).EnumerateArray().Single();
        Assert.Equal("审核", task.GetProperty("name").GetString());

        var completed = await client.PostAsJsonAsync(new Uri($"/api/tasks/{task.GetProperty("id").GetString()}/complete", UriKind.Relative), new { variables = new { approved = true } });
        var again = await client.PostAsJsonAsync(new Uri($"/api/tasks/{task.GetProperty("id").GetString()}/complete", UriKind.Relative), new { });

        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("not-found", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var variables = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/process-instances/{id}/variables", UriKind.Relative));
        Assert.Equal(120, variables.GetProperty("amount").GetInt32());
        Assert.True(variables.GetProperty("approved").GetBoolean());
        Assert.Equal("Completed", (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/process-instances/{id}", UriKind.Relative))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Deploy_OfABrokenFile_Is400_WithFindingsByElement()
    {
        using var client = factory.CreateClient();
        using var xml = new StringContent(Process.Replace("<bpmn:userTask id=\"review\" name=\"审核\" />", "<bpmn:complexGateway id=\"review\" />", StringComparison.Ordinal), Encoding.UTF8, "text/xml");

        var response = await client.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem.GetProperty("findings").EnumerateArray(), f => f.GetProperty("elementId").GetString() == "review");
    }

    [Fact]
    public async Task Versions_Journal_AndMigrationDryRun_AreReachableOverHttp()
    {
        using var client = factory.CreateClient();
        var v1 = Process.Replace("api-review", "api-versions", StringComparison.Ordinal);
        var v2 = v1.Replace("id=\"review\"", "id=\"check\"", StringComparison.Ordinal).Replace("sourceRef=\"review\"", "sourceRef=\"check\"", StringComparison.Ordinal).Replace("targetRef=\"review\"", "targetRef=\"check\"", StringComparison.Ordinal);
        var first = await DeployAsync(client, v1);
        var started = await client.PostAsJsonAsync(new Uri("/api/process-definitions/api-versions/start", UriKind.Relative), new { });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var second = await DeployAsync(client, v2);

        var xml = await client.GetFromJsonAsync<string>(new Uri("/api/process-definitions/api-versions/versions/2/xml", UriKind.Relative));
        var journal = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/process-instances/{id}/journal", UriKind.Relative));
        var plan = await (await client.PostAsJsonAsync(new Uri("/api/migrations", UriKind.Relative), new { sourceDefinitionId = first, targetDefinitionId = second })).Content.ReadFromJsonAsync<JsonElement>();
        var mapped = await (await client.PostAsJsonAsync(new Uri("/api/migrations", UriKind.Relative), new { sourceDefinitionId = first, targetDefinitionId = second, elementMapping = new Dictionary<string, string> { ["review"] = "check" }, dryRun = false })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Contains("id=\"check\"", xml, StringComparison.Ordinal);
        Assert.Contains(journal.EnumerateArray(), j => j.GetProperty("kind").GetString() == "ElementEntered" && j.GetProperty("elementId").GetString() == "review");
        Assert.Contains("'review'", plan.GetProperty("instances")[0].GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, mapped.GetProperty("migrated").GetInt32());
        var task = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/tasks?processInstanceId={id}", UriKind.Relative))).EnumerateArray().Single();
        Assert.Equal("check", task.GetProperty("elementId").GetString());
    }

    private static async Task<string> DeployAsync(HttpClient client, string xml)
    {
        using var content = new StringContent(xml, Encoding.UTF8, "text/xml");
        var response = await client.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task UnknownProcess_Is404()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync(new Uri("/api/process-definitions/nope/start", UriKind.Relative), new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
