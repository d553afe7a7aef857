using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class SurgeAndOpinionTests : IDisposable
{
    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task HourlyIntakeAboveThreeTimesItsUsualLevel_RaisesOneSurge_WithMoreStaffInsteadOfOnSiteResponse()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using (var settings = await kit.SendAsync(HttpMethod.Put, "/api/admin/emergency/settings", new
        {
            groupThreshold = 5, groupWindowHours = 72, groupMatch = "RespondentAndProblemType", surgeMultiple = 3.0, surgeMinimumPerHour = 10, surgeBaselineDays = 1,
            riskThreshold = 5, riskWindowDays = 365, opinionBlueHours = 120, opinionYellowHours = 72, opinionOrangeHours = 24, opinionRedHours = 24,
        }))
        {
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }

        // A usual day: one complaint an hour, each about another shop.
        var now = _host.Time.GetUtcNow();
        for (var h = 23; h >= 2; h--)
        {
            await kit.FileAsync($"鹿城区第{h}号便利店", "温州市鹿城区五马街道解放街" + h + "号", "买到过期面包，商家拒绝退换。", $"1380577{h:0000}", request: "要求退款", receivedAt: now.AddHours(-h));
        }

        for (var i = 0; i < 9; i++)
        {
            await kit.FileAsync($"瓯海区第{i}号超市", "温州市瓯海区梧田街道锦绣路" + i + "号", "购买的牛奶变质，要求退款。", $"1360577{i:0000}", request: "要求退款");
        }

        var quiet = await kit.RunRoundAsync();
        Assert.False(quiet.GetProperty("surge").GetBoolean());
        Assert.Equal(0, (await kit.IncidentsAsync("kind=VolumeSurge")).GetArrayLength());

        for (var i = 9; i < 14; i++)
        {
            await kit.FileAsync($"瓯海区第{i}号超市", "温州市瓯海区梧田街道锦绣路" + i + "号", "购买的牛奶变质，要求退款。", $"1360577{i:0000}", request: "要求退款");
        }

        var surge = await kit.RunRoundAsync();
        Assert.True(surge.GetProperty("surge").GetBoolean());
        await kit.FileAsync("瓯海区第99号超市", "温州市瓯海区梧田街道锦绣路99号", "购买的牛奶变质，要求退款。", "13605779999", request: "要求退款");
        var again = await kit.RunRoundAsync();
        Assert.False(again.GetProperty("surge").GetBoolean());
        var surges = await kit.IncidentsAsync("kind=VolumeSurge");
        Assert.Equal(1, surges.GetArrayLength());

        // 14 in the last hour against about one an hour: level II (10x and more), more staff rather than an on-site task.
        var file = await kit.IncidentFileAsync(surges[0].GetProperty("id").GetString()!);
        Assert.Equal("II", file.GetProperty("incident").GetProperty("level").GetString());
        Assert.Equal(14, file.GetProperty("surgeCount").GetInt32());
        var instanceId = file.GetProperty("processInstanceId").GetString()!;
        Assert.Contains(file.GetProperty("openTasks").EnumerateArray(), t => t.GetProperty("elementId").GetString() == "staffing");
        Assert.DoesNotContain(file.GetProperty("openTasks").EnumerateArray(), t => t.GetProperty("elementId").GetString() is "onSite" or "jointEnforcement");

        // Level II: the upward report is due within 2 hours.
        var report = await kit.TaskAsync(instanceId, "upwardReport");
        Assert.Equal(_host.Time.GetUtcNow().AddHours(2), report.DueDate!.Value, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("blue", 120)]
    [InlineData("yellow", 72)]
    [InlineData("orange", 24)]
    [InlineData("red", 24)]
    public async Task PublicOpinionItem_GetsItsGradesReportDeadline_WithAWarningAndTheLeadersSupervisionWhenItPasses(string grade, int hours)
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using var created = await kit.SendAsync(HttpMethod.Post, "/api/emergency/opinions", new
        {
            title = "网传某小区团购熟食致多人腹泻", grade, source = "微博 @温州身边事", summary = "网帖称购买后多人腹泻，转发量较大。", respondentName = "鹿城区好味熟食店",
        }, "zx-desk-a");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var file = await kit.IncidentFileAsync(id);
        Assert.Equal(grade, file.GetProperty("incident").GetProperty("opinionGrade").GetString());
        var instanceId = file.GetProperty("processInstanceId").GetString()!;
        var start = _host.Time.GetUtcNow();

        var investigate = await kit.TaskAsync(instanceId, "investigate");
        Assert.Equal(start.AddHours(hours), investigate.DueDate!.Value, TimeSpan.FromSeconds(1));
        Assert.Contains(kit.Notifications(), n => n.Key.Contains(":alert:zx-leader:", StringComparison.Ordinal));

        // Before 80% nothing; at 80% the warning goes to the investigators.
        await _host.AdvanceAsync(TimeSpan.FromHours(hours * 0.8) - TimeSpan.FromMinutes(5));
        Assert.DoesNotContain("warning", EmergencyKit.EventKinds(await kit.IncidentFileAsync(id)));
        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Contains("warning", EmergencyKit.EventKinds(await kit.IncidentFileAsync(id)));
        Assert.Contains(kit.Notifications(), n => n.Key.Contains(":warning:", StringComparison.Ordinal) && n.UserName == investigate.CandidateUsers[0]);

        // When it passes, the leader supervises (督办).
        Assert.Empty(await _host.Engine.GetTasksAsync(new ComplaintWorkflows.Engine.Runtime.TaskQuery(ProcessInstanceId: instanceId, ElementId: "supervise")));
        await _host.AdvanceAsync(TimeSpan.FromHours(hours * 0.2));
        var supervise = await kit.TaskAsync(instanceId, "supervise");
        Assert.Equal("zx-leader", supervise.Assignee);
        Assert.Contains(kit.Notifications(), n => n.Key.Contains(":overdue:zx-leader:", StringComparison.Ordinal));
        await kit.CompleteAsync(instanceId, "supervise", new { supervisionNote = "立即组织核查，今日内报告。" });
        await kit.CompleteAsync(instanceId, "investigate", new { investigationFindings = "抽检熟食菌落总数超标。", measures = "责令停业整改，立案调查。" });
        Assert.Contains("supervision", EmergencyKit.EventKinds(await kit.IncidentFileAsync(id)));
        Assert.Contains("opinionReport", EmergencyKit.EventKinds(await kit.IncidentFileAsync(id)));
    }

    [Fact]
    public async Task PublicOpinionWithAnUnknownGrade_IsRefusedNamingTheGrade()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using var refused = await kit.SendAsync(HttpMethod.Post, "/api/emergency/opinions", new { title = "x", grade = "purple" }, "zx-desk-a");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("grade", out _));
        using var consumer = await kit.SendAsync(HttpMethod.Post, "/api/emergency/opinions", new { title = "x", grade = "red" }, "consumer:c1");
        Assert.Equal(HttpStatusCode.Forbidden, consumer.StatusCode);
    }

    public void Dispose() => _host.Dispose();
}
