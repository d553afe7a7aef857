using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>Progress notifications through the durable outbox: stored with the stage, delivered once, failures raised to people.</summary>
public sealed class NotificationDeliveryTests : IDisposable
{
    private const string PhoneDefect = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。";

    private readonly RecordingSmsSender _sms = new();
    private readonly ComplaintHost _host;

    public NotificationDeliveryTests()
    {
        _host = new ComplaintHost { TestServices = s => s.AddSingleton<ISmsSender>(_sms) };
    }

    private ComplaintScenario Scenario => new(_host);

    /// <summary>Gives every template an Alibaba template code through the administrators' API.</summary>
    internal static async Task SetSmsCodesAsync(ComplaintHost host)
    {
        using var admin = host.As("admin");
        var templates = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/notification-templates", UriKind.Relative));
        foreach (var t in templates.EnumerateArray())
        {
            var key = t.GetProperty("key").GetString()!;
            using var response = await admin.PutAsJsonAsync($"/api/admin/notification-templates/{key}", new
            {
                name = t.GetProperty("name").GetString(),
                smsText = t.GetProperty("smsText").GetString(),
                smsTemplateCodes = new Dictionary<string, string> { ["aliyun"] = "SMS_" + Math.Abs(key.GetHashCode(StringComparison.Ordinal)) },
                emailSubject = t.GetProperty("emailSubject").GetString(),
                emailHtml = t.GetProperty("emailHtml").GetString(),
                emailText = t.GetProperty("emailText").GetString(),
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ProgressSms_IsStoredWithTheStage_AndSentOnce_WithItsKeyAsOutId()
    {
        await SetSmsCodesAsync(_host);
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect, phone: "13812345678");

        Assert.Equal(1, await _host.DeliverAsync());
        Assert.Equal(0, await _host.DeliverAsync());
        await s.ConfirmDispatchAsync(id);
        await _host.DeliverAsync();
        await _host.DeliverAsync();

        var sent = _sms.Sent.ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal("13812345678", m.PhoneNumber));
        Assert.Contains("已分派至五马市场监督管理所处理", sent[1].Parameters["text"], StringComparison.Ordinal);
        Assert.Equal(sent.Count, sent.Select(m => m.MessageId).Distinct().Count());
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<Notification>().Where(n => n.ComplaintId == id).OrderBy(n => n.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(NotificationStatus.Sent, r.Status));
        Assert.Equal(rows.Select(r => NotificationService.MessageIdOf(r.Key)), sent.Select(m => m.MessageId));
        Assert.All(rows, r => Assert.StartsWith("biz", r.ProviderMessageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnqueueingAKeyTwice_StoresAndSendsOneMessage()
    {
        await SetSmsCodesAsync(_host);
        var service = _host.Services.GetRequiredService<INotificationService>();
        var request = new NotificationRequest
        {
            Key = "test:twice",
            Template = DefaultNotificationTemplates.StaffTask,
            Recipient = new NotificationRecipient { PhoneNumber = "13900001111" },
            Values = new Dictionary<string, string> { ["displayName"] = "王五", ["taskName"] = "电话回访", ["trackingNumber"] = "TS1", ["text"] = "请今天完成" },
        };

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => service.EnqueueAsync(request)));
        await service.EnqueueAsync(request);
        await _host.DeliverAsync();
        await service.EnqueueAsync(request);
        await _host.DeliverAsync();

        var message = Assert.Single(_sms.Sent);
        Assert.Equal(NotificationService.MessageIdOf("test:twice"), message.MessageId);
        Assert.Equal("王五", message.Parameters["displayName"]);
    }

    [Fact]
    public async Task WithoutATemplateCode_TheSmsIsNotSent_AndAdministratorsGetATask()
    {
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect);

        await _host.DeliverAsync();

        Assert.Empty(_sms.Sent);
        var task = await s.TaskAsync(id, "checkAccount");
        Assert.Contains("administrator@wz-12315", task.CandidateGroups);
        using var admin = _host.As("admin");
        var failed = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/admin/notifications?complaintId={id}", UriKind.Relative), ComplaintHost.Json);
        var row = Assert.Single(failed.EnumerateArray());
        Assert.Equal("Failed", row.GetProperty("status").GetString());
        Assert.Equal("template-code-missing", row.GetProperty("errorCode").GetString());
        Assert.Equal("138****5678", row.GetProperty("recipient").GetString());

        // The administrator fills the code and sends it again: it goes out, once.
        await SetSmsCodesAsync(_host);
        await s.CompleteAsync(id, "checkAccount", new { action = "resend", note = "已填写模板编码" });
        await _host.DeliverAsync();
        await _host.DeliverAsync();
        Assert.Single(_sms.Sent);
    }

    [Fact]
    public async Task RateLimited_IsRetriedLater_WithBackoff_ThenSent()
    {
        await SetSmsCodesAsync(_host);
        _sms.Refuse["13812345678"] = SmsSendOutcome.RetryLater;
        var s = Scenario;
        await s.FileAsync(PhoneDefect);

        await _host.DeliverAsync();
        await _host.DeliverAsync();
        Assert.Empty(_sms.Sent);

        _sms.Refuse.Clear();
        await _host.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(_sms.Sent); // the first retry waits a minute (RetryBaseDelay)
        await _host.AdvanceAsync(TimeSpan.FromSeconds(31));
        Assert.Single(_sms.Sent);
    }

    [Fact]
    public async Task WithNoProviderConfigured_TheSmsWaits_InStatusNoProvider()
    {
        using var host = new ComplaintHost();
        var id = await new ComplaintScenario(host).FileAsync(PhoneDefect);

        await host.DeliverAsync();

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var row = await db.Set<Notification>().SingleAsync(n => n.ComplaintId == id);
        Assert.Equal(NotificationStatus.NoProvider, row.Status);
        Assert.Equal(UnconfiguredSmsSender.ErrorCode, row.ErrorCode);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.SentAt);

        // It is looked at again after NoProviderRetryInterval (10 minutes), not at every poll.
        Assert.Equal(row.CreatedAt + TimeSpan.FromMinutes(10), row.NextAttemptAt);
    }

    [Fact]
    public async Task TemplateEdit_NamesUnknownPlaceholders()
    {
        using var admin = _host.As("admin");
        using var response = await admin.PutAsJsonAsync("/api/admin/notification-templates/survey.reminder", new
        {
            name = "回访提醒",
            smsText = "请评价 {trackingNumber}，链接 {surveyLink}",
            emailSubject = "提醒 {trackingNumber}",
            emailHtml = "<p>{consumerNmae}</p>",
            emailText = "{surveyUrl}",
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("{surveyLink}", body, StringComparison.Ordinal);
        Assert.Contains("{consumerNmae}", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("smsText", out _));
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("emailHtml", out _));

        using var handler = _host.As("wm-handler");
        using var refused = await handler.PutAsJsonAsync("/api/admin/notification-templates/survey.reminder", new { name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task StaffRecipient_IsResolvedFromTheOrganisation()
    {
        var organisation = _host.Services.GetRequiredService<OrganisationService>();
        var member = (await organisation.GetStaffAsync("wm-handler"))!;
        member.Phone = "13955556666";
        await organisation.UpdateStaffAsync(member);
        await SetSmsCodesAsync(_host);

        await _host.Services.GetRequiredService<INotificationService>().EnqueueAsync(new NotificationRequest
        {
            Key = "test:staff",
            Template = DefaultNotificationTemplates.StaffTask,
            Recipient = new NotificationRecipient { UserName = "wm-handler" },
            Values = new Dictionary<string, string> { ["displayName"] = member.DisplayName, ["taskName"] = "处理与调解", ["trackingNumber"] = "TS2", ["text"] = "" },
        });
        await _host.DeliverAsync();

        Assert.Equal("13955556666", Assert.Single(_sms.Sent).PhoneNumber);
    }

    [Fact]
    public async Task Intake_ChoosingEmailWithoutAnAddress_IsRefusedByName()
    {
        using var client = _host.Anonymous();
        using var response = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "张三", consumerPhone = "13812345678", consumerAddress = "温州市鹿城区五马街道县前头1号",
            respondentName = "鹿城区小王数码店", respondentAddress = "温州市鹿城区五马街道解放街12号", request = "退货", facts = PhoneDefect, notifyBy = "Email",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("consumerEmail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyBySms_CarriesTheSignedLink_AndTheConsumersChannelIsInTheFile()
    {
        await SetSmsCodesAsync(_host);
        var s = Scenario;
        var id = await s.FileAsync(PhoneDefect, notifyBy: "Sms");
        await s.CloseAsync(id);
        await _host.DeliverAsync();

        var invitation = Assert.Single(_sms.Sent, m => m.Parameters.ContainsKey("surveyUrl"));
        Assert.StartsWith("http://localhost:5080/survey/?token=", invitation.Parameters["surveyUrl"], StringComparison.Ordinal);
        Assert.Equal("Sms", (await s.FileOfAsync(id)).GetProperty("complaint").GetProperty("notifyBy").GetString());
        using var anonymous = _host.Anonymous();
        var token = invitation.Parameters["surveyUrl"].Split("token=")[1];
        using var page = await anonymous.GetAsync(new Uri("/api/public/survey?token=" + token, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(_sms.Sent.Count, _sms.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    public void Dispose() => _host.Dispose();
}
