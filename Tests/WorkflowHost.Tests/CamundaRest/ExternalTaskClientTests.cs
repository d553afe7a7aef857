using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>The host on Kestrel on a free loopback port, so that programs outside the test process can call it.</summary>
public sealed class KestrelRestHostFactory : RestHostFactory
{
    public KestrelRestHostFactory()
    {
        UseKestrel(0);
        StartServer();
    }

    /// <summary>The <c>/engine-rest</c> root as the server listens (<c>http://127.0.0.1:port/engine-rest</c>).</summary>
    public string EngineRest => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)))
        .First(u => u.Scheme == "http").GetLeftPart(UriPartial.Authority) + "/engine-rest";
}

/// <summary>
/// Camunda's own external-task client for Node.js (camunda-external-task-client-js, from the npm registry, installed in
/// <c>Tests/infra/camunda</c>) works against <c>/engine-rest</c> unchanged: a worker written as Camunda documents it
/// fetches with long polling, completes with variables, reports a failure with retries and throws a BPMN error.
/// </summary>
public sealed class ExternalTaskClientTests(KestrelRestHostFactory factory) : IClassFixture<KestrelRestHostFactory>
{
    [Fact]
    public async Task OfficialNodeClient_FetchesCompletesFailsAndThrowsBpmnError()
    {
        using var client = factory.CreateClient();
        var key = Rest.NewKey("node");
        await Rest.DeployAsync(client, Rest.Bpmn(key, """
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="bill" />
                <bpmn:serviceTask id="bill" camunda:type="external" camunda:topic="billing" />
                <bpmn:sequenceFlow id="f2" sourceRef="bill" targetRef="check" />
                <bpmn:serviceTask id="check" camunda:type="external" camunda:topic="checking" />
                <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="ship" />
                <bpmn:serviceTask id="ship" camunda:type="external" camunda:topic="shipping" />
                <bpmn:boundaryEvent id="noStock" attachedToRef="ship"><bpmn:errorEventDefinition errorRef="Err_NoStock" /></bpmn:boundaryEvent>
                <bpmn:sequenceFlow id="f4" sourceRef="ship" targetRef="end" />
                <bpmn:sequenceFlow id="f5" sourceRef="noStock" targetRef="handleNoStock" />
                <bpmn:userTask id="handleNoStock" name="Handle missing stock" />
                <bpmn:endEvent id="end" />
            """, """<bpmn:error id="Err_NoStock" errorCode="NO_STOCK" />"""));

        var worker = StartWorker();
        var started = await Rest.PostAsync(client, $"/process-definition/key/{key}/start", new
        {
            businessKey = "TS-2026-0001",
            variables = new { amount = new { value = 120, type = "Integer" }, customer = new { value = "张三", type = "String" } },
        });
        var instanceId = started.GetProperty("id").GetString()!;
        var lines = await FinishAsync(worker);

        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.DoesNotContain(events, e => e.GetProperty("event").GetString()!.EndsWith(":error", StringComparison.Ordinal) || e.GetProperty("event").GetString() == "timeout");
        var fetched = events.Where(e => e.GetProperty("event").GetString() == "fetched").ToList();
        var billed = fetched.Single(e => e.GetProperty("topic").GetString() == "billing");
        Assert.Equal(120, billed.GetProperty("amount").GetInt32());
        Assert.Equal("张三", billed.GetProperty("customer").GetString());
        Assert.Equal("TS-2026-0001", billed.GetProperty("businessKey").GetString());
        var checks = fetched.Where(e => e.GetProperty("topic").GetString() == "checking").ToList();
        Assert.Equal(2, checks.Count);
        Assert.Equal(JsonValueKind.Null, checks[0].GetProperty("retries").ValueKind);
        Assert.Equal(1, checks[1].GetProperty("retries").GetInt32());
        Assert.Equal("scanner offline", checks[1].GetProperty("errorMessage").GetString());
        Assert.Equal("INV-120", fetched.Single(e => e.GetProperty("topic").GetString() == "shipping").GetProperty("invoice").GetString());
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "bpmnError");

        var tasks = await Rest.GetAsync(client, $"/task?processInstanceId={instanceId}");
        Assert.Equal("handleNoStock", tasks.EnumerateArray().Single().GetProperty("taskDefinitionKey").GetString());
        var variables = await Rest.GetAsync(client, $"/process-instance/{instanceId}/variables");
        Assert.Equal("INV-120", variables.GetProperty("invoice").GetProperty("value").GetString());
        Assert.True(variables.GetProperty("paid").GetProperty("value").GetBoolean());
        Assert.Equal(240, variables.GetProperty("total").GetProperty("value").GetInt32());
        Assert.Equal("widget", variables.GetProperty("missing").GetProperty("value").GetString());
        Assert.False(variables.TryGetProperty("billedBy", out _), "local variables stay on the external task's scope");
        Assert.Empty((await Rest.GetAsync(client, $"/external-task?processInstanceId={instanceId}")).EnumerateArray());
    }

    private Process StartWorker()
    {
        var folder = CamundaClients.Folder;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "external-task-worker.mjs"));
        start.ArgumentList.Add(factory.EngineRest);
        start.ArgumentList.Add(HostFactory.AdminUserName);
        start.ArgumentList.Add(HostFactory.AdminPassword);
        return Process.Start(start) ?? throw new InvalidOperationException("node did not start");
    }

    private static async Task<List<string>> FinishAsync(Process worker)
    {
        using (worker)
        {
            var output = worker.StandardOutput.ReadToEndAsync();
            var errors = worker.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await worker.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                worker.Kill(entireProcessTree: true);
                throw;
            }

            var text = await output;
            Assert.True(worker.ExitCode == 0, $"the worker exited with {worker.ExitCode}:\n{text}\n{await errors}");
            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{'))];
        }
    }
}

/// <summary>Where <c>Tests/infra/camunda</c> (Camunda's npm packages for the tests, installed by <c>./test.sh</c>) is.</summary>
internal static class CamundaClients
{
    public static string Folder
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "Tests", "infra", "camunda");
                if (File.Exists(Path.Combine(folder.FullName, "ComplaintWorkflows.sln")) && Directory.Exists(candidate))
                {
                    Assert.True(
                        Directory.Exists(Path.Combine(candidate, "node_modules", "camunda-external-task-client-js")),
                        $"Camunda's npm packages are not installed in {candidate}: run Tests/infra/camunda.sh (./test.sh does).");
                    return candidate;
                }
            }

            throw new InvalidOperationException($"No Tests/infra/camunda above {AppContext.BaseDirectory}.");
        }
    }
}
