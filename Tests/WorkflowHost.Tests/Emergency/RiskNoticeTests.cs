using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class RiskNoticeTests : IDisposable
{
    private const string Salon = "鹿城区美丽人生美容院";
    private const string SalonAddress = "温州市鹿城区五马街道解放街66号";
    private static readonly int[] DaysAgo = [300, 200, 100, 10];
    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task FifthComplaintInAYear_GeneratesARiskNoticeFromTheTemplate_ReviewedByALeader_SentAndCopiedToTheRegulator()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using (var regulator = await kit.SendAsync(HttpMethod.Post, "/api/admin/regulators", new { industry = "美容美发", name = "温州市商务局", email = "fwc@wzsw.example.cn" }))
        {
            Assert.Equal(HttpStatusCode.Created, regulator.StatusCode);
        }

        using (var bad = await kit.SendAsync(HttpMethod.Put, "/api/admin/risk-notice-template", new { subject = "风险提示函", body = "{respondentName}：{unknownThing}" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("{unknownThing}", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var good = await kit.SendAsync(HttpMethod.Put, "/api/admin/risk-notice-template", new
        {
            subject = "风险提示函",
            body = "风险提示函 {number}\n{respondentName}：\n{from}至{to}，本中心共收到涉及你单位的投诉{complaintCount}件，主要反映{problemTypes}问题。请于15日内整改并书面反馈。\n抄送：{regulatorName}\n{centreName}\n{date}",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }

        var now = _host.Time.GetUtcNow();
        foreach (var (days, i) in DaysAgo.Select((d, i) => (d, i)))
        {
            await kit.FileAsync(Salon, SalonAddress, "在美容院办理的美容项目效果与宣传不符，商家拒绝退款。", $"1370577{i:0000}", request: "要求退款", receivedAt: now.AddDays(-days));
        }

        await kit.RunRoundAsync();
        Assert.Equal(0, (await kit.GetAsync("/api/risk-notices")).GetArrayLength());

        await kit.FileAsync(Salon, SalonAddress, "美容院办卡后项目缩水，商家拒绝退款。", "13705779999", request: "要求退款");
        var round = await kit.RunRoundAsync();
        Assert.Equal(1, round.GetProperty("riskNotices").GetInt32());
        var notices = await kit.GetAsync("/api/risk-notices");
        Assert.Equal(1, notices.GetArrayLength());
        var notice = notices[0];
        Assert.Equal("InReview", notice.GetProperty("status").GetString());
        var letter = notice.GetProperty("letterText").GetString()!;
        Assert.StartsWith("风险提示函 FX", letter, StringComparison.Ordinal);
        Assert.Contains(Salon + "：", letter, StringComparison.Ordinal);
        Assert.Contains("投诉5件", letter, StringComparison.Ordinal);
        Assert.Contains("抄送：温州市商务局", letter, StringComparison.Ordinal);
        Assert.Contains("温州市12315投诉举报中心", letter, StringComparison.Ordinal);

        // Another round and another complaint: no second notice while this one is in force.
        await kit.FileAsync(Salon, SalonAddress, "美容项目收费不透明。", "13705778888", request: "要求退款");
        await kit.RunRoundAsync();
        Assert.Equal(1, (await kit.GetAsync("/api/risk-notices")).GetArrayLength());

        // The district bureau's leader reviews it, changes a sentence and sends it.
        var instanceId = notice.GetProperty("processInstanceId").GetString()!;
        var review = await kit.TaskAsync(instanceId, "leaderReview");
        Assert.Equal("lc-leader", review.Assignee);
        var edited = letter.Replace("请于15日内整改", "请于10日内整改", StringComparison.Ordinal);
        await kit.CompleteAsync(instanceId, "leaderReview", new { reviewDecision = "send", letterText = edited, reviewComment = "整改时限改为10日" });

        var sent = await kit.GetAsync($"/api/risk-notices/{notice.GetProperty("id").GetString()}");
        Assert.Equal("Sent", sent.GetProperty("status").GetString());
        Assert.Contains("请于10日内整改", sent.GetProperty("letterText").GetString()!, StringComparison.Ordinal);
        Assert.Equal("lc-leader", sent.GetProperty("reviewedBy").GetString());
        var copy = Assert.Single(kit.Notifications(), n => n.Template == "risk.notice-copy");
        Assert.Equal("fwc@wzsw.example.cn", copy.Email);
        Assert.Equal(MessageChannel.Email, copy.Channel);
    }

    public void Dispose() => _host.Dispose();
}
