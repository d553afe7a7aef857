using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class DrillTests : IDisposable
{
    private static readonly string[] Nobody = ["nobody-here"];
    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task Drill_RunsThePlansTasksForItsParticipants_NotifiesNobodyElse_AndRecordsTheDrillReview()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        string[] participants = ["oh-leader", "oh-desk-a", "oh-joint-a"];
        using var created = await kit.SendAsync(HttpMethod.Post, "/api/emergency/drills", new
        {
            title = "预付卡跑路群体投诉应急演练", respondentName = "瓯海区演练健身房", respondentAddress = "温州市瓯海区娄桥街道古莲路1号", level = "III", prepaidCard = true, participants,
        }, "oh-leader");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var file = await kit.IncidentFileAsync(id);
        Assert.True(file.GetProperty("incident").GetProperty("isDrill").GetBoolean());
        var instanceId = file.GetProperty("processInstanceId").GetString()!;

        // The same tasks as a real plan, offered to the participants only.
        var open = file.GetProperty("openTasks").EnumerateArray().Select(t => t.GetProperty("elementId").GetString()).ToList();
        foreach (var element in new[] { "onSite", "upwardReport", "jointEnforcement", "representatives", "communication" })
        {
            Assert.Contains(element, open);
            Assert.Equal(participants.Order(StringComparer.Ordinal), (await kit.TaskAsync(instanceId, element)).CandidateUsers.Order(StringComparer.Ordinal));
        }

        Assert.Contains(file.GetProperty("events").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("【演练】", StringComparison.Ordinal));

        // Let the report go overdue: the supervision notice goes to the drill's leader, nobody else.
        await _host.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.Equal("oh-leader", (await kit.TaskAsync(instanceId, "superviseReport")).Assignee);
        await kit.CompleteAsync(instanceId, "superviseReport", new { supervisionNote = "演练：督办信息报送。" });
        await kit.CompleteAsync(instanceId, "upwardReport", new { occurredAt = "演练开始时", place = "古莲路1号", peopleInvolved = "模拟消费者 30 名", scope = "娄桥街道", measures = "演练处置", level = "III" });
        await kit.CompleteAsync(instanceId, "onSite", new { onSiteSummary = "演练：到场处置。" });
        await kit.CompleteAsync(instanceId, "jointEnforcement", new { jointActions = "演练：联合执法。" });
        await kit.CompleteAsync(instanceId, "representatives", new { representatives = "模拟代表甲、模拟代表乙" });
        await kit.CompleteAsync(instanceId, "communication", new { communicationNote = "演练：通报进展。" });
        await kit.CompleteAsync(instanceId, "deEscalate", new { deEscalationNote = "演练结束。" });
        await kit.CompleteAsync(instanceId, "review", new { summary = "演练总体顺利。", lessons = "信息报送超时，需明确报送责任人。" });

        var sent = kit.Notifications();
        Assert.NotEmpty(sent);
        Assert.All(sent, n => Assert.Contains(n.UserName, participants));
        Assert.All(sent, n => Assert.True(n.Drill));
        Assert.Contains(sent, n => n.Key.Contains(":alert:", StringComparison.Ordinal));

        file = await kit.IncidentFileAsync(id);
        Assert.Equal("Closed", file.GetProperty("incident").GetProperty("status").GetString());
        Assert.Contains("drill-review", EmergencyKit.EventKinds(file));
        Assert.Equal("信息报送超时，需明确报送责任人。", file.GetProperty("lessons").GetString());

        // A drill opens no real incident key: a real group complaint about the same shop is not blocked.
        Assert.Equal(0, (await kit.IncidentsAsync("kind=GroupComplaint")).GetArrayLength());
    }

    [Fact]
    public async Task DrillWithoutParticipants_IsRefused()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using var refused = await kit.SendAsync(HttpMethod.Post, "/api/emergency/drills", new { title = "演练", participants = Nobody }, "zx-leader");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("nobody-here", (await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(kit.Notifications());
    }

    public void Dispose() => _host.Dispose();
}
