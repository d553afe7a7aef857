using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The engine-health page (运行监控) in chromium, against the real host.</summary>
[Collection(WebTestGroup.Name)]
public sealed class OperationsPageTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task Administrator_SeesTheFiguresOfTheApi_TheirCharts_TheHostsHeartbeat_AndTheIncidentsAndStuckInstances()
    {
        var page = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(page, "/operations/");
        await Assertions.Expect(page.Locator("main[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("运行监控");
        await Assertions.Expect(page.Locator("#chart-engine canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-domain canvas")).ToHaveCountAsync(1);

        var health = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/admin/operations/health")).TextAsync()).RootElement;
        var running = health.GetProperty("figures").GetProperty("engine.instances.running").GetDouble();
        Assert.True(running > 0, "the demo complaints' processes run");
        await Assertions.Expect(page.Locator("#figure-engine-instances-running .value")).ToHaveTextAsync(running.ToString(CultureInfo.InvariantCulture));
        var host0 = health.GetProperty("hosts")[0].GetProperty("hostName").GetString()!;
        await Assertions.Expect(page.Locator($"#health-hosts-table tr[data-host='{host0}'] td.state")).ToHaveTextAsync("正常");
        var incidents = health.GetProperty("incidents").GetArrayLength();
        await Assertions.Expect(page.Locator("#health-incidents h2")).ToHaveTextAsync($"故障（{incidents}）");
        await Assertions.Expect(page.Locator("#health-stuck h2")).ToHaveTextAsync($"停滞实例（{health.GetProperty("stuck").GetArrayLength()}）");

        // The charts draw the history the hosts sampled (at least the sample of the host's start).
        var history = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/admin/operations/history?range=hour")).TextAsync()).RootElement;
        var points = history.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "engine.instances.running").GetProperty("points").GetArrayLength();
        Assert.True(points >= 1);
        var drawn = JsonSerializer.Deserialize<Dictionary<string, int>>(await page.GetAttributeAsync("#chart-engine", "data-series") ?? "{}")!;
        Assert.Equal(points, drawn["engine.instances.running"]);
        await Assertions.Expect(page.Locator("#chart-engine")).ToHaveAttributeAsync("data-window", "3600000");
        output.WriteLine(await host.ScreenshotAsync(page, "operations-health"));

        await page.SelectOptionAsync("#health-range", "day");
        await Assertions.Expect(page.Locator("#chart-engine")).ToHaveAttributeAsync("data-series", new System.Text.RegularExpressions.Regex("engine.instances.running"));
        await Assertions.Expect(page.Locator("#chart-engine")).ToHaveAttributeAsync("data-window", "86400000");
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task AnIncident_IsListed_AndItsRetryButtonRunsTheFailedElementAgain()
    {
        var key = "web-health-" + Guid.NewGuid().ToString("N")[..8];
        var bpmn = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="s" />
                <bpmn:scriptTask id="print" scriptFormat="javascript" camunda:asyncBefore="true">
                  <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R1/PT1M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
                  <bpmn:script>throw new Error('打印机故障')</bpmn:script>
                </bpmn:scriptTask>
                <bpmn:userTask id="review" />
                <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="print" />
                <bpmn:sequenceFlow id="f2" sourceRef="print" targetRef="review" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var xml = new StringContent(bpmn, System.Text.Encoding.UTF8, "text/xml"))
        using (var deployed = await host.Admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml))
        {
            Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
        }

        using (var started = await host.Admin.PostAsync(new Uri($"/api/process-definitions/{key}/start", UriKind.Relative), JsonContent.Create(new { })))
        {
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        }

        // The job executor runs the script (its one attempt) and it fails: an incident.
        JsonElement? found = null;
        await WaitForAsync(async () =>
        {
            var incidents = JsonDocument.Parse(await host.Admin.GetStringAsync(new Uri("/api/incidents", UriKind.Relative))).RootElement;
            found = incidents.EnumerateArray().Where(i => i.GetProperty("elementId").GetString() == "print" && i.GetProperty("message").GetString()!.Contains("打印机故障", StringComparison.Ordinal))
                .Select(i => (JsonElement?)i.Clone()).FirstOrDefault();
            return found is not null;
        });
        var incident = found!.Value;
        var instance = incident.GetProperty("processInstanceId").GetString()!;
        Assert.Equal(1, await IncidentEntriesAsync(instance));

        var page = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(page, "/operations/");
        var row = page.Locator($"#health-incidents-table tr[data-instance='{instance}']");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("print");
        await Assertions.Expect(row).ToContainTextAsync("打印机故障");
        output.WriteLine(await host.ScreenshotAsync(page, "operations-incident"));

        // Retried: the script runs again (and fails again, the printer still being broken): a second incident entry in the
        // instance's journal, the page reloaded with the incident listed once.
        await row.Locator("button.retry").ClickAsync();
        await Assertions.Expect(page.GetByText("已重试")).ToBeVisibleAsync();
        await WaitForAsync(async () => await IncidentEntriesAsync(instance) == 2);
        await Assertions.Expect(page.Locator($"#health-incidents-table tr[data-instance='{instance}']")).ToHaveCountAsync(1);
        Assert.Empty(host.PageErrors[page]);
    }

    private async Task<int> IncidentEntriesAsync(string instance)
    {
        var journal = JsonDocument.Parse(await host.Admin.GetStringAsync(new Uri($"/api/process-instances/{instance}/journal", UriKind.Relative))).RootElement;
        return journal.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "Incident");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(await condition());
    }
}
