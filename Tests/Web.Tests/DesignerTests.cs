using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The process designer in a real browser: open, edit with the palette and the properties panel, templates, publish, lint, access.</summary>
[Collection(WebTestGroup.Name)]
public sealed class DesignerTests(WebHostFixture host, ITestOutputHelper output)
{
    private const string ComplaintProcess = "complaint-handling";

    [Fact]
    public async Task Administrator_AddsAUserTaskAndACustomActivity_AndPublishesTheNextVersion()
    {
        var before = await LatestVersionAsync(ComplaintProcess);
        var page = await DesignerPageAsync($"/designer/?key={ComplaintProcess}");
        await Assertions.Expect(page.Locator("#designer-message")).ToContainTextAsync($"已打开 {ComplaintProcess} 版本 {before}");

        // The service tasks that call our activities show the activity's template with its typed fields.
        await page.Locator("[data-element-id=classify]").ClickAsync();
        await Assertions.Expect(page.Locator("#properties .bio-properties-panel-header")).ToContainTextAsync("智能分类");
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-ElementTemplates__Template]")).ToContainTextAsync("已应用");
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-general] .bio-properties-panel-group-header")).ToContainTextAsync("常规");
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-ElementTemplates__Template] .bio-properties-panel-group-header")).ToContainTextAsync("模板");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-1-opened"));

        // A task from the palette, dropped onto the flow the "含举报内容？" gateway takes by default, made a user task.
        var userTask = await InsertTaskOnFlowAsync(page, "f_hasReport_reportJoin");
        await page.Locator(".djs-context-pad [data-action=replace]").ClickAsync();
        await page.Locator(".djs-popup [data-id=replace-with-user-task]").ClickAsync();
        await Assertions.Expect(page.Locator("#properties .bio-properties-panel-header")).ToContainTextAsync("用户任务");
        await SetNameAsync(page, "补充材料核对");

        // Its candidate group picked from the organisation's real groups.
        await OpenGroupAsync(page, "group-CamundaPlatform__UserAssignment");
        var picker = page.Locator("#bio-properties-panel-cwCandidateGroupPicker");
        await Assertions.Expect(picker.Locator("option", new() { HasTextString = "投诉举报中心受理台" })).ToHaveCountAsync(1);
        await picker.SelectOptionAsync("intake_desk");
        await Assertions.Expect(page.Locator("#bio-properties-panel-candidateGroups")).ToHaveValueAsync("intake_desk");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-2-user-task-group"));

        // A second task after it, configured as "记入时间线" through its element template, without typing an expression.
        userTask = await page.Locator(".djs-shape.selected").GetAttributeAsync("data-element-id") ?? userTask;
        var outgoing = await page.EvaluateAsync<string>("id => window.cwTest.outgoingOf(id)", userTask);
        await InsertTaskOnFlowAsync(page, outgoing);
        await page.Locator("#properties .bio-properties-panel-select-template-button").ClickAsync();
        await Assertions.Expect(page.Locator("#template-chooser")).ToBeVisibleAsync();
        await page.FillAsync("#template-search", "时间线");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-3-template-chooser"));
        await page.Locator("#template-list [data-template-id='cw.complaint.note']").ClickAsync();
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-ElementTemplates__Template]")).ToContainTextAsync("记入时间线");
        var text = page.Locator("#properties").GetByLabel("内容 (Text)");
        await OpenGroupContainingAsync(page, text);
        await text.FillAsync("已核对补充材料");
        await page.Locator("#properties").GetByLabel("事件类型 (Event kind)").FillAsync("materials-checked");
        await page.Keyboard.PressAsync("Tab");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-4-template-applied"));

        await page.ClickAsync("#btn-publish");
        await Assertions.Expect(page.Locator("#designer-message")).ToContainTextAsync($"已发布 {ComplaintProcess} 版本 {before + 1}", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#version-select")).ToHaveValueAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine(await host.ScreenshotAsync(page, "designer-5-published"));
        Assert.Empty(host.PageErrors[page]);

        // The engine has version n+1 with what was designed.
        Assert.Equal(before + 1, await LatestVersionAsync(ComplaintProcess));
        var xml = await host.Admin.GetFromJsonAsync<string>($"/api/process-definitions/{ComplaintProcess}/versions/{before + 1}/xml");
        Assert.Contains("name=\"补充材料核对\"", xml, StringComparison.Ordinal);
        Assert.Contains("camunda:candidateGroups=\"intake_desk\"", xml, StringComparison.Ordinal);
        Assert.Contains("camunda:delegateExpression=\"${complaint.note}\"", xml, StringComparison.Ordinal);
        Assert.Contains(">已核对补充材料</camunda:inputParameter>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDesigner_SpeaksChineseFirst_AndEnglishAfterTheSwitch()
    {
        var page = await DesignerPageAsync($"/designer/?key={ComplaintProcess}");
        await Assertions.Expect(page.Locator(".djs-palette [data-action=hand-tool]")).ToHaveAttributeAsync("aria-label", "启动手动工具");
        await Assertions.Expect(page.Locator("#btn-publish")).ToHaveTextAsync("发布新版本");
        await page.Locator("[data-element-id=classify]").ClickAsync();
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-general] .bio-properties-panel-group-header")).ToContainTextAsync("常规");

        await page.ClickAsync("#cw-lang");
        await Assertions.Expect(page.Locator("#canvas")).ToHaveAttributeAsync("data-state", "ready");
        await Assertions.Expect(page.Locator("#btn-publish")).ToHaveTextAsync("Publish new version");
        await Assertions.Expect(page.Locator(".djs-palette [data-action=hand-tool]")).ToHaveAttributeAsync("aria-label", "Activate hand tool");
        await page.Locator("[data-element-id=classify]").ClickAsync();
        await Assertions.Expect(page.Locator("#properties [data-group-id=group-general] .bio-properties-panel-group-header")).ToContainTextAsync("General");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-english"));
        await page.ClickAsync("#cw-lang");
        await Assertions.Expect(page.Locator("#btn-publish")).ToHaveTextAsync("发布新版本");
    }

    [Fact]
    public async Task ATemplatesTypedField_RefusesAValueOfTheWrongType_InThePanel()
    {
        var page = await DesignerPageAsync("/designer/?key=satisfaction-survey");
        await page.ClickAsync("#btn-new");
        await Assertions.Expect(page.Locator("#canvas")).ToHaveAttributeAsync("data-state", "ready");
        await page.Locator(".djs-palette [data-action='create.task']").ClickAsync();
        var canvas = await page.Locator("#canvas").BoundingBoxAsync();
        await page.Mouse.ClickAsync(canvas!.X + 500, canvas.Y + 300);
        await page.Locator("#properties .bio-properties-panel-select-template-button").ClickAsync();
        await page.FillAsync("#template-search", "办结报告");
        await page.Locator("#template-list [data-template-id='cw.closure.record']").ClickAsync();

        var minimum = page.Locator("#properties").GetByLabel("最少签名人数 (Minimum signatures)");
        await OpenGroupContainingAsync(page, minimum);
        await Assertions.Expect(minimum).ToHaveValueAsync("2");
        await minimum.FillAsync("两个");
        await Assertions.Expect(page.Locator("#properties .bio-properties-panel-error", new() { HasTextString = "请输入整数或表达式" })).ToHaveCountAsync(1);
        output.WriteLine(await host.ScreenshotAsync(page, "designer-template-field-error"));
        await minimum.FillAsync("${requiredSignatures}");
        await Assertions.Expect(page.Locator("#properties .bio-properties-panel-error", new() { HasTextString = "请输入整数或表达式" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ACamundaModel_ShowsItsFindings_AtTheirThreeLevels()
    {
        const string camunda = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
              <bpmn:process id="camunda_levels" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:exclusiveGateway id="gate" default="toReview" />
                <bpmn:userTask id="review"><bpmn:extensionElements><camunda:taskListener event="create" class="org.example.AssignListener" /></bpmn:extensionElements></bpmn:userTask>
                <bpmn:endEvent id="end" />
                <bpmn:endEvent id="reviewed" />
                <bpmn:sequenceFlow sourceRef="start" targetRef="gate" />
                <bpmn:sequenceFlow id="toEnd" sourceRef="gate" targetRef="end"><bpmn:conditionExpression>${approved and not empty officer}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="toReview" sourceRef="gate" targetRef="review" />
                <bpmn:sequenceFlow id="done" sourceRef="review" targetRef="reviewed" />
              </bpmn:process>
              <bpmndi:BPMNDiagram id="diagram" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI">
                <bpmndi:BPMNPlane id="plane" bpmnElement="camunda_levels">
                  <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="gate_di" bpmnElement="gate"><dc:Bounds x="200" y="93" width="50" height="50" /></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="320" y="100" width="36" height="36" /></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="290" y="200" width="100" height="80" /></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="reviewed_di" bpmnElement="reviewed"><dc:Bounds x="450" y="222" width="36" height="36" /></bpmndi:BPMNShape>
                  <bpmndi:BPMNEdge id="toEnd_di" bpmnElement="toEnd"><di:waypoint x="250" y="118" /><di:waypoint x="320" y="118" /></bpmndi:BPMNEdge>
                  <bpmndi:BPMNEdge id="toReview_di" bpmnElement="toReview"><di:waypoint x="225" y="143" /><di:waypoint x="225" y="240" /><di:waypoint x="290" y="240" /></bpmndi:BPMNEdge>
                  <bpmndi:BPMNEdge id="done_di" bpmnElement="done"><di:waypoint x="390" y="240" /><di:waypoint x="450" y="240" /></bpmndi:BPMNEdge>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
        var page = await DesignerPageAsync("/designer/");
        await page.ClickAsync("#btn-new");
        await Assertions.Expect(page.Locator("#canvas")).ToHaveAttributeAsync("data-state", "ready");
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "camunda.bpmn", MimeType = "application/xml", Buffer = System.Text.Encoding.UTF8.GetBytes(camunda) });
        await Assertions.Expect(page.Locator("[data-element-id=review]")).ToBeVisibleAsync();

        await page.ClickAsync("#btn-check");

        var engine = page.Locator("#problem-list tr[data-source=engine]");
        await Assertions.Expect(page.Locator("#problem-list tr.problem-error[data-source=engine]", new() { HasTextString = "org.example.AssignListener" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#problem-list tr.problem-warning[data-source=engine]", new() { HasTextString = "Flow_start_gate" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#problem-list tr.problem-info[data-source=engine]", new() { HasTextString = "JUEL" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#problem-list tr.problem-info .badge-info")).ToHaveTextAsync("提示");
        await Assertions.Expect(page.Locator("#problem-count")).ToContainTextAsync("1 个提示");
        await Assertions.Expect(page.Locator("[data-element-id=review].cw-has-error")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-element-id=toEnd].cw-has-warning, [data-element-id=toEnd].cw-has-error")).ToHaveCountAsync(0);
        Assert.True(await engine.CountAsync() >= 3);
        output.WriteLine(await host.ScreenshotAsync(page, "designer-camunda-levels"));
    }

    [Fact]
    public async Task AProcessWithALintError_IsNotPublished_AndItsProblemsAreShownOnTheDiagram()
    {
        var page = await DesignerPageAsync("/designer/");
        await page.ClickAsync("#btn-new");
        await Assertions.Expect(page.Locator("#canvas")).ToHaveAttributeAsync("data-state", "ready");
        var key = await page.EvaluateAsync<string>("() => window.cwTest.processKey()");

        await page.ClickAsync("#btn-publish");
        await Assertions.Expect(page.Locator("#designer-message .notice-error")).ToContainTextAsync("不能发布");
        await Assertions.Expect(page.Locator("#problem-list tr.problem-error[data-source=lint]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#problem-list")).ToContainTextAsync("流程缺少结束事件");
        await Assertions.Expect(page.Locator(".bjsl-overlay").First).ToBeVisibleAsync();
        output.WriteLine(await host.ScreenshotAsync(page, "designer-lint-refused"));

        var definitions = await host.Admin.GetFromJsonAsync<JsonElement>("/api/process-definitions");
        Assert.DoesNotContain(definitions.EnumerateArray(), d => d.GetProperty("key").GetString() == key);
    }

    [Fact]
    public async Task ThePublishApi_RefusesAProcessTheEngineFindsNotExecutable()
    {
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
              <bpmn:process id="designer-broken" isExecutable="true">
                <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
                <bpmn:serviceTask id="call" camunda:delegateExpression="${no.such.activity}"><bpmn:incoming>f1</bpmn:incoming></bpmn:serviceTask>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using var response = await host.Admin.PostAsJsonAsync("/api/designer/publish", new { xml = Xml });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid-bpmn", problem.GetProperty("code").GetString());
        Assert.Contains(problem.GetProperty("findings").EnumerateArray(), f => f.GetProperty("elementId").GetString() == "call");
        using var definitions = await host.Admin.GetAsync("/api/process-definitions");
        Assert.DoesNotContain("designer-broken", await definitions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDesignersApi_IsRefusedToStaffWhoAreNotAdministrators_AndToTheSignedOut()
    {
        const string user = "web-designer-desk";
        await host.CreateUserAsync(user, "desk_officer", "leader");
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, user, WebHostFixture.DemoPassword);
        string[] reads = ["/api/designer/element-templates", "/api/designer/task-groups", "/api/designer/assignees", "/api/designer/drafts", "/api/designer/forms", "/api/designer/forms/mediation"];
        foreach (var path in reads)
        {
            var refused = await page.APIRequest.GetAsync(path);
            Assert.True(refused.Status == 403, $"{path}: {refused.Status}");
        }

        // With the header the pages send (CrossSiteRequestGuard), so that the refusal is the role's.
        var save = await page.APIRequest.PutAsync("/api/designer/drafts/complaint-handling", new() { DataObject = new { xml = "<x/>", revision = 0 }, Headers = WebHostFixture.PageHeaders });
        Assert.Equal(403, save.Status);
        Assert.Contains("\"forbidden\"", await save.TextAsync(), StringComparison.Ordinal);
        var publish = await page.APIRequest.PostAsync("/api/designer/publish", new() { DataObject = new { xml = "<x/>" }, Headers = WebHostFixture.PageHeaders });
        Assert.Equal(403, publish.Status);
        var deploy = await page.APIRequest.PostAsync("/api/process-definitions", new() { Data = "<x/>", Headers = new Dictionary<string, string>(WebHostFixture.PageHeaders) { ["Content-Type"] = "application/xml" } });
        Assert.Equal(403, deploy.Status);

        using var anonymous = new HttpClient { BaseAddress = host.BaseUrl };
        foreach (var path in reads)
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task ADraft_IsSavedOnTheServer_AndReopensWithItsChanges()
    {
        var page = await DesignerPageAsync("/designer/?key=satisfaction-survey");
        await page.Locator(".djs-shape[data-element-id]").Nth(1).ClickAsync();
        await SetNameAsync(page, "草稿中改的名字");
        await Assertions.Expect(page.Locator("#designer-status")).ToHaveTextAsync("有未保存的修改");
        await page.ClickAsync("#btn-save");
        await Assertions.Expect(page.Locator("#designer-message .notice-success")).ToContainTextAsync("草稿已保存");

        var again = await DesignerPageAsync("/designer/?key=satisfaction-survey&version=draft");
        await Assertions.Expect(again.Locator("#designer-message")).ToContainTextAsync("已打开 satisfaction-survey 草稿");
        await Assertions.Expect(again.Locator(".djs-shape", new() { HasTextString = "草稿中改的名字" })).ToHaveCountAsync(1);
        await Assertions.Expect(again.Locator("#process-select option:checked")).ToContainTextAsync("（有草稿）");

        // Saving from the first page now would overwrite the second's: the server refuses the stale revision.
        var stale = await again.APIRequest.PutAsync("/api/designer/drafts/satisfaction-survey", new() { DataObject = new { xml = "<x/>", revision = 0 }, Headers = WebHostFixture.PageHeaders });
        Assert.Equal(409, stale.Status);
        await again.ClickAsync("#btn-discard");
        await Assertions.Expect(again.Locator("#designer-message .notice-success")).ToContainTextAsync("草稿已丢弃");
    }

    [Fact]
    public async Task AnImportedProcess_GetsAFormDesignedWithFormJs_PublishedBesideIt_AndExportsAsBpmn()
    {
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
              <bpmn:process id="designer-form-demo" name="表单演示" isExecutable="true">
                <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
                <bpmn:userTask id="callBack" name="电话回访" camunda:candidateGroups="intake_desk"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
                <bpmn:endEvent id="end" name="结束"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="callBack" />
                <bpmn:sequenceFlow id="f2" sourceRef="callBack" targetRef="end" />
              </bpmn:process>
              <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="designer-form-demo">
                <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
                <bpmndi:BPMNShape id="callBack_di" bpmnElement="callBack"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
                <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
                <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
                <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
              </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
        var file = Path.Combine(Path.GetTempPath(), $"designer-form-demo-{Guid.NewGuid():N}.bpmn");
        await File.WriteAllTextAsync(file, Xml);
        var page = await DesignerPageAsync("/designer/");
        await page.SetInputFilesAsync("#import-file", file);
        await Assertions.Expect(page.Locator("#designer-message")).ToContainTextAsync("已打开 designer-form-demo");
        File.Delete(file);

        // The user task's form, designed in form-js's editor: a text field dragged from its palette.
        await page.Locator("[data-element-id=callBack]").ClickAsync();
        await OpenGroupAsync(page, "group-cwForm");
        await Assertions.Expect(page.Locator(".cw-form-key")).ToHaveTextAsync("尚未关联表单");
        await page.ClickAsync("#cw-design-form");
        var editor = page.Locator("#form-designer");
        await Assertions.Expect(editor.Locator(".fjs-palette-field[data-field-type=textfield]")).ToBeVisibleAsync();
        await editor.Locator(".fjs-palette-field[data-field-type=textfield]").DragToAsync(editor.Locator(".fjs-drop-container-vertical").First);
        await Assertions.Expect(editor.Locator(".fjs-form-field-textfield")).ToHaveCountAsync(1);
        await page.FillAsync("#form-key", "designer-call-back");
        output.WriteLine(await host.ScreenshotAsync(page, "designer-form-editor"));
        await page.ClickAsync("#form-save");
        await Assertions.Expect(page.Locator(".cw-form-key")).ToHaveTextAsync("camunda-forms:deployment:designer-call-back.form");

        // Export gives the .bpmn file with the form key.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#btn-export"));
        Assert.Equal("designer-form-demo.bpmn", download.SuggestedFilename);
        var exported = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("camunda:formKey=\"camunda-forms:deployment:designer-call-back.form\"", exported, StringComparison.Ordinal);

        await page.ClickAsync("#btn-publish");
        await Assertions.Expect(page.Locator("#designer-message")).ToContainTextAsync("已发布 designer-form-demo 版本 1", new() { Timeout = 30_000 });
        var form = await host.Admin.GetFromJsonAsync<JsonElement>("/api/designer/forms/designer-call-back");
        Assert.Equal("textfield", form.GetProperty("components").EnumerateArray().Single().GetProperty("type").GetString());
        var forms = await host.Admin.GetFromJsonAsync<JsonElement>("/api/designer/forms");
        Assert.Contains(forms.EnumerateArray(), f => f.GetProperty("key").GetString() == "designer-call-back" && f.GetProperty("source").GetString() == "designer");
        Assert.Empty(host.PageErrors[page]);
    }

    private async Task<IPage> DesignerPageAsync(string url)
    {
        var page = await host.NewPageAsync(wide: true);
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                output.WriteLine($"console {m.Type}: {m.Text}");
            }
        };
        await WebHostFixture.SignInAsAdminAsync(page, url);
        await Assertions.Expect(page.Locator("#canvas")).ToHaveAttributeAsync("data-state", "ready");
        return page;
    }

    private async Task<int> LatestVersionAsync(string key)
    {
        var definitions = await host.Admin.GetFromJsonAsync<JsonElement>("/api/process-definitions");
        return definitions.EnumerateArray().Where(d => d.GetProperty("key").GetString() == key).Max(d => d.GetProperty("version").GetInt32());
    }

    /// <summary>Takes a task from the palette and drops it on the visible middle of a sequence flow (bpmn-js splits the flow); answers its id.</summary>
    private static async Task<string> InsertTaskOnFlowAsync(IPage page, string flowId)
    {
        var point = await page.EvaluateAsync<JsonElement>("id => window.cwTest.dropPointOn(id)", flowId);
        await page.Locator(".djs-palette [data-action='create.task']").ClickAsync();
        await page.Mouse.MoveAsync(point.GetProperty("x").GetSingle() - 30, point.GetProperty("y").GetSingle() + 30, new() { Steps = 4 });
        await page.Mouse.MoveAsync(point.GetProperty("x").GetSingle(), point.GetProperty("y").GetSingle(), new() { Steps = 4 });
        await page.Mouse.ClickAsync(point.GetProperty("x").GetSingle(), point.GetProperty("y").GetSingle());
        var created = page.Locator(".djs-shape.selected");
        await Assertions.Expect(created).ToHaveCountAsync(1);
        return (await created.GetAttributeAsync("data-element-id"))!;
    }

    private static async Task SetNameAsync(IPage page, string name)
    {
        await OpenGroupAsync(page, "group-general");
        var field = page.Locator("#bio-properties-panel-name");
        await field.FillAsync(name);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#properties .bio-properties-panel-header")).ToContainTextAsync(name);
    }

    private static async Task OpenGroupAsync(IPage page, string groupId)
    {
        var group = page.Locator($"#properties [data-group-id={groupId}]");
        if (!await group.Locator(".bio-properties-panel-group-entries.open").IsVisibleAsync())
        {
            await group.Locator(".bio-properties-panel-group-header").ClickAsync();
        }
    }

    private static async Task OpenGroupContainingAsync(IPage page, ILocator field)
    {
        if (!await field.IsVisibleAsync())
        {
            var headers = page.Locator("#properties .bio-properties-panel-group-header:not(.open)");
            for (var i = await headers.CountAsync() - 1; i >= 0 && !await field.IsVisibleAsync(); i--)
            {
                await headers.Nth(i).ClickAsync();
            }
        }
    }
}
