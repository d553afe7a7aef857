using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>
/// From closure to the survey result, through HTTP on a fake clock, with email going through the real SMTP server
/// (maildev) and read back from it: answered by the link, or not answered (one reminder, then the follow-up call).
/// </summary>
public sealed partial class SurveyScenarioTests : IDisposable
{
    private const string PhoneDefect = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。";

    private readonly ComplaintHost _host = new() { Settings = MailDev.HostSettings() };

    private ComplaintScenario Scenario => new(_host);

    [Fact]
    public async Task Closure_SendsTheSurveyByEmail_AnsweredByItsLink_IntoTheFileAndTheKpis()
    {
        var s = Scenario;
        var email = MailDev.NewAddress();
        var id = await s.FileAsync(PhoneDefect, email: email, notifyBy: "Email");
        await s.CloseAsync(id);
        await _host.DeliverAsync();

        var messages = await MailDev.MessagesToAsync(email);
        var invitation = Assert.Single(messages, m => m.GetProperty("subject").GetString()!.StartsWith("请评价您的投诉处理", StringComparison.Ordinal));
        var tracking = (await s.FileOfAsync(id)).GetProperty("complaint").GetProperty("trackingNumber").GetString()!;
        Assert.Contains(tracking, invitation.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("张三您好", invitation.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("填写满意度评价", invitation.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains(messages, m => m.GetProperty("subject").GetString()!.Contains("有新进展", StringComparison.Ordinal)
            && m.GetProperty("text").GetString()!.Contains("已分派至五马市场监督管理所处理", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.GetProperty("text").GetString()!.Contains("已联系商家协商，商家同意退款", StringComparison.Ordinal));
        var link = LinkIn(invitation.GetProperty("text").GetString()!);
        Assert.Equal(link, LinkIn(System.Net.WebUtility.HtmlDecode(invitation.GetProperty("html").GetString()!)));

        // The page the link opens: what the survey is about, nothing personal.
        using var anonymous = _host.Anonymous();
        var pageResponse = await anonymous.GetAsync(new Uri(ApiPath(link), UriKind.Relative));
        var page = await pageResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.Contains(tracking, page, StringComparison.Ordinal);
        Assert.DoesNotContain("张三", page, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", page, StringComparison.Ordinal);
        Assert.DoesNotContain(email, page, StringComparison.Ordinal);
        Assert.Equal(6, JsonDocument.Parse(page).RootElement.GetProperty("indicators").GetArrayLength());

        using var invalid = await anonymous.PostAsJsonAsync(ApiPath(link), new { speed = 7, comment = "没有总体评分" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("speed", out _));
        Assert.True(errors.TryGetProperty("overall", out _));

        using var answer = await anonymous.PostAsJsonAsync(ApiPath(link), new { speed = 4, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "调解及时，态度很好" });
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);

        var file = await s.FileOfAsync(id);
        Assert.Equal("Archived", file.GetProperty("complaint").GetProperty("status").GetString());
        Assert.Equal(5, file.GetProperty("complaint").GetProperty("satisfactionScore").GetInt32());
        var survey = Assert.Single(file.GetProperty("surveys").EnumerateArray());
        Assert.Equal("web", survey.GetProperty("channel").GetString());
        Assert.Equal(4, survey.GetProperty("speed").GetInt32());
        Assert.Equal("调解及时，态度很好", survey.GetProperty("comment").GetString());

        using var leader = _host.As("wm-leader");
        var kpis = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/kpis?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z", UriKind.Relative), ComplaintHost.Json);
        var mediator = file.GetProperty("complaint").GetProperty("handler").GetString();
        var handler = Assert.Single(kpis.GetProperty("byHandler").EnumerateArray(), h => h.GetProperty("group").GetString() == mediator);
        Assert.Equal(1.0, handler.GetProperty("satisfaction").GetProperty("rate").GetDouble());
        Assert.Equal(1, handler.GetProperty("survey").GetProperty("answers").GetInt32());
        Assert.Equal(4.0, handler.GetProperty("survey").GetProperty("speed").GetDouble());
        Assert.Equal(5.0, handler.GetProperty("survey").GetProperty("fairness").GetDouble());
        Assert.Equal(1, handler.GetProperty("survey").GetProperty("byChannel").GetProperty("web").GetInt32());

        // The link works once; a forged or cut link is refused, saying which.
        using var again = await anonymous.PostAsJsonAsync(ApiPath(link), new { speed = 1, attitude = 1, communication = 1, fairness = 1, professionalism = 1, overall = 1 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("survey-token-used", await CodeOf(again));
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        using var forgedAnswer = await anonymous.GetAsync(new Uri("/api/public/survey?token=" + forged, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, forgedAnswer.StatusCode);
        Assert.Equal("survey-token-forged", await CodeOf(forgedAnswer));
        using var cut = await anonymous.GetAsync(new Uri("/api/public/survey?token=" + token[..10], UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);
        Assert.Equal("survey-token-invalid", await CodeOf(cut));

        await AssertNothingSentTwiceAsync(id, email);
    }

    [Fact]
    public async Task NoReply_GetsOneReminder_ThenTheFollowUpCallTask_WhichFilesTheAnswer()
    {
        var s = Scenario;
        var email = MailDev.NewAddress();
        var id = await s.FileAsync(PhoneDefect, email: email, notifyBy: "Email");
        await s.CloseAsync(id);
        await _host.DeliverAsync();
        var link = LinkIn(Assert.Single(await MailDev.MessagesToAsync(email), m => m.GetProperty("subject").GetString()!.StartsWith("请评价", StringComparison.Ordinal)).GetProperty("text").GetString()!);

        await _host.AdvanceAsync(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(await MailDev.MessagesToAsync(email), m => m.GetProperty("subject").GetString()!.StartsWith("提醒", StringComparison.Ordinal));
        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));
        var reminder = Assert.Single(await MailDev.MessagesToAsync(email), m => m.GetProperty("subject").GetString()!.StartsWith("提醒：请评价", StringComparison.Ordinal));
        Assert.Equal(link, LinkIn(reminder.GetProperty("text").GetString()!));
        Assert.Null(await s.FindTaskAsync(id, "followUpCall"));

        await _host.AdvanceAsync(TimeSpan.FromDays(2));
        var call = await s.TaskAsync(id, "followUpCall");
        Assert.Contains("desk_officer@wz-lucheng-wuma", call.CandidateGroups);

        // The link no longer takes answers: staff are calling.
        using var anonymous = _host.Anonymous();
        using var late = await anonymous.PostAsJsonAsync(ApiPath(link), new { speed = 3, attitude = 3, communication = 3, fairness = 3, professionalism = 3, overall = 3 });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("survey-closed", await CodeOf(late));

        await s.CompleteAsync(id, "followUpCall", new { speed = 3, attitude = 4, communication = 4, fairness = 3, professionalism = 4, overall = 4, comment = "电话回访：基本满意" });

        var file = await s.FileOfAsync(id);
        Assert.Equal("Archived", file.GetProperty("complaint").GetProperty("status").GetString());
        var survey = Assert.Single(file.GetProperty("surveys").EnumerateArray());
        Assert.Equal("phone", survey.GetProperty("channel").GetString());
        Assert.Equal(4, survey.GetProperty("overall").GetInt32());
        var kinds = ComplaintScenario.TimelineKinds(file);
        Assert.Single(kinds, k => k == "survey-reminder");

        // More time changes nothing: one invitation, one reminder.
        await _host.AdvanceAsync(TimeSpan.FromDays(10));
        var surveyMails = (await MailDev.MessagesToAsync(email)).Where(m => m.GetProperty("subject").GetString()!.Contains("请评价", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, surveyMails.Count);
        await AssertNothingSentTwiceAsync(id, email);
    }

    [Fact]
    public async Task ExpiredLink_IsRefusedAsExpired()
    {
        using var host = new ComplaintHost
        {
            Settings = new Dictionary<string, string?>(MailDev.HostSettings()) { ["Workflows:Notifications:Survey:LinkLifetime"] = "1.00:00:00" },
        };
        var s = new ComplaintScenario(host);
        var email = MailDev.NewAddress();
        var id = await s.FileAsync(PhoneDefect, email: email, notifyBy: "Email");
        await s.CloseAsync(id);
        await host.DeliverAsync();
        var link = LinkIn(Assert.Single(await MailDev.MessagesToAsync(email), m => m.GetProperty("subject").GetString()!.StartsWith("请评价", StringComparison.Ordinal)).GetProperty("text").GetString()!);

        await host.AdvanceAsync(TimeSpan.FromHours(25));

        using var anonymous = host.Anonymous();
        using var response = await anonymous.GetAsync(new Uri(ApiPath(link), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("survey-token-expired", await CodeOf(response));
    }

    /// <summary>Every notification of the complaint was sent once: one row per key, and one message per message id at the SMTP server.</summary>
    private async Task AssertNothingSentTwiceAsync(string complaintId, string email)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<Notification>().AsNoTracking().Where(n => n.ComplaintId == complaintId).ToListAsync();
        Assert.All(rows, r => Assert.Equal(NotificationStatus.Sent, r.Status));
        Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
        var received = (await MailDev.MessagesToAsync(email)).Select(m => m.GetProperty("headers").GetProperty("message-id").GetString()!).ToList();
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Equal(rows.Select(r => $"<{r.MessageId}@12315.example>").Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    private static string LinkIn(string text) => LinkPattern().Match(text) is { Success: true } m ? m.Value : throw new Xunit.Sdk.XunitException("No survey link in: " + text);

    private static string ApiPath(string link) => "/api/public/survey" + link[link.IndexOf('?', StringComparison.Ordinal)..];

    private static async Task<string?> CodeOf(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    [GeneratedRegex(@"http://localhost:5080/survey/\?token=[A-Za-z0-9_\-.%]+")]
    private static partial Regex LinkPattern();

    public void Dispose() => _host.Dispose();
}
