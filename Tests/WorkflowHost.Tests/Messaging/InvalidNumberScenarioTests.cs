using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>An SMS the provider refuses for an invalid number: a task for the desk, the number corrected, the same message sent once.</summary>
public sealed class InvalidNumberScenarioTests : IDisposable
{
    private const string PhoneDefect = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。";
    private const string Wrong = "13800000000";
    private const string Right = "13812340000";

    private readonly RecordingSmsSender _sms = new();
    private readonly ComplaintHost _host;

    public InvalidNumberScenarioTests()
    {
        _host = new ComplaintHost { TestServices = s => s.AddSingleton<ISmsSender>(_sms) };
        _sms.Refuse[Wrong] = SmsSendOutcome.InvalidNumber;
    }

    [Fact]
    public async Task InvalidNumber_RaisesATaskForTheDesk_AndTheCorrectedNumberGetsTheMessageOnce()
    {
        await NotificationDeliveryTests.SetSmsCodesAsync(_host);
        var s = new ComplaintScenario(_host);
        var id = await s.FileAsync(PhoneDefect, phone: Wrong);
        await s.ConfirmDispatchAsync(id);
        await _host.DeliverAsync();

        // Both progress SMS (registered, dispatched) were refused; each raised a task for the unit's desk.
        Assert.Empty(_sms.Sent);
        var tasks = await _host.Engine.GetTasksAsync(new ComplaintWorkflows.Engine.Runtime.TaskQuery(ElementId: "fixContact"));
        Assert.Equal(2, tasks.Count);
        await using (var db = await Db())
        {
            var rows = await db.Set<Notification>().AsNoTracking().Where(n => n.ComplaintId == id).ToListAsync();
            Assert.All(rows, r => Assert.Equal(NotificationStatus.InvalidRecipient, r.Status));
            Assert.All(rows, r => Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", r.ErrorCode));
        }

        // The desk officer reaches the consumer and corrects the number on one task; the other is given up.
        var first = tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).First();
        var variables = await _host.Engine.GetVariablesAsync(first.ProcessInstanceId);
        Assert.Equal(id, variables["complaintId"]);
        var worker = await s.WorkerAsync(first);
        using (var desk = _host.As(worker))
        {
            using var inbox = await desk.GetAsync(new Uri($"/api/inbox/tasks/{first.Id}", UriKind.Relative));
            Assert.True(inbox.IsSuccessStatusCode, await inbox.Content.ReadAsStringAsync());
            using var done = await desk.PostAsync(new Uri($"/api/inbox/tasks/{first.Id}/complete", UriKind.Relative),
                JsonContent(new { variables = new { action = "resend", phoneNumber = Right, note = "电话联系消费者，号码登记错误" } }));
            Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        }

        var second = tasks.Single(t => t.Id != first.Id);
        using (var desk = _host.As(await s.WorkerAsync(second)))
        {
            using var done = await desk.PostAsync(new Uri($"/api/inbox/tasks/{second.Id}/complete", UriKind.Relative),
                JsonContent(new { variables = new { action = "cancel", note = "已电话告知分派情况" } }));
            Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        }

        await _host.DeliverAsync();
        await _host.DeliverAsync();

        var message = Assert.Single(_sms.Sent);
        Assert.Equal(Right, message.PhoneNumber);
        await using (var db = await Db())
        {
            var resent = await db.Set<Notification>().AsNoTracking().SingleAsync(n => n.Key == (string)variables["notificationKey"]!);
            Assert.Equal(NotificationStatus.Sent, resent.Status);
            Assert.Equal(resent.MessageId, message.MessageId);
        }

        var file = await s.FileOfAsync(id);
        Assert.Equal(Right, file.GetProperty("complaint").GetProperty("consumerPhone").GetString());
        Assert.Contains("notification-resent", ComplaintScenario.TimelineKinds(file));
        Assert.Contains("notification-cancelled", ComplaintScenario.TimelineKinds(file));

        // What comes next goes to the corrected number.
        await s.AcceptAsync(id);
        await _host.DeliverAsync();
        Assert.Equal(2, _sms.Sent.Count);
        Assert.All(_sms.Sent, m => Assert.Equal(Right, m.PhoneNumber));
        Assert.Equal(2, _sms.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task LandlineChosenForSms_IsAnInvalidRecipient_WithoutCallingTheProvider()
    {
        await NotificationDeliveryTests.SetSmsCodesAsync(_host);
        var s = new ComplaintScenario(_host);
        var id = await s.FileAsync(PhoneDefect, phone: "0577-88881234", notifyBy: "Sms");

        await _host.DeliverAsync();

        Assert.Empty(_sms.Sent);
        var task = await s.TaskAsync(id, "fixContact");
        Assert.Contains("intake_desk", task.CandidateGroups);
        await using var db = await Db();
        Assert.Equal("not-mobile", (await db.Set<Notification>().SingleAsync(n => n.ComplaintId == id)).ErrorCode);
    }

    private Task<DomainDbContext> Db() => _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();

    private static System.Net.Http.Json.JsonContent JsonContent(object value) => System.Net.Http.Json.JsonContent.Create(value, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public void Dispose() => _host.Dispose();
}
