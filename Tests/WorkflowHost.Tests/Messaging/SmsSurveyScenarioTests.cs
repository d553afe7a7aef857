using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>
/// From closure to the survey result with the consumer answering by SMS: the process asks the notification service,
/// which sends through the Alibaba client to the emulator (signatures checked); the consumer's reply comes back as the
/// platform's SmsUp push. Each scenario runs on its own host.
/// </summary>
public sealed class SmsSurveyScenarioTests : IAsyncLifetime
{
    private const string Phone = "13812345678";
    private readonly SmsHost _sms = new();

    private ComplaintHost Host => _sms.Host;

    private SmsProviderEmulator Emulator => _sms.Emulator;

    private static string InvitationCode => "SMS_" + Math.Abs(ComplaintWorkflows.Activities.Messaging.DefaultNotificationTemplates.SurveyInvitation.GetHashCode(StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        await _sms.InitializeAsync();
        await NotificationDeliveryTests.SetSmsCodesAsync(Host);
    }

    public Task DisposeAsync() => _sms.DisposeAsync();

    [Fact]
    public async Task Closure_SurveySms_ConsumerRepliesBySms_SurveyResultRecorded_AndNoMessageTwice()
    {
        var scenario = new ComplaintScenario(Host);
        var id = await CloseComplaintAsync(scenario);
        var trackingNumber = (await scenario.FileOfAsync(id)).GetProperty("complaint").GetProperty("trackingNumber").GetString()!;

        var invitation = Assert.Single(Emulator.Accepted, a => a.TemplateCode == InvitationCode);
        Assert.Equal(Phone, invitation.PhoneNumber);
        Assert.Equal(trackingNumber, JsonDocument.Parse(invitation.TemplateParam!).RootElement.GetProperty("trackingNumber").GetString());

        // The consumer answers "2 态度不好"; the platform pushes it, and pushes it again as if our answer had been lost.
        using var platform = Host.Anonymous();
        var reply = SmsCallbacks.SmsUp(new EmulatedReply(Phone, "2 态度不好", Host.Time.GetUtcNow(), 880001L));
        var pushes = (await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, reply)).Concat(await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, reply));
        await Host.DeliverAsync();

        Assert.All(pushes, p => Assert.Equal(HttpStatusCode.OK, p.Status));
        var file = await scenario.FileOfAsync(id);
        var answer = Assert.Single(file.GetProperty("surveys").EnumerateArray());
        Assert.Equal(("sms", 2, "态度不好"), (answer.GetProperty("channel").GetString(), answer.GetProperty("overall").GetInt32(), answer.GetProperty("comment").GetString()));
        Assert.Equal(2, file.GetProperty("complaint").GetProperty("satisfactionScore").GetInt32());
        Assert.Equal("Archived", file.GetProperty("complaint").GetProperty("status").GetString());

        // A second reply after the survey closed is kept for staff, not lost and not counted.
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply(Phone, "5 后来退款了，满意", Host.Time.GetUtcNow(), "880002")));
        using var desk = Host.As("zx-desk-a");
        var kept = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/sms/replies?status=SurveyClosed", UriKind.Relative));
        var late = Assert.Single(kept.GetProperty("items").EnumerateArray());
        Assert.Equal((id, 5), (late.GetProperty("complaintId").GetString(), late.GetProperty("score").GetInt32()));
        Assert.Single((await scenario.FileOfAsync(id)).GetProperty("surveys").EnumerateArray());

        // Delivery receipts for everything sent, pushed twice, are stored once each; nothing was sent twice.
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, SmsCallbacks.SmsReport(Emulator.Accepted));
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, SmsCallbacks.SmsReport(Emulator.Accepted));
        Assert.Equal(Emulator.Accepted.Count, Emulator.Accepted.Select(a => a.OutId).Distinct().Count());
        var receipts = await Host.Services.GetRequiredService<ComplaintWorkflows.Activities.Messaging.Sms.SmsReceipts>().ForOutIdsAsync([.. Emulator.Accepted.Select(a => a.OutId!)]);
        Assert.Equal(Emulator.Accepted.Count, receipts.Count);
        Assert.All(receipts.Values, r => Assert.True(r.Delivered));
        using var admin = Host.As("admin");
        var notifications = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/admin/notifications?complaintId={id}", UriKind.Relative), ComplaintHost.Json);
        var smsRecords = notifications.EnumerateArray().Where(n => n.GetProperty("channel").GetString() == "Sms").ToList();
        Assert.Equal(Emulator.Accepted.Count, smsRecords.Count);
        Assert.All(smsRecords, n => Assert.Equal("Delivered", n.GetProperty("status").GetString()));
        Assert.All(smsRecords, n => Assert.True(n.GetProperty("delivery").GetProperty("delivered").GetBoolean()));
        Assert.DoesNotContain(Host.Logs.Messages, m => m.Contains(Phone, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreadableReply_IsKeptForStaff_AndTheSurveyStillWaits_ForAReadableOne()
    {
        var scenario = new ComplaintScenario(Host);
        var id = await CloseComplaintAsync(scenario);
        using var platform = Host.Anonymous();

        await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply(Phone, "请问退款什么时候到账？", Host.Time.GetUtcNow(), "990001")));
        var waiting = await scenario.FileOfAsync(id);
        await Host.AdvanceAsync(TimeSpan.FromHours(1));
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply(Phone, "非常满意", Host.Time.GetUtcNow(), "990002")));

        Assert.Equal(0, waiting.GetProperty("surveys").GetArrayLength());
        using var desk = Host.As("zx-desk-a");
        var unreadable = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/sms/replies?status=Unreadable", UriKind.Relative));
        Assert.Equal(id, Assert.Single(unreadable.GetProperty("items").EnumerateArray()).GetProperty("complaintId").GetString());
        var answer = Assert.Single((await scenario.FileOfAsync(id)).GetProperty("surveys").EnumerateArray());
        Assert.Equal(5, answer.GetProperty("overall").GetInt32());
    }

    [Fact]
    public async Task ProviderRateLimitsTheSurveySms_ItIsRetriedAfterTheLimit_AndExactlyOneGoesOut()
    {
        var scenario = new ComplaintScenario(Host);
        var id = await CloseComplaintAsync(scenario, beforeSurveyDelivery: () => Emulator.FailNext("isv.BUSINESS_LIMIT_CONTROL", times: 2, message: "触发小时级流控Permits:5"));

        Assert.DoesNotContain(Emulator.Accepted, a => a.TemplateCode == InvitationCode);
        // The closure notice and the survey invitation, sent together at closure, were both refused.
        Assert.Equal(2, Emulator.Calls.Count(c => c.Code == "isv.BUSINESS_LIMIT_CONTROL"));
        await Host.AdvanceAsync(TimeSpan.FromMinutes(30));
        await Host.DeliverAsync();
        Assert.DoesNotContain(Emulator.Accepted, a => a.TemplateCode == InvitationCode);
        await Host.AdvanceAsync(TimeSpan.FromMinutes(31));
        await Host.DeliverAsync();
        await Host.DeliverAsync();
        await Host.AdvanceAsync(TimeSpan.FromHours(2));
        await Host.DeliverAsync();

        var invitation = Assert.Single(Emulator.Accepted, a => a.TemplateCode == InvitationCode);
        Assert.Equal(Phone, invitation.PhoneNumber);
        Assert.Equal(ComplaintHost.Start.AddHours(1), invitation.At, TimeSpan.FromMinutes(2));
        // Classified, dispatched, accepted, the handler's progress note, closed, and the invitation: each once.
        Assert.Equal(6, Emulator.Accepted.Count);
        Assert.Equal(Emulator.Accepted.Count, Emulator.Accepted.Select(a => a.OutId).Distinct().Count());
        using var admin = Host.As("admin");
        var records = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/admin/notifications?complaintId={id}", UriKind.Relative), ComplaintHost.Json);
        Assert.Equal(records.EnumerateArray().Count(n => n.GetProperty("channel").GetString() == "Sms"), Emulator.Accepted.Count);

        using var platform = Host.Anonymous();
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply(Phone, "５分", Host.Time.GetUtcNow(), 770001)));
        Assert.Equal(5, Assert.Single((await scenario.FileOfAsync(id)).GetProperty("surveys").EnumerateArray()).GetProperty("overall").GetInt32());
    }

    /// <summary>Files a complaint (consumer's mobile, SMS chosen by default) and works it to closure, delivering the notifications as it goes.</summary>
    private async Task<string> CloseComplaintAsync(ComplaintScenario scenario, Action? beforeSurveyDelivery = null)
    {
        var id = await scenario.FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。", consumer: "consumer:c1", phone: Phone);
        await Host.DeliverAsync();
        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = "已联系商家协商，商家同意退款" });
        await scenario.CloseRecordAsync(id);
        await Host.DeliverAsync();
        await Host.DeliverAsync();
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        beforeSurveyDelivery?.Invoke();
        await Host.DeliverAsync();
        await Host.DeliverAsync();
        Assert.Equal("Closed", await scenario.StatusAsync(id));
        return id;
    }
}
