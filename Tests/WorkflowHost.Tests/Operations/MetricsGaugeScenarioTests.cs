using System.Net;
using System.Net.Http.Json;
using System.Text;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using ComplaintWorkflows.WorkflowHost.Tests.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// <c>/metrics</c> after scenarios, on SQLite and on PostgreSQL, for the instruments the whole-complaint scenario does not
/// move: jobs due and overdue, open incidents and failed instances per process key, complaints received per channel, SMS
/// provider errors per code (the emulator's injected errors), notifications pending and failed per channel, overdue
/// complaints. The gauges are read after their cache duration (30 s, the fake clock moved past it).
/// </summary>
[Collection(MetricsTestGroup.Name)]
public abstract class MetricsGaugeScenarioTests(Dictionary<string, string?> settings, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PastCache = TimeSpan.FromSeconds(31);

    private readonly SmsHost _sms = new() { Overrides = Settings(settings) };

    private ComplaintHost Host => _sms.Host;

    public Task InitializeAsync() => _sms.InitializeAsync();

    public Task DisposeAsync() => _sms.DisposeAsync();

    [Fact]
    public async Task DueAndOverdueJobs_IncidentsAndFailedInstances_AreReportedByProcessAsTheyHappen()
    {
        using var admin = Host.As("admin");
        await DeployAsync(admin, "metrics-gauges", "execution.setVariable('checked', true)", "R3/PT5M");
        await DeployAsync(admin, "metrics-failing", "throw new Error('the printer is on fire')", "R1/PT1M");
        Host.Time.Advance(PastCache);
        var before = await MetricsText.ScrapeAsync(Host);

        await StartAsync(admin, "metrics-gauges");
        await StartAsync(admin, "metrics-gauges");
        Host.Time.Advance(PastCache);
        var due = await MetricsText.ScrapeAsync(Host);
        Assert.Equal(2, Delta(before, due, "cw_engine_jobs_due"));
        Assert.Equal(0, Delta(before, due, "cw_engine_jobs_overdue"));
        Assert.Equal(2, Delta(before, due, "cw_engine_instances_started_total", "process_key=\"metrics-gauges\""));

        // More than OverdueAfter (1 minute) past their due time, nobody having run them: overdue.
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var late = await MetricsText.ScrapeAsync(Host);
        Assert.Equal(2, Delta(before, late, "cw_engine_jobs_due"));
        Assert.Equal(2, Delta(before, late, "cw_engine_jobs_overdue"));

        // The jobs run; the failing process's one has no retry left: an incident, an instance failed.
        await StartAsync(admin, "metrics-failing");
        await Host.Engine.RunPendingJobsAsync();
        Host.Time.Advance(PastCache);
        var after = await MetricsText.ScrapeAsync(Host);
        output.WriteLine(string.Join('\n', after.Text.Split('\n').Where(l => l.StartsWith("cw_engine", StringComparison.Ordinal))));
        Assert.Single(await Host.Engine.GetIncidentsAsync());
        Assert.Equal(0, Delta(before, after, "cw_engine_jobs_due"));
        Assert.Equal(0, Delta(before, after, "cw_engine_jobs_overdue"));
        Assert.Equal(1, Delta(before, after, "cw_engine_incidents_open"));
        Assert.Equal(1, Delta(before, after, "cw_engine_instances_failed_total", "process_key=\"metrics-failing\""));
        Assert.Equal(1, Delta(before, after, "cw_engine_instances_failed_total"));
        Assert.Equal(1, Delta(before, after, "cw_engine_instances_started_total", "process_key=\"metrics-failing\""));
        Assert.Equal(0, Delta(before, after, "cw_engine_instances_completed_total", "process_key=\"metrics-gauges\""));
        Assert.Equal(0, after.Sum("cw_engine_outbox_backlog"));
    }

    [Fact]
    public async Task ComplaintsPerChannel_SmsErrorsPerCode_NotificationsPerChannel_AndOverdueComplaints_FollowTheScenario()
    {
        await NotificationDeliveryTests.SetSmsCodesAsync(Host);
        Host.Time.Advance(PastCache);
        var before = await MetricsText.ScrapeAsync(Host);
        var scenario = new ComplaintScenario(Host);

        // The provider throttles the first SMS (retried later) and refuses the second's number for good; the third is sent.
        _sms.Emulator.FailNext("isv.BUSINESS_LIMIT_CONTROL");
        await scenario.FileAsync("网购的电饭煲收到即损坏，商家拒绝退货。", phone: "13977780001");
        await Host.DeliverAsync();
        _sms.Emulator.FailFor("13977780002", "isv.MOBILE_NUMBER_ILLEGAL");
        await scenario.FileAsync("美容店预付卡充值后门店关闭，无法退款。", phone: "13977780002", name: "李四");
        await Host.DeliverAsync();
        using (var desk = Host.As("zx-desk-a"))
        {
            using var phoned = await desk.PostAsJsonAsync("/api/complaints", new
            {
                consumerName = "王五", consumerPhone = "13977780003", consumerAddress = "温州市瓯海区娄桥街道古莲路88号", respondentName = "瓯海区乐活健身会所",
                respondentAddress = "温州市瓯海区娄桥街道古莲路100号", request = "要求退还剩余预付款", facts = "健身会所突然关门，预付的年卡无法使用。", channel = "Phone", receivedAt = Host.Time.GetUtcNow(),
            }, ComplaintHost.Json);
            Assert.True(phoned.StatusCode == HttpStatusCode.Created, await phoned.Content.ReadAsStringAsync());
        }

        await Host.DeliverAsync();
        Host.Time.Advance(PastCache);
        var after = await MetricsText.ScrapeAsync(Host);
        output.WriteLine(string.Join('\n', after.Text.Split('\n').Where(l => l.StartsWith("cw_", StringComparison.Ordinal) && !l.StartsWith("cw_engine", StringComparison.Ordinal))));

        Assert.Equal(2, Delta(before, after, "cw_complaints_received_total", "channel=\"Web\""));
        Assert.Equal(1, Delta(before, after, "cw_complaints_received_total", "channel=\"Phone\""));
        Assert.Equal(3, Delta(before, after, "cw_complaints_received_total"));
        Assert.Equal(1, Delta(before, after, "cw_sms_provider_errors_total", "code=\"isv.BUSINESS_LIMIT_CONTROL\""));
        Assert.Equal(1, Delta(before, after, "cw_sms_provider_errors_total", "code=\"isv.MOBILE_NUMBER_ILLEGAL\""));
        Assert.Equal(2, Delta(before, after, "cw_sms_provider_errors_total", "provider=\"aliyun\""));
        Assert.Equal(2, Delta(before, after, "cw_sms_provider_errors_total"));

        // The notification gauges are what the notification table holds, per channel: the throttled SMS waits, the refused one failed.
        var (pending, failed) = await NotificationCountsAsync();
        Assert.True(pending[MessageChannel.Sms] >= 1 && failed[MessageChannel.Sms] >= 1, $"pending {pending[MessageChannel.Sms]}, failed {failed[MessageChannel.Sms]}");
        foreach (var channel in Enum.GetValues<MessageChannel>())
        {
            Assert.Equal(pending[channel], after.Sum("cw_notifications_pending", $"channel=\"{channel}\""));
            Assert.Equal(failed[channel], after.Sum("cw_notifications_failed", $"channel=\"{channel}\""));
        }

        Assert.Equal(1, Delta(before, after, "cw_notifications_failed", "channel=\"Sms\""));

        // Nobody accepted them: a month later all three are past their acceptance deadline.
        Assert.Equal(0, Delta(before, after, "cw_complaints_overdue"));
        Host.Time.Advance(TimeSpan.FromDays(30));
        var month = await MetricsText.ScrapeAsync(Host);
        Assert.Equal(3, Delta(before, month, "cw_complaints_overdue"));
    }

    private static double Delta(MetricsText before, MetricsText after, string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

    private async Task<(Dictionary<MessageChannel, int> Pending, Dictionary<MessageChannel, int> Failed)> NotificationCountsAsync()
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<Notification>().AsNoTracking().Select(n => new { n.Channel, n.Status }).ToListAsync();
        return (
            Enum.GetValues<MessageChannel>().ToDictionary(c => c, c => rows.Count(r => r.Channel == c && r.Status is NotificationStatus.Pending or NotificationStatus.NoProvider)),
            Enum.GetValues<MessageChannel>().ToDictionary(c => c, c => rows.Count(r => r.Channel == c && r.Status is NotificationStatus.Failed or NotificationStatus.InvalidRecipient)));
    }

    private static async Task DeployAsync(HttpClient admin, string key, string script, string retries)
    {
        var bpmn = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="s" />
                <bpmn:scriptTask id="check" scriptFormat="javascript" camunda:asyncBefore="true">
                  <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>{{retries}}</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
                  <bpmn:script>{{script}}</bpmn:script>
                </bpmn:scriptTask>
                <bpmn:userTask id="review" name="审核" />
                <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check" />
                <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="review" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using var xml = new StringContent(bpmn, Encoding.UTF8, "text/xml");
        using var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
        Assert.True(deployed.StatusCode == HttpStatusCode.OK, await deployed.Content.ReadAsStringAsync());
    }

    private static async Task StartAsync(HttpClient admin, string key)
    {
        using var started = await admin.PostAsJsonAsync($"/api/process-definitions/{key}/start", new { });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> database) => new(database, StringComparer.Ordinal)
    {
        ["Workflows:Operations:FigureCacheDuration"] = "00:00:30",
    };
}

public sealed class MetricsGaugeScenarioSqliteTests(ITestOutputHelper output) : MetricsGaugeScenarioTests([], output);

public sealed class MetricsGaugeScenarioPostgresTests(ITestOutputHelper output) : MetricsGaugeScenarioTests(new Dictionary<string, string?>
{
    ["Workflows:Database"] = "Postgres",
    ["Workflows:ConnectionString"] = TestPostgres.NewDatabase("metrics"),
}, output);
