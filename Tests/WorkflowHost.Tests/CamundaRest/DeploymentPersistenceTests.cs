using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>Deployments are the engine's persisted records: they survive a restart and can be deleted.</summary>
public sealed class DeploymentPersistenceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cw-deployments-").FullName;

    [Fact]
    public async Task Deployments_AreStillListed_AfterTheHostRestartsOnTheSameDatabase_AndDuplicateFilteringComparesWithThem()
    {
        var key = Rest.NewKey("restart");
        var name = Rest.NewKey("restart");
        string deploymentId;
        using (var before = new FolderHostFactory(folder))
        {
            using var client = before.CreateClient();
            using var response = await Rest.DeployAsModelerAsync(client, Rest.ReviewProcess(key), name: name);
            deploymentId = (await Rest.JsonAsync(response, HttpStatusCode.OK)).GetProperty("id").GetString()!;
        }

        using var after = new FolderHostFactory(folder);
        using var restarted = after.CreateClient();

        var listed = (await Rest.GetAsync(restarted, $"/deployment?name={name}")).EnumerateArray().Single();
        Assert.Equal(deploymentId, listed.GetProperty("id").GetString());
        Assert.Equal("Camunda Modeler", listed.GetProperty("source").GetString());
        Assert.Equal(name, (await Rest.GetAsync(restarted, $"/deployment/{deploymentId}")).GetProperty("name").GetString());
        var definition = (await Rest.GetAsync(restarted, $"/process-definition?deploymentId={deploymentId}")).EnumerateArray().Single();
        Assert.Equal(key, definition.GetProperty("key").GetString());
        Assert.Equal("diagram_1.bpmn", definition.GetProperty("resource").GetString());
        using var again = await Rest.DeployAsModelerAsync(restarted, Rest.ReviewProcess(key), name: name);
        var againBody = await Rest.JsonAsync(again, HttpStatusCode.OK);
        Assert.Equal(deploymentId, againBody.GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, againBody.GetProperty("deployedProcessDefinitions").ValueKind);
    }

    [Fact]
    public async Task DeleteDeployment_IsRefusedWhileAnInstanceRuns_AndWithCascadeRemovesItAll()
    {
        using var factory = new FolderHostFactory(folder);
        using var client = factory.CreateClient();
        using var response = await Rest.DeployAsModelerAsync(client, Rest.ReviewProcess(Rest.NewKey("delete")), name: Rest.NewKey("delete"));
        var deployment = await Rest.JsonAsync(response, HttpStatusCode.OK);
        var deploymentId = deployment.GetProperty("id").GetString()!;
        var definition = deployment.GetProperty("deployedProcessDefinitions").EnumerateObject().Single();
        var definitionId = definition.Name;
        var key = definition.Value.GetProperty("key").GetString();
        await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new { });

        using var refused = await client.DeleteAsync(Rest.Url($"/deployment/{deploymentId}"));
        Rest.AssertError(await Rest.JsonAsync(refused, HttpStatusCode.InternalServerError), "ProcessEngineException", "still running");
        using var cascaded = await client.DeleteAsync(Rest.Url($"/deployment/{deploymentId}?cascade=true"));

        Assert.Equal(HttpStatusCode.NoContent, cascaded.StatusCode);
        Rest.AssertError(await Rest.GetAsync(client, $"/deployment/{deploymentId}", HttpStatusCode.NotFound), "InvalidRequestException");
        Rest.AssertError(await Rest.GetAsync(client, $"/process-definition/{definitionId}", HttpStatusCode.NotFound), "RestException");
        Assert.Empty((await Rest.GetAsync(client, $"/process-instance?processDefinitionKey={key}")).EnumerateArray());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The REST host on a data folder the test chooses, so a second host can open the first one's database.</summary>
    private sealed class FolderHostFactory(string dataFolder) : RestHostFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflows:DataFolder", dataFolder);
        }
    }
}
