using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>
/// The host as a separate process, driven over HTTP, killed with SIGKILL in the middle of a run and started
/// again on the same database: every instance whose start was answered exists and finishes, each job ran
/// exactly once, and timers that fell due while the host was down fire.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const string Process = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
          <bpmn:process id="crash" isExecutable="true">
            <bpmn:startEvent id="s" />
            <bpmn:scriptTask id="count" camunda:asyncBefore="true" scriptFormat="javascript">
              <bpmn:script>execution.setVariable('runs', (execution.getVariable('runs') || 0) + 1)</bpmn:script>
            </bpmn:scriptTask>
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT3S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="done" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="count" />
            <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="wait" />
            <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="done" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly string dataFolder = Directory.CreateTempSubdirectory("cw-crash-").FullName;
    private readonly int port = HostProcess.FreePort();
    private HostProcess? host;

    [Fact]
    public async Task KilledHost_LosesNothingItAnswered_RunsEachJobOnce_AndFiresTimersThatFellDueWhileDown()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(10) };
        await StartHostAsync();
        await UseTokenAsync(http);
        using (var file = new StringContent(Process, Encoding.UTF8, "text/xml"))
        {
            (await http.PostAsync(new Uri("process-definitions", UriKind.Relative), file)).EnsureSuccessStatusCode();
        }

        var answered = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var drivers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync(new Uri("process-definitions/crash/start", UriKind.Relative), new { });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answered.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
                    }
                }
                catch (HttpRequestException)
                {
                    // The host is down: nothing was answered.
                }
                catch (TaskCanceledException)
                {
                }
            }
        })).ToList();

        while (answered.Count < 200)
        {
            await Task.Delay(20);
        }

        await host!.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(drivers);
        await Task.Delay(TimeSpan.FromSeconds(4)); // the timers of many instances fall due while the host is down

        await StartHostAsync();
        var ids = answered.Distinct().ToList();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var finished = 0;
        while (DateTime.UtcNow < deadline)
        {
            var tasks = await http.GetFromJsonAsync<JsonElement>(new Uri("tasks?elementId=done", UriKind.Relative));
            finished = tasks.EnumerateArray().Select(t => t.GetProperty("processInstanceId").GetString()).Intersect(ids).Count();
            if (finished == ids.Count)
            {
                break;
            }

            await Task.Delay(500);
        }

        if (finished != ids.Count)
        {
            var done = (await http.GetFromJsonAsync<JsonElement>(new Uri("tasks?elementId=done", UriKind.Relative))).EnumerateArray().Select(t => t.GetProperty("processInstanceId").GetString()).ToHashSet();
            var stuck = ids.First(id => !done.Contains(id));
            Assert.Fail($"{ids.Count - finished} of {ids.Count} answered instances did not finish, e.g. {stuck}: {await http.GetStringAsync(new Uri($"process-instances/{stuck}", UriKind.Relative))}");
        }
        foreach (var id in ids)
        {
            var variables = await http.GetFromJsonAsync<JsonElement>(new Uri($"process-instances/{id}/variables", UriKind.Relative));
            Assert.Equal(1, variables.GetProperty("runs").GetInt32());
        }
    }

    public void Dispose()
    {
        host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(dataFolder, recursive: true);
    }

    private async Task StartHostAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        host = await HostProcess.StartAsync(dataFolder, port, new Dictionary<string, string>
        {
            ["Workflows__DataFolder"] = dataFolder,
            ["Workflows__Identity__InitialAdminPassword"] = HostFactory.AdminPassword,
            ["Workflows__Identity__InitialAdminMustChangePassword"] = "false",
            ["Workflows__PollInterval"] = "00:00:00.200",
            ["Workflows__Timers__SafetyNetInterval"] = "00:00:02",
            ["Workflows__OutboxRedeliveryAge"] = "00:00:02",

            // Jobs the killed host had taken stay locked this long; production keeps the 5-minute default.
            ["Workflows__Engine__JobLockDuration"] = "00:00:03",
            ["Logging__LogLevel__Default"] = "Warning",
        });
    }

    /// <summary>Signs in as the first administrator with Basic once and goes on with a personal access token (cheaper per request).</summary>
    private static async Task UseTokenAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("auth/tokens", UriKind.Relative)) { Content = JsonContent.Create(new { name = "crash-test", expiresInDays = 1 }) };
        request.Headers.Authorization = TestCredentials.Basic(HostFactory.AdminUserName, HostFactory.AdminPassword);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }
}
