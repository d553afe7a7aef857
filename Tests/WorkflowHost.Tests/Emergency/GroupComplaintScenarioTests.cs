using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class GroupComplaintScenarioTests : IDisposable
{
    private const string Shop = "瓯海区乐活健身会所";
    private const string ShopAddress = "温州市瓯海区娄桥街道古莲路100号";
    private const string Facts = "我在乐活健身会所办理了年卡（预付卡），充值3000元，今天去锻炼发现店铺突然关门，老板失联，疑似跑路，剩余课程无法使用。";

    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task SixPrepaidCardComplaintsInADay_StartOneEmergencyPlan_NotifyEachLeaderOnce_AndRouteToTheJointEnforcementGroup()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await kit.FileAsync(Shop, ShopAddress, Facts, $"1390577{i:0000}", name: $"消费者{i}"));
            var round = await kit.RunRoundAsync();
            var incidents = await kit.IncidentsAsync("kind=GroupComplaint");

            // Four consumers are no group complaint; the fifth opens it; the sixth joins it.
            Assert.Equal(i < 4 ? 0 : 1, incidents.GetArrayLength());
            Assert.Equal(i == 4 ? 1 : 0, round.GetProperty("incidentsOpened").GetInt32());
            await _host.AdvanceAsync(TimeSpan.FromHours(2));
        }

        var incident = (await kit.IncidentsAsync("kind=GroupComplaint"))[0];
        var incidentId = incident.GetProperty("id").GetString()!;
        Assert.True(incident.GetProperty("prepaidCard").GetBoolean());
        Assert.Equal("IV", incident.GetProperty("level").GetString());
        Assert.Equal(6, incident.GetProperty("complaintCount").GetInt32());
        Assert.Equal(6, incident.GetProperty("consumerCount").GetInt32());

        // Two rounds at once change nothing.
        await Task.WhenAll(kit.RunRoundAsync(), kit.RunRoundAsync());
        Assert.Equal(1, (await kit.IncidentsAsync()).GetArrayLength());

        // The leadership group (the centre's and the district bureau's leaders) and the office: one SMS and one email each.
        var alerts = kit.Notifications().Where(n => n.Key.Contains(":alert:", StringComparison.Ordinal)).ToList();
        string[] expected = ["oh-leader", "zx-desk-a", "zx-desk-b", "zx-leader"];
        Assert.Equal(expected, alerts.Select(n => n.UserName!).Distinct().Order(StringComparer.Ordinal));
        foreach (var person in expected)
        {
            Assert.True(alerts.Count(n => n.UserName == person && n.Channel == MessageChannel.Sms) == 1, string.Join("\n", alerts) + "\n" + string.Join("\n", (await kit.IncidentFileAsync(incidentId)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("text").GetString())));
            Assert.True(alerts.Count(n => n.UserName == person && n.Channel == MessageChannel.Email) == 1, string.Join("\n", (await kit.IncidentFileAsync(incidentId)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("text").GetString())));
        }

        Assert.All(alerts, n => Assert.False(n.Drill));

        // The incident file lists the complaints; each complaint's file names the incident.
        var file = await kit.IncidentFileAsync(incidentId);
        Assert.Equal(6, file.GetProperty("complaints").GetArrayLength());
        Assert.DoesNotContain(file.GetProperty("complaints").EnumerateArray(), c => c.GetProperty("consumerName").GetString() == "消费者1");
        var complaintFile = await new ComplaintScenario(_host).FileOfAsync(ids[0]);
        Assert.Equal(incidentId, complaintFile.GetProperty("incidents")[0].GetProperty("id").GetString());
        Assert.Contains("incident-joined", ComplaintScenario.TimelineKinds(complaintFile));

        // The prepaid-card run-off goes to the district's joint enforcement group, who see it in their inbox.
        var instanceId = file.GetProperty("processInstanceId").GetString()!;
        var joint = await kit.TaskAsync(instanceId, "jointEnforcement");
        Assert.Equal(["oh-joint-a", "oh-joint-b"], joint.CandidateUsers.Order(StringComparer.Ordinal));
        var inbox = await kit.GetAsync("/api/inbox/tasks", "oh-joint-a");
        Assert.Contains(inbox.EnumerateArray(), t => t.GetProperty("id").GetString() == joint.Id);

        // A seventh complaint joins the same incident.
        var seventh = await kit.FileAsync(Shop, ShopAddress, Facts + "我是第七位。", "13905779999", name: "王先生");
        await kit.RunRoundAsync();
        Assert.Equal(1, (await kit.IncidentsAsync()).GetArrayLength());
        file = await kit.IncidentFileAsync(incidentId);
        Assert.Equal(7, file.GetProperty("complaints").GetArrayLength());
        Assert.Equal(7, file.GetProperty("incident").GetProperty("complaintCount").GetInt32());
        Assert.Equal(incidentId, (await new ComplaintScenario(_host).FileOfAsync(seventh)).GetProperty("incidents")[0].GetProperty("id").GetString());
        Assert.Equal(4, kit.Notifications().Where(n => n.Key.Contains(":alert:", StringComparison.Ordinal)).Select(n => n.UserName).Distinct().Count());

        // The upward report is due in 24 hours (level IV) and warned at 80%.
        var report = await kit.TaskAsync(instanceId, "upwardReport");
        Assert.NotNull(report.DueDate);
        await _host.AdvanceAsync(TimeSpan.FromHours(20));
        Assert.Contains("warning", EmergencyKit.EventKinds(await kit.IncidentFileAsync(incidentId)));

        // The host's poller fires the due timers as the test does, at the same moment (as two hosts would): the steps
        // race, and the one that loses is run again; none fails on the incident record the other wrote, none records twice.
        Assert.Single(EmergencyKit.EventKinds(await kit.IncidentFileAsync(incidentId)), k => k == "warning");
        Assert.Empty(await _host.Engine.GetIncidentsAsync(instanceId));

        // The report needs time, place, people involved, scope and measures.
        var task = await kit.TaskAsync(instanceId, "upwardReport");
        using (var incomplete = await kit.SendAsync(HttpMethod.Post, $"/api/inbox/tasks/{task.Id}/complete", new { variables = new { occurredAt = "2026-11-23 10:00", level = "IV" } }, "zx-desk-a"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            var errors = (await incomplete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            foreach (var field in new[] { "place", "peopleInvolved", "scope", "measures" })
            {
                Assert.True(errors.TryGetProperty(field, out _), field);
            }
        }

        await kit.CompleteAsync(instanceId, "upwardReport", new
        {
            occurredAt = "2026-11-23 10:00 起", place = ShopAddress, peopleInvolved = "办卡消费者约 7 名，经营者失联",
            scope = "瓯海区娄桥街道，涉及预付款约 2.1 万元", measures = "已派员到场，联系经营者，联合执法小组介入", level = "IV",
        }, "zx-desk-a");
        await kit.CompleteAsync(instanceId, "onSite", new { onSiteSummary = "执法人员到场，店铺关闭，张贴告示，登记消费者信息。", staffSent = "胡明杰、朱丽华" });
        await kit.CompleteAsync(instanceId, "jointEnforcement", new { jointActions = "联合公安、商务部门查找经营者，冻结账户。", assetsSecured = "器材清点封存" });
        await kit.CompleteAsync(instanceId, "representatives", new { representatives = "消费者1、消费者2、消费者3" });
        await kit.CompleteAsync(instanceId, "communication", new { communicationNote = "已电话告知全部投诉人处置进展。" }, "zx-desk-b");
        Assert.Equal("oh-leader", await kit.CompleteAsync(instanceId, "deEscalate", new { deEscalationNote = "经营者已到案，承诺退款，事态平稳。" }));
        await kit.CompleteAsync(instanceId, "review", new { summary = "处置及时，未引发聚集。", lessons = "预付卡经营者应纳入日常风险监测。", planImprovements = "增加预付卡专项条款" }, "zx-desk-a");

        file = await kit.IncidentFileAsync(incidentId);
        Assert.Equal("Closed", file.GetProperty("incident").GetProperty("status").GetString());
        Assert.Equal("消费者1、消费者2、消费者3", file.GetProperty("representatives").GetString());
        Assert.Equal("预付卡经营者应纳入日常风险监测。", file.GetProperty("lessons").GetString());
        var kinds = EmergencyKit.EventKinds(file);
        foreach (var kind in new[] { "raised", "graded", "notified", "deadline", "report", "onSite", "joint", "representatives", "communication", "deEscalation", "review", "closed" })
        {
            Assert.Contains(kind, kinds);
        }

        var reportEvent = file.GetProperty("events").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "report").GetProperty("text").GetString()!;
        Assert.Contains("地点：" + ShopAddress, reportEvent, StringComparison.Ordinal);

        // Closed: a new situation with the same shop would open a new incident (the open key is released).
        Assert.Null(await _host.Services.GetRequiredService<IncidentService>().FindOpenAsync(IncidentDetector.GroupKey(Shop, file.GetProperty("incident").GetProperty("matter").GetString())));
    }

    [Fact]
    public async Task TwoHostsOpeningTheSameIncidentAtOnce_OpenOne()
    {
        var incidents = _host.Services.GetRequiredService<IncidentService>();
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        var id = await kit.FileAsync(Shop, ShopAddress, Facts, "13905770001");
        var drafts = Enumerable.Range(0, 4).Select(_ =>
        {
            var d = incidents.New(IncidentKind.GroupComplaint, "并发测试", "group:race", "test");
            d.RespondentName = Shop;
            return d;
        }).ToList();
        var results = await Task.WhenAll(drafts.Select(d => incidents.OpenOrJoinAsync(d, [id])));
        Assert.Single(results, r => r.Opened);
        Assert.Single(results.Select(r => r.Incident.Id).Distinct());
        Assert.Equal(1, (await kit.IncidentsAsync()).GetArrayLength());
    }

    public void Dispose() => _host.Dispose();
}
