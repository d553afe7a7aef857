using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using ComplaintWorkflows.WorkflowHost.Tests.Messaging;
using ComplaintWorkflows.WorkflowHost.Tests.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// Each record kind has its own retention: notifications and SMS send records after 30 days, the journals of ended
/// process instances after 60, a closed complaint's attachments after 90, while the archived complaint keeps its
/// consumer's data for its years. Each run removes what is past its kind's time and no more, and says so per kind.
/// </summary>
public abstract class RetentionKindsTests(Dictionary<string, string?> database) : IAsyncLifetime
{
    private static readonly NotificationStatus[] Waiting = [NotificationStatus.Pending, NotificationStatus.NoProvider, NotificationStatus.Sending];

    private readonly SmsHost _sms = new()
    {
        Overrides = new Dictionary<string, string?>(database, StringComparer.Ordinal)
        {
            ["Workflows:Retention:Enabled"] = "false",
            ["Workflows:Retention:NotificationDays"] = "30",
            ["Workflows:Retention:SmsRecordDays"] = "30",
            ["Workflows:Retention:EndedInstanceJournalDays"] = "60",
            ["Workflows:Retention:AttachmentDays"] = "90",
            ["Workflows:Retention:ArchivedComplaintYears"] = "3",
        },
    };

    private ComplaintHost Host => _sms.Host;

    public Task InitializeAsync() => _sms.InitializeAsync();

    public Task DisposeAsync() => _sms.DisposeAsync();

    [Fact]
    public async Task EachRecordKind_IsRemovedAfterItsOwnDays_AndOnlyThen()
    {
        await NotificationDeliveryTests.SetSmsCodesAsync(Host);
        var scenario = new ComplaintScenario(Host);
        var archived = await scenario.FileAsync("购买的电热水壶漏电，商家拒绝退货。", phone: "13933330001", name: "周八", consumer: "consumer:13933330001");
        var attachments = Host.Services.GetRequiredService<AttachmentService>();
        await using (var photo = new MemoryStream(Files.Png("retention")))
        {
            await attachments.AddAsync(archived, "收据.png", photo, "zx-desk-a", fromConsumer: false);
        }

        await scenario.CloseAsync(archived);
        using (var consumer = Host.As("consumer:13933330001"))
        {
            using var answer = await consumer.PostAsJsonAsync($"/api/complaints/{archived}/survey", new { speed = 5, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "满意" });
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        await Host.DeliverAsync();
        Assert.Equal("Archived", await scenario.StatusAsync(archived));
        var ended = (await Host.Engine.GetInstancesAsync()).Where(i => i.Status == InstanceStatus.Completed).Select(i => i.Id).ToList();
        Assert.NotEmpty(ended);
        Assert.All(ended, id => Assert.NotEmpty(Host.Engine.GetJournalAsync(id).GetAwaiter().GetResult()));
        var (notifications, smsRecords) = await CountsAsync();
        Assert.True(notifications.Done > 0 && smsRecords > 0, $"the scenario sent SMS: {notifications.Done} notifications, {smsRecords} send records");

        // Day 31: the notifications and SMS records of the first complaint are past their 30 days; a new complaint's are not.
        await Host.AdvanceAsync(TimeSpan.FromDays(31));
        var recent = await scenario.FileAsync("新买的羽绒服跑绒严重，商家不予退换。", phone: "13933330002", name: "吴九", respondent: "鹿城区某服装店");
        await Host.DeliverAsync();
        var (notificationsNow, smsNow) = await CountsAsync();
        Assert.True(notificationsNow.Done > notifications.Done, "the new complaint's notifications were sent");
        var first = await RunAsync();
        Assert.Equal((notifications.Done, smsRecords, 0, 0, 0), (first.Notifications, first.SmsRecords, first.Journals, first.Attachments, first.ArchivedComplaints));
        var (notificationsLeft, smsLeft) = await CountsAsync();
        Assert.Equal((notificationsNow.Done - notifications.Done, smsNow - smsRecords), (notificationsLeft.Done, smsLeft));
        Assert.All(ended, id => Assert.NotEmpty(Host.Engine.GetJournalAsync(id).GetAwaiter().GetResult()));
        Assert.Single(await attachments.ListAsync(archived));

        // Day 63: the ended instances' journals are past their 60 days; the running instance of the new complaint keeps its own.
        await Host.AdvanceAsync(TimeSpan.FromDays(32));
        var running = (await Host.Engine.GetInstancesAsync(activeOnly: true)).Select(i => i.Id).ToList();
        Assert.NotEmpty(running);
        var second = await RunAsync();
        Assert.True(second.Journals > 0, "the ended instances' journals were removed");
        Assert.Equal((0, 0), (second.Attachments, second.ArchivedComplaints));
        Assert.All(ended, id => Assert.Empty(Host.Engine.GetJournalAsync(id).GetAwaiter().GetResult()));
        Assert.All(running, id => Assert.NotEmpty(Host.Engine.GetJournalAsync(id).GetAwaiter().GetResult()));
        Assert.Single(await attachments.ListAsync(archived));

        // Day 92: the closed complaint's attachment is past its 90 days; the complaint itself keeps its consumer for 3 years.
        await Host.AdvanceAsync(TimeSpan.FromDays(29));
        var third = await RunAsync();
        Assert.Equal((1, 0, 0), (third.Attachments, third.Journals, third.ArchivedComplaints));
        Assert.Empty(await attachments.ListAsync(archived));
        Assert.Equal("周八", (await scenario.FileOfAsync(archived)).GetProperty("complaint").GetProperty("consumerName").GetString());
        Assert.Equal("吴九", (await scenario.FileOfAsync(recent)).GetProperty("complaint").GetProperty("consumerName").GetString());

        using var admin = Host.As("admin");
        var verify = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative));
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.GetRawText());
    }

    private async Task<Counts> RunAsync()
    {
        using var admin = Host.As("admin");
        using var ran = await admin.PostAsync(new Uri("/api/admin/retention/run", UriKind.Relative), null);
        Assert.True(ran.IsSuccessStatusCode, await ran.Content.ReadAsStringAsync());
        var counts = JsonDocument.Parse((await ran.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counts").GetString()!).RootElement;
        return new Counts(counts.GetProperty("notifications").GetInt32(), counts.GetProperty("smsRecords").GetInt32(), counts.GetProperty("journals").GetInt32(),
            counts.GetProperty("attachments").GetInt32(), counts.GetProperty("archivedComplaints").GetInt32());
    }

    private async Task<((int Done, int Waiting) Notifications, int SmsRecords)> CountsAsync()
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var statuses = await db.Set<Notification>().AsNoTracking().Select(n => n.Status).ToListAsync();
        var sms = await db.Set<SmsSendRecord>().AsNoTracking().CountAsync(s => s.State != SmsSendState.Pending);
        return ((statuses.Count(s => !Waiting.Contains(s)), statuses.Count(s => Waiting.Contains(s))), sms);
    }

    private sealed record Counts(int Notifications, int SmsRecords, int Journals, int Attachments, int ArchivedComplaints);
}

public sealed class RetentionKindsSqliteTests() : RetentionKindsTests([]);

public sealed class RetentionKindsPostgresTests() : RetentionKindsTests(new Dictionary<string, string?>
{
    ["Workflows:Database"] = "Postgres",
    ["Workflows:ConnectionString"] = TestPostgres.NewDatabase("retkinds"),
});
