using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The instance viewer: the path taken and the current tokens on the diagram, the journal, variables, and incidents with retry.</summary>
[Collection(WebTestGroup.Name)]
public sealed class InstanceViewerTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task AComplaintsInstance_ShowsThePathTaken_TheWaitingTask_TheJournalAndVariables()
    {
        // A demo complaint waiting at a user task.
        var tasks = await host.Admin.GetFromJsonAsync<JsonElement>("/api/tasks");
        var task = tasks.EnumerateArray().First(t => t.GetProperty("definitionKey").GetString() == "complaint-handling");
        var instanceId = task.GetProperty("processInstanceId").GetString()!;
        var elementId = task.GetProperty("elementId").GetString()!;

        var page = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(page, "/instances/?key=complaint-handling");
        await page.Locator($"#instance-list tr[data-instance-id='{instanceId}'] a").ClickAsync();
        await Assertions.Expect(page.Locator("#instance-canvas")).ToHaveAttributeAsync("data-state", "ready");

        await Assertions.Expect(page.Locator("#instance-status")).ToHaveTextAsync("进行中");
        await Assertions.Expect(page.Locator($"#instance-canvas .djs-element.cw-active[data-element-id='{elementId}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#instance-canvas .djs-element.cw-done[data-element-id='classify']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#instance-canvas .djs-element.cw-taken[data-element-id='f_received_classify']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#journal")).ToContainTextAsync("智能分类 (classify)");
        await Assertions.Expect(page.Locator("#variables")).ToContainTextAsync("trackingNumber");
        output.WriteLine(await host.ScreenshotAsync(page, "instance-complaint"));
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task AnIncident_IsShownOnTheDiagram_AndRetryRunsTheElementAgain()
    {
        var readyAt = DateTimeOffset.UtcNow.AddSeconds(2);
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="x">
              <bpmn:process id="viewer-incident" name="故障演示" isExecutable="true">
                <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
                <bpmn:scriptTask id="check" name="检查外部系统" scriptFormat="javascript"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>if (Date.now() &lt; readyAt) { throw new Error('外部系统暂不可用'); }</bpmn:script></bpmn:scriptTask>
                <bpmn:userTask id="wait" name="人工处理"><bpmn:incoming>f2</bpmn:incoming></bpmn:userTask>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
                <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="wait" />
              </bpmn:process>
              <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="viewer-incident">
                <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
                <bpmndi:BPMNShape id="check_di" bpmnElement="check"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
                <bpmndi:BPMNShape id="wait_di" bpmnElement="wait"><dc:Bounds x="360" y="78" width="100" height="80" /></bpmndi:BPMNShape>
                <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
                <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
              </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
        using (var deploy = await host.Admin.PostAsync("/api/process-definitions", new StringContent(Xml, Encoding.UTF8, "application/xml")))
        {
            deploy.EnsureSuccessStatusCode();
        }

        using var start = await host.Admin.PostAsJsonAsync("/api/process-definitions/viewer-incident/start", new { variables = new { readyAt = readyAt.ToUnixTimeMilliseconds() } });
        var instanceId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var page = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(page, $"/instances/?id={instanceId}");
        await Assertions.Expect(page.Locator("#instance-canvas")).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(page.Locator("#instance-canvas .djs-element.cw-incident[data-element-id=check]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#incident-list")).ToContainTextAsync("外部系统暂不可用");
        output.WriteLine(await host.ScreenshotAsync(page, "instance-incident"));

        // The outside system is back: retry runs the script again, the token moves on to the user task.
        var wait = readyAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

        await page.Locator("#incident-list tr[data-element-id=check] button.retry").ClickAsync();
        await Assertions.Expect(page.Locator("#instance-incidents")).ToContainTextAsync("没有故障");
        await Assertions.Expect(page.Locator("#instance-canvas .djs-element.cw-active[data-element-id=wait]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#instance-canvas .djs-element.cw-done[data-element-id=check]")).ToHaveCountAsync(1);
        output.WriteLine(await host.ScreenshotAsync(page, "instance-retried"));
        var tasks = await host.Admin.GetFromJsonAsync<JsonElement>($"/api/tasks?processInstanceId={instanceId}");
        Assert.Equal("wait", tasks.EnumerateArray().Single().GetProperty("elementId").GetString());
        Assert.Empty(host.PageErrors[page]);
    }
}
