using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Organisation;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>Each complaint path of the process from intake to its end, through the API, on a fake clock.</summary>
public sealed class ComplaintScenarioTests : IDisposable
{
    private const string PhoneDefect = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。";

    private readonly ComplaintHost _host = new();

    private ComplaintScenario Scenario => new(_host);

    [Fact]
    public async Task Refused_WithAGround_EndsAndTellsTheConsumerWhy()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect, consumer: "consumer:c2");
        await s.ConfirmDispatchAsync(id);

        const string ground = "知道或应当知道权益受侵害之日起超过三年";
        await s.CompleteAsync(id, "acceptanceDecision", new { acceptance = "refuse", refusalGround = ground, refusalNote = "购买时间为 2021 年，已超过三年。" });

        var file = await s.FileOfAsync(id, "consumer:c2");
        Assert.Equal("Refused", file.GetProperty("complaint").GetProperty("status").GetString());
        Assert.Equal(ground, file.GetProperty("complaint").GetProperty("refusalGround").GetString());
        Assert.Contains(file.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains(ground, StringComparison.Ordinal));
        Assert.Empty(await _host.Engine.GetTasksAsync());
    }

    [Fact]
    public async Task Returned_ByTheUnit_IsReDispatchedByTheIntakeCentre_ToAnotherUnit()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);

        await s.CompleteAsync(id, "acceptanceDecision", new { acceptance = "return", returnReason = "被投诉方实际经营地在娄桥，不属本所辖区" });

        var returned = await s.FileOfAsync(id);
        Assert.Equal("Registered", returned.GetProperty("complaint").GetProperty("status").GetString());
        Assert.Equal(1, returned.GetProperty("complaint").GetProperty("returnCount").GetInt32());
        Assert.Contains("returned", ComplaintScenario.TimelineKinds(returned));

        await s.ConfirmDispatchAsync(id, new { unitId = "wz-ouhai-loujiao", handler = "lq-handler" });
        var decision = await s.TaskAsync(id, "acceptanceDecision");
        Assert.Contains("desk_officer@wz-ouhai-loujiao", decision.CandidateGroups);
        await s.AcceptAsync(id);

        var mediate = await s.TaskAsync(id, "mediate");
        Assert.Equal("lq-handler", mediate.Assignee);
        var file = await s.FileOfAsync(id);
        var dispatched = file.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "dispatched").Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(2, dispatched.Count);
        Assert.Contains("娄桥", dispatched[1], StringComparison.Ordinal);
        Assert.Equal("wz-ouhai-loujiao", file.GetProperty("complaint").GetProperty("unitId").GetString());
        Assert.Equal("Accepted", file.GetProperty("complaint").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mediation_IsTerminatedAtItsDeadline_AndStillClosedThroughTheTwoLevelReview()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);

        // Order 121: mediation ends without agreement 60 days after acceptance.
        await _host.AdvanceAsync(TimeSpan.FromDays(59));
        Assert.NotNull(await s.FindTaskAsync(id, "mediate"));
        await _host.AdvanceAsync(TimeSpan.FromDays(2));

        Assert.Null(await s.FindTaskAsync(id, "mediate"));
        var terminated = await s.FileOfAsync(id);
        Assert.Equal("Terminated", terminated.GetProperty("complaint").GetProperty("status").GetString());
        Assert.Contains("terminated", ComplaintScenario.TimelineKinds(terminated));

        await s.CloseRecordAsync(id, succeeded: false);
        await s.CompleteAsync(id, "deskReview", new { decision = "approve" });
        var closed = await s.FileOfAsync(id);
        Assert.Equal("Closed", closed.GetProperty("complaint").GetProperty("status").GetString());
        Assert.False(closed.GetProperty("complaint").GetProperty("mediationSucceeded").GetBoolean());
    }

    [Fact]
    public async Task HandlingDeadline_WarnsAt80Percent_ThenRaisesASupervisionTaskForTheLeader_WhenItPasses()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);
        var accepted = await s.FileOfAsync(id);
        var due = accepted.GetProperty("complaint").GetProperty("handlingDueAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(8)), due); // the end (24:00) of Thursday 26th

        await _host.AdvanceToAsync(ComplaintHost.Start + (due - ComplaintHost.Start) * 0.8 + TimeSpan.FromMinutes(5));
        var warned = await s.FileOfAsync(id);
        Assert.Contains("handling-warning", ComplaintScenario.TimelineKinds(warned));
        Assert.DoesNotContain("supervision", ComplaintScenario.TimelineKinds(warned));
        Assert.False(warned.GetProperty("complaint").GetProperty("overdue").GetBoolean());

        await _host.AdvanceToAsync(due + TimeSpan.FromMinutes(1));
        var supervise = await s.TaskAsync(id, "supervise");
        Assert.Equal("wm-leader", supervise.Assignee);
        var breached = await s.FileOfAsync(id);
        Assert.Contains("supervision", ComplaintScenario.TimelineKinds(breached));
        Assert.True(breached.GetProperty("complaint").GetProperty("overdue").GetBoolean());
        Assert.NotNull(await s.FindTaskAsync(id, "mediate"));

        using var leader = _host.As("wm-leader");
        var overdue = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?overdue=true", UriKind.Relative), ComplaintHost.Json);
        Assert.Equal(id, overdue.GetProperty("items")[0].GetProperty("id").GetString());
        var inbox = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/inbox/tasks?scope=mine", UriKind.Relative), ComplaintHost.Json);
        Assert.Contains(inbox.EnumerateArray(), t => t.GetProperty("elementId").GetString() == "supervise" && t.GetProperty("complaintId").GetString() == id);
    }

    [Fact]
    public async Task ProfessionalClaimant_NeedsTheLeadersApprovalAndTheLegalSectionsReview_BeforeClosure()
    {
        var s = Scenario;
        var id = await s.FileAsync("在该店购买的进口奶粉标签无中文，属于不符合食品安全标准的食品，我要求十倍赔偿，假一赔十。", request: "要求退款并十倍赔偿");
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);
        await s.CompleteAsync(id, "mediate", new { outcome = "failed", mediationSucceeded = false });
        await s.CloseRecordAsync(id, succeeded: false);
        await s.CompleteAsync(id, "deskReview", new { decision = "approve" });

        Assert.True((await s.FileOfAsync(id)).GetProperty("complaint").GetProperty("suspectedProfessionalClaimant").GetBoolean());
        Assert.Equal("InReview", await s.StatusAsync(id));
        var leader = await s.CompleteAsync(id, "leaderReview", new { decision = "approve", comment = "同意答复" });
        var legal = await s.CompleteAsync(id, "legalReview", new { decision = "approve" });

        Assert.Equal("wm-leader", leader);
        Assert.Equal("lc-legal", legal);
        var file = await s.FileOfAsync(id);
        Assert.Equal("Closed", file.GetProperty("complaint").GetProperty("status").GetString());
        var kinds = ComplaintScenario.TimelineKinds(file);
        Assert.Contains("review-leader-approved", kinds);
        Assert.Contains("review-legal-approved", kinds);
    }

    [Fact]
    public async Task SentBack_ByTheDesk_GoesBackToTheHandler_WithTheComment()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);
        await s.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true });
        await s.CloseRecordAsync(id);

        await s.CompleteAsync(id, "deskReview", new { decision = "sendBack", comment = "处理结果未写明退款方式" });

        Assert.NotNull(await s.FindTaskAsync(id, "closureRecord"));
        var file = await s.FileOfAsync(id);
        Assert.Equal("sendBack", file.GetProperty("closureRecords")[0].GetProperty("deskDecision").GetString());
        Assert.Contains("review-desk-sent-back", ComplaintScenario.TimelineKinds(file));

        await s.CloseRecordAsync(id);
        await s.CompleteAsync(id, "deskReview", new { decision = "approve" });
        Assert.Equal("Closed", await s.StatusAsync(id));
        Assert.Equal(2, (await s.FileOfAsync(id)).GetProperty("closureRecords").GetArrayLength());
    }

    [Fact]
    public async Task ClosingRecord_SignedByOneStaffMemberAndAStranger_IsRefusedByName_AndTheTaskStays()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);
        await s.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true });
        var task = await s.TaskAsync(id, "closureRecord");

        using var handler = _host.As(task.Assignee!);
        using var refused = await handler.PostAsJsonAsync($"/api/inbox/tasks/{task.Id}/complete", new
        {
            variables = new { basicFacts = "a", disputePoints = "b", mediationProcess = "c", result = "d", signatures = "wm-handler、路人甲" },
        });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("路人甲", problem.GetProperty("errors").GetProperty("signatures")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(task.Id, (await s.TaskAsync(id, "closureRecord")).Id);

        await s.CloseRecordAsync(id, signatures: "wm-handler、姜雨婷");
        Assert.Equal(1, (await s.FileOfAsync(id)).GetProperty("closureRecords").GetArrayLength());
        Assert.NotNull(await s.FindTaskAsync(id, "deskReview"));
    }

    [Fact]
    public async Task ViolationFound_StartsACaseLinkedBothWays_ThatIsScreenedOpenedInvestigatedDecidedAndClosed()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);

        await s.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, violationFound = true, violationClue = "以翻新机冒充新机销售" });

        var file = await s.FileOfAsync(id);
        var caseId = file.GetProperty("complaint").GetProperty("caseId").GetString();
        Assert.NotNull(caseId);
        var screening = await s.TaskAsync(id, "screening");
        Assert.NotNull(screening.DueDate);
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.FromHours(8)), screening.DueDate); // 15 working days: the end of Monday 14 December
        await s.CompleteAsync(id, "screening", new { caseDecisionKind = "open", screeningNote = "线索属实" });
        await s.CompleteAsync(id, "investigate", new { investigationNote = "已调取进货凭证" });
        await s.CompleteAsync(id, "decide", new { caseDecision = "责令改正并处罚款 5000 元" });

        var after = await s.FileOfAsync(id);
        var caseFile = after.GetProperty("cases")[0];
        Assert.Equal(caseId, caseFile.GetProperty("id").GetString());
        Assert.Equal("conversion", caseFile.GetProperty("source").GetString());
        Assert.Equal("Closed", caseFile.GetProperty("status").GetString());
        Assert.Contains("case-closed", ComplaintScenario.TimelineKinds(after));

        // The complaint itself goes on to its closure.
        Assert.NotNull(await s.FindTaskAsync(id, "closureRecord"));
    }

    [Fact]
    public async Task ComplaintWithAReport_SplitsTheReportIntoItsOwnRecordAndCase_AndTheReporterIsTold()
    {
        var s = Scenario;
        var id = await s.FileAsync("在该店购买的面包已经过期三天，吃后肚子不舒服，要求退款。另外该店没有营业执照，属于无证经营，请依法查处。",
            request: "要求退款赔偿", respondent: "鹿城区好运来超市");

        var file = await s.FileOfAsync(id);
        var reportId = file.GetProperty("complaint").GetProperty("linkedComplaintId").GetString();
        Assert.NotNull(reportId);
        Assert.Contains("report-split", ComplaintScenario.TimelineKinds(file));
        var report = await s.FileOfAsync(reportId!);
        Assert.True(report.GetProperty("complaint").GetProperty("isReport").GetBoolean());
        Assert.StartsWith("JB", report.GetProperty("complaint").GetProperty("trackingNumber").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, report.GetProperty("complaint").GetProperty("linkedComplaintId").GetString());

        // The complaint goes on to dispatch; the report is screened as a case.
        Assert.NotNull(await s.FindTaskAsync(id, "reviewDispatch"));
        await s.CompleteAsync(reportId!, "screening", new { caseDecisionKind = "notOpen", screeningNote = "现场检查已取得营业执照" });
        var notice = await s.TaskAsync(reportId!, "notifyReporter");
        Assert.NotNull(notice.DueDate);
        await s.CompleteAsync(reportId!, "notifyReporter", new { noticeNote = "已电话告知举报人不予立案" });

        var reportAfter = await s.FileOfAsync(reportId!);
        Assert.Equal("NotOpened", reportAfter.GetProperty("cases")[0].GetProperty("status").GetString());
        Assert.Equal("report", reportAfter.GetProperty("cases")[0].GetProperty("source").GetString());
        Assert.Null(await s.FindTaskAsync(reportId!, "notifyReporter"));
    }

    public void Dispose() => _host.Dispose();
}
