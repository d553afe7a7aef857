using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Operations;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>Two hosts on one PostgreSQL database: a heartbeat row each, one history row per figure and interval, the same database-wide gauges.</summary>
[Collection(MetricsTestGroup.Name)]
public sealed class OperationsPostgresTests : IDisposable
{
    private readonly ComplaintHost _first;
    private readonly ComplaintHost _second;

    public OperationsPostgresTests()
    {
        var connectionString = TestPostgres.NewDatabase("operations");
        var keys = TestFiles.NewFolder("keys");
        _first = new ComplaintHost { Settings = Settings(connectionString, keys, "host-a") };
        _second = new ComplaintHost { Settings = Settings(connectionString, keys, "host-b") };
    }

    [Fact]
    public async Task TwoHosts_RecordAHeartbeatEach_WriteEachSampleIntervalOnce_AndReportTheSameDatabaseFigures()
    {
        var scenario = new ComplaintScenario(_first);
        _ = _first.Services;
        _ = _second.Services; // started after the first has migrated the database
        await scenario.FileAsync("网购的电饭煲收到即损坏，商家拒绝退货。");
        await scenario.FileAsync("美容店预付卡充值后门店关闭，无法退款。", phone: "13957700001", name: "李四");

        // Both hosts sample the same interval (their background loops too, woken by the clock): at most one of these calls writes it,
        // and the history holds each interval once.
        _first.Time.Advance(TimeSpan.FromMinutes(1));
        _second.Time.Advance(TimeSpan.FromMinutes(1));
        var recorders = new[] { _first, _second }.Select(h => h.Services.GetRequiredService<OperationsRecorder>()).ToList();
        var written = await Task.WhenAll(recorders.Select(r => r.SampleAsync()));
        Assert.True(written.Count(w => w) <= 1);
        await Task.WhenAll(recorders.Select(r => r.BeatAsync()));

        using var admin = _second.As("admin");
        var health = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/operations/health", UriKind.Relative));
        var hosts = health.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("hostName").GetString()).ToList();
        Assert.Equal(["host-a", "host-b"], hosts);
        Assert.All(health.GetProperty("hosts").EnumerateArray(), h => Assert.False(h.GetProperty("silent").GetBoolean()));

        var running = (await _first.Engine.GetInstancesAsync(activeOnly: true)).Count;
        Assert.True(running >= 2);
        Assert.Equal(running, health.GetProperty("figures").GetProperty("engine.instances.running").GetDouble());
        Assert.Empty(health.GetProperty("stuck").EnumerateArray());

        var history = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/operations/history?range=hour", UriKind.Relative));
        var runningSeries = history.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "engine.instances.running");
        var points = runningSeries.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points.Count, points.Select(p => p[0].GetInt64()).Distinct().Count());
        Assert.Equal(running, points[^1][1].GetDouble());

        // Both hosts' gauges read the same database.
        var first = await MetricsText.ScrapeAsync(_first);
        var second = await MetricsText.ScrapeAsync(_second);
        Assert.Equal(running, first.Sum("cw_engine_instances_running"));
        Assert.Equal(first.Sum("cw_engine_instances_running"), second.Sum("cw_engine_instances_running"));

        // A host that stops beating is shown silent once HostSilentAfter passed.
        _second.Time.Advance(TimeSpan.FromMinutes(2));
        await recorders[1].BeatAsync();
        var later = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/operations/health", UriKind.Relative));
        var silent = later.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("hostName").GetString()!, h => h.GetProperty("silent").GetBoolean());
        Assert.True(silent["host-a"]);
        Assert.False(silent["host-b"]);
    }

    private static Dictionary<string, string?> Settings(string connectionString, string keys, string hostName) => new(StringComparer.Ordinal)
    {
        ["Workflows:Database"] = "Postgres",
        ["Workflows:ConnectionString"] = connectionString,
        ["Workflows:PersonalData:KeyRingFolder"] = keys,
        ["Workflows:Operations:HostName"] = hostName,
    };

    public void Dispose()
    {
        _second.Dispose();
        _first.Dispose();
    }
}
