using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary><c>/metrics</c> on SQLite: who may read it, and the counters and gauges after a whole complaint scenario.</summary>
[Collection(MetricsTestGroup.Name)]
public sealed class MetricsScrapeTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "scrape-token-for-the-metrics-tests-0123456789";

    private readonly ComplaintHost _host = new()
    {
        Settings = { ["Workflows:Operations:ScrapeToken"] = Token, ["Workflows:Operations:FigureCacheDuration"] = "00:00:30" },
    };

    [Fact]
    public async Task Metrics_AreRefusedWithoutSignInOrToken_AndToStaff_AndServedToAdministratorsAndTheScrapeToken()
    {
        using (var anonymous = _host.Anonymous())
        using (var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var wrong = _host.Anonymous())
        {
            wrong.DefaultRequestHeaders.Authorization = MetricsText.Bearer(Token + "x");
            using var response = await wrong.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var staff = _host.As("zx-desk-a"))
        using (var response = await staff.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var prometheus = _host.Anonymous())
        {
            prometheus.DefaultRequestHeaders.Authorization = MetricsText.Bearer(Token);
            using var response = await prometheus.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = new MetricsText(await response.Content.ReadAsStringAsync());
            Assert.True(text.Has("cw_engine_jobs_due"), text.Text);
            Assert.True(text.Has("http_server_request_duration_seconds"), "ASP.NET Core's metrics are exported");
            Assert.True(text.Has("dotnet_gc_collections_total") || text.Text.Contains("process_runtime_dotnet", StringComparison.Ordinal), "the runtime's metrics are exported");
        }

        var admin = await MetricsText.ScrapeAsync(_host);
        Assert.True(admin.Has("cw_engine_instances_running"));

        // The health API is the administrators' too.
        using var desk = _host.As("zx-desk-a");
        using var refused = await desk.GetAsync(new Uri("/api/admin/operations/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AWholeComplaintScenario_MovesTheCountersByWhatHappened_AndTheGaugesFollowTheDatabaseAfterTheirCacheDuration()
    {
        var before = await MetricsText.ScrapeAsync(_host);
        var startedAt = _host.Time.GetUtcNow();
        var instancesBefore = (await _host.Engine.GetInstancesAsync()).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。", consumer: "consumer:c1");
        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = "已联系商家协商，商家同意退款" });
        await scenario.CloseRecordAsync(id);
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        using (var consumer = _host.As("consumer:c1"))
        {
            using var answer = await consumer.PostAsJsonAsync($"/api/complaints/{id}/survey", new { speed = 5, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "处理很及时" });
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        Assert.Equal("Archived", await scenario.StatusAsync(id));
        var after = await MetricsText.ScrapeAsync(_host);
        output.WriteLine(string.Join('\n', after.Text.Split('\n').Where(l => l.StartsWith("cw_", StringComparison.Ordinal))));

        // What the store holds now is what the counters say happened: every instance started, by process, and those that ended.
        var started = (await _host.Engine.GetInstancesAsync()).Where(i => !instancesBefore.Contains(i.Id)).ToList();
        Assert.NotEmpty(started);
        foreach (var process in started.GroupBy(i => i.DefinitionKey))
        {
            var label = $"process_key=\"{process.Key}\"";
            Assert.Equal(process.Count(), Delta("cw_engine_instances_started_total", label));
            Assert.Equal(process.Count(i => i.Status == InstanceStatus.Completed), Delta("cw_engine_instances_completed_total", label));
        }

        Assert.Equal(0, Delta("cw_engine_instances_failed_total"));
        Assert.Equal(1, Delta("cw_complaints_received_total", "channel=\"Web\""));
        Assert.Equal(0, Delta("cw_complaints_received_total") - Delta("cw_complaints_received_total", "channel=\"Web\""));

        // Every step is timed once; the scenario took at least one step per completed task and per started instance.
        var steps = Delta("cw_engine_steps_committed_total");
        Assert.Equal(steps, Delta("cw_engine_step_commit_duration_seconds_count"));
        Assert.True(steps >= started.Count + 5, $"{steps} steps for {started.Count} instances and 5 tasks");
        Assert.True(Delta("cw_sqlite_write_queue_wait_seconds_count") >= steps, "every write transaction went through the write queue");

        // The gauges read the database at most once per cache duration: the running instances counted before the
        // scenario are still reported, then the figures of now once the cache expired.
        Assert.Equal(before.Sum("cw_engine_instances_running"), after.Sum("cw_engine_instances_running"));
        _host.Time.Advance(TimeSpan.FromSeconds(31));
        var fresh = await MetricsText.ScrapeAsync(_host);
        var running = (await _host.Engine.GetInstancesAsync(activeOnly: true)).Count;
        Assert.Equal(running, fresh.Sum("cw_engine_instances_running"));
        Assert.Equal(0, fresh.Sum("cw_engine_incidents_open"));
        Assert.True(_host.Time.GetUtcNow() > startedAt);

        double Delta(string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
    }

    public void Dispose() => _host.Dispose();
}
