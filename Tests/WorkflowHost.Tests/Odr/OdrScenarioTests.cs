using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Odr;
using ComplaintWorkflows.WorkflowHost.Messaging;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Odr;

/// <summary>
/// The ODR path of the complaint process on a fake clock (Monday 2026-11-23 10:00 Beijing): a complaint against an ODR
/// business's branch is offered to the business on its portal first; settled, rejected (by SMS reply), answer limit
/// missed, decision limit missed; and a business never sees another's complaints.
/// </summary>
public sealed class OdrScenarioTests : IDisposable
{
    private const string Facts = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。我叫张三，电话 13812345678。";
    private const string Phone = "13812345678";

    private readonly ComplaintHost _host = new();

    private ComplaintScenario Scenario => new(_host);

    public void Dispose() => _host.Dispose();

    /// <summary>Two ODR businesses with one account each: 小王数码 (whose branch is the scenario's default respondent) and 大华电器.</summary>
    private async Task JoinAsync()
    {
        using var admin = _host.As("admin");
        await Ok(admin.PutAsJsonAsync("/api/admin/odr/businesses/xiaowang", new { name = "温州小王数码有限公司", branches = "鹿城区小王数码店\n瓯海区小王数码店" }));
        await Ok(admin.PutAsJsonAsync("/api/admin/odr/businesses/dahua", new { name = "温州大华电器有限公司", branches = "鹿城区大华电器" }));
        await Ok(admin.PostAsJsonAsync("/api/admin/odr/businesses/xiaowang/accounts", new { userName = "xw-service", displayName = "小王数码客服", password = "Odr-portal-2026!" }));
        await Ok(admin.PostAsJsonAsync("/api/admin/odr/businesses/dahua/accounts", new { userName = "dh-service", displayName = "大华客服", password = "Odr-portal-2026!" }));
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Files against the branch, dispatch confirmed and accepted: the process now waits for the business.</summary>
    private async Task<(string Id, string Tracking)> OfferedAsync()
    {
        await JoinAsync();
        var s = Scenario;
        var id = await s.FileAsync(Facts, respondent: "鹿城区小王数码店", phone: Phone);
        await s.ConfirmDispatchAsync(id);
        await s.AcceptAsync(id);
        var file = await s.FileOfAsync(id);
        return (id, file.GetProperty("complaint").GetProperty("trackingNumber").GetString()!);
    }

    private async Task AnswerAsync(string id)
    {
        using var business = _host.As("business:xw-service");
        using var answered = await business.PostAsJsonAsync($"/api/odr/complaints/{id}/answer", new { answer = "经核实屏幕竖线属质量问题。", proposal = "全额退款 2999 元，上门取回手机" });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
    }

    private async Task<JsonElement> ComplaintAsync(string id) => (await Scenario.FileOfAsync(id)).GetProperty("complaint");

    [Fact]
    public async Task Settled_ByTheBusiness_ClosesTheComplaintWithItsOwnOutcome_WithoutMediation()
    {
        var (id, tracking) = await OfferedAsync();
        var s = Scenario;

        // The business's task, not the handler's mediation, with the answer limit 7 working days on: Wednesday 2026-12-02 24:00 Beijing.
        Assert.Null(await s.FindTaskAsync(id, "mediate"));
        var task = await s.TaskAsync(id, "odrAnswer");
        Assert.Contains("business@xiaowang", task.CandidateGroups);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.FromHours(8)), task.DueDate);

        using var business = _host.As("business:xw-service");
        var list = await business.GetFromJsonAsync<JsonElement>("/api/odr/complaints", ComplaintHost.Json);
        var seen = Assert.Single(list.EnumerateArray());
        Assert.Equal(tracking, seen.GetProperty("trackingNumber").GetString());
        Assert.Equal("张*", seen.GetProperty("consumerName").GetString());
        Assert.Equal("138****5678", seen.GetProperty("consumerPhone").GetString());
        Assert.DoesNotContain(Phone, seen.GetRawText(), StringComparison.Ordinal);
        Assert.True(seen.GetProperty("awaitingAnswer").GetBoolean());

        // The handler's feedback reaches the business's portal.
        using (var handler = _host.As((await ComplaintAsync(id)).GetProperty("handler").GetString()!))
        using (var posted = await handler.PostAsJsonAsync("/api/odr/notices", new { complaintId = id, kind = "feedback", text = "请于期限内联系消费者协商退款" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var notices = await business.GetFromJsonAsync<JsonElement>("/api/odr/notices", ComplaintHost.Json);
        Assert.Contains(notices.EnumerateArray(), n => n.GetProperty("text").GetString() == "请于期限内联系消费者协商退款");

        await AnswerAsync(id);
        Assert.Null(await s.FindTaskAsync(id, "odrAnswer"));
        using var consumer = _host.Anonymous();
        var proposal = await consumer.GetFromJsonAsync<JsonElement>($"/api/public/odr/proposal?trackingNumber={tracking}&phone={Phone}", ComplaintHost.Json);
        Assert.Equal("全额退款 2999 元，上门取回手机", proposal.GetProperty("proposal").GetString());

        using var decided = await consumer.PostAsJsonAsync("/api/public/odr/decision", new { trackingNumber = tracking, phone = Phone, accept = true });
        Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);

        var complaint = await ComplaintAsync(id);
        Assert.Equal("settled", complaint.GetProperty("odrOutcome").GetString());
        Assert.Equal("Closed", complaint.GetProperty("status").GetString());
        Assert.Null(await s.FindTaskAsync(id, "mediate"));
        Assert.Null(await s.FindTaskAsync(id, "closureRecord"));
        Assert.Contains("odr-settled", ComplaintScenario.TimelineKinds(await s.FileOfAsync(id)));
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync())
        {
            var settlement = await db.Set<OdrSettlement>().SingleAsync(x => x.ComplaintId == id);
            Assert.Equal(("accepted", "portal"), (settlement.Decision, settlement.DecidedVia));
        }

        // Its own KPI: settled by the business 1 of 1, and it is no mediation.
        using var admin = _host.As("admin");
        var kpis = await admin.GetFromJsonAsync<JsonElement>("/api/kpis?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", ComplaintHost.Json);
        var total = kpis.GetProperty("total");
        Assert.Equal((1, 1), (total.GetProperty("odrSettled").GetProperty("count").GetInt32(), total.GetProperty("odrSettled").GetProperty("of").GetInt32()));
        Assert.Equal(1, total.GetProperty("received").GetInt32());
        Assert.Equal(0, total.GetProperty("mediationSuccess").GetProperty("of").GetInt32());

        // Decided once: a second decision finds nothing waiting.
        using var again = await consumer.PostAsJsonAsync("/api/public/odr/decision", new { trackingNumber = tracking, phone = Phone, accept = false });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Rejected_BySmsReply_MovesTheComplaintToTheUnitsMediation()
    {
        var (id, _) = await OfferedAsync();
        await AnswerAsync(id);

        var replies = _host.Services.GetRequiredService<SmsReplyProcessor>();
        Assert.True(await replies.ProcessAsync(new InboundSmsReply("aliyun", "odr-reply-1", Phone, "2", null, null, null)));

        var mediate = await Scenario.TaskAsync(id, "mediate");
        var complaint = await ComplaintAsync(id);
        Assert.Equal(complaint.GetProperty("handler").GetString(), mediate.Assignee);
        Assert.Equal("rejected", complaint.GetProperty("odrOutcome").GetString());
        Assert.Contains("odr-mediation", ComplaintScenario.TimelineKinds(await Scenario.FileOfAsync(id)));
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var settlement = await db.Set<OdrSettlement>().SingleAsync(x => x.ComplaintId == id);
        Assert.Equal(("rejected", "sms"), (settlement.Decision, settlement.DecidedVia));
        Assert.Equal(Activities.Messaging.Sms.SmsReplyStatus.OdrDecided, (await db.Set<Activities.Messaging.Sms.SmsReply>().SingleAsync(r => r.ExternalId == "odr-reply-1")).Status);
    }

    [Fact]
    public async Task AnswerLimitMissed_MovesTheComplaintToMediation_AndTheLateAnswerIsRefused()
    {
        var (id, _) = await OfferedAsync();

        // Seven working days from Monday 2026-11-23: through Wednesday 2026-12-02. On that Wednesday it still waits.
        await _host.AdvanceToAsync(new DateTimeOffset(2026, 12, 2, 20, 0, 0, TimeSpan.FromHours(8)));
        Assert.NotNull(await Scenario.FindTaskAsync(id, "odrAnswer"));
        Assert.Null(await Scenario.FindTaskAsync(id, "mediate"));

        await _host.AdvanceToAsync(new DateTimeOffset(2026, 12, 3, 0, 30, 0, TimeSpan.FromHours(8)));
        Assert.Null(await Scenario.FindTaskAsync(id, "odrAnswer"));
        Assert.NotNull(await Scenario.FindTaskAsync(id, "mediate"));
        Assert.Equal("expired", (await ComplaintAsync(id)).GetProperty("odrOutcome").GetString());

        using var business = _host.As("business:xw-service");
        using var late = await business.PostAsJsonAsync($"/api/odr/complaints/{id}/answer", new { answer = "迟到的答复", proposal = "退款" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task DecisionLimitMissed_MovesTheComplaintToMediation()
    {
        var (id, tracking) = await OfferedAsync();
        await AnswerAsync(id);

        // Three working days for the consumer: from Monday 10:00 through Thursday 2026-11-26.
        await _host.AdvanceToAsync(new DateTimeOffset(2026, 11, 26, 23, 0, 0, TimeSpan.FromHours(8)));
        Assert.Null(await Scenario.FindTaskAsync(id, "mediate"));
        await _host.AdvanceToAsync(new DateTimeOffset(2026, 11, 27, 0, 30, 0, TimeSpan.FromHours(8)));
        Assert.NotNull(await Scenario.FindTaskAsync(id, "mediate"));
        Assert.Equal("expired", (await ComplaintAsync(id)).GetProperty("odrOutcome").GetString());

        using var consumer = _host.Anonymous();
        using var late = await consumer.PostAsJsonAsync("/api/public/odr/decision", new { trackingNumber = tracking, phone = Phone, accept = true });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task ABusiness_NeverSeesAnotherBusinesssComplaints()
    {
        var (id, _) = await OfferedAsync();
        var other = await Scenario.FileAsync("电视机买回三天无法开机，商家不予退换。", respondent: "鹿城区大华电器", phone: "13900001111");
        await Scenario.ConfirmDispatchAsync(other);
        await Scenario.AcceptAsync(other);

        using var dahua = _host.As("business:dh-service");
        var list = await dahua.GetFromJsonAsync<JsonElement>("/api/odr/complaints", ComplaintHost.Json);
        Assert.Equal([other], list.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList());
        using (var get = await dahua.GetAsync(new Uri($"/api/odr/complaints/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        using (var answer = await dahua.PostAsJsonAsync($"/api/odr/complaints/{id}/answer", new { answer = "不是我们的", proposal = "无" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        // Nor through the staff API: a portal account sees no complaint file at all.
        using (var file = await dahua.GetAsync(new Uri($"/api/complaints/{other}", UriKind.Relative)))
        {
            Assert.NotEqual(HttpStatusCode.OK, file.StatusCode);
        }

        var search = await dahua.GetFromJsonAsync<JsonElement>("/api/complaints", ComplaintHost.Json);
        Assert.Equal(0, search.GetProperty("total").GetInt32());
        Assert.NotNull(await Scenario.FindTaskAsync(id, "odrAnswer"));
    }
}
