using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Operations;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// Retention on a fake clock: an archived complaint keeps its consumer's data for <c>ArchivedComplaintYears</c>, then the
/// cleanup anonymises it and redacts its archive entry, and the archive chain still verifies; a consumer's data is
/// exported and erased on request. Every run and erasure is recorded (run table and audit log).
/// </summary>
public abstract class RetentionTestsBase : IDisposable
{
    private readonly ComplaintHost _host;

    protected RetentionTestsBase(IDictionary<string, string?> settings)
    {
        settings["Workflows:Retention:BatchSize"] = "1";
        _host = new ComplaintHost { Settings = settings };
    }

    [Fact]
    public async Task AnArchivedComplaint_IsAnonymisedAfterItsYears_InBatches_AndTheArchiveChainStillVerifies()
    {
        var scenario = new ComplaintScenario(_host);
        var old = await ArchivedComplaintAsync(scenario, "13911110001", "李四");
        await _host.AdvanceAsync(TimeSpan.FromDays(2 * 365));
        var recent = await ArchivedComplaintAsync(scenario, "13911110002", "王五");
        await _host.AdvanceAsync(TimeSpan.FromDays(365 + 2));

        using var admin = _host.As("admin");
        using var ran = await admin.PostAsync(new Uri("/api/admin/retention/run", UriKind.Relative), null);
        Assert.True(ran.IsSuccessStatusCode, await ran.Content.ReadAsStringAsync());
        var run = await ran.Content.ReadFromJsonAsync<JsonElement>();
        var counts = JsonDocument.Parse(run.GetProperty("counts").GetString()!).RootElement;
        Assert.Equal(1, counts.GetProperty("archivedComplaints").GetInt32());
        Assert.Equal("admin", run.GetProperty("triggeredBy").GetString());
        Assert.True(counts.GetProperty("batches").GetInt32() >= 2, "a batch size of 1 takes several transactions");

        var oldFile = (await scenario.FileOfAsync(old)).GetProperty("complaint");
        Assert.Equal(ConsumerDataService.ErasedName, oldFile.GetProperty("consumerName").GetString());
        Assert.DoesNotContain("李四", oldFile.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("王五", (await scenario.FileOfAsync(recent)).GetProperty("complaint").GetProperty("consumerName").GetString());

        var verify = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative));
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.GetRawText());
        Assert.Equal(2, verify.GetProperty("entries").GetInt64());
        Assert.Equal(1, verify.GetProperty("redacted").GetInt64());

        // The redacted entry's hash still holds the chain: altering it breaks the next entry's link.
        var contexts = _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Set<Activities.Archive.ArchiveEntry>().Where(a => a.ComplaintId == old).ExecuteUpdateAsync(s => s.SetProperty(a => a.Hash, new string('f', 64)));
        }

        var broken = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative));
        Assert.False(broken.GetProperty("intact").GetBoolean());

        var runs = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/retention/runs", UriKind.Relative));
        Assert.Equal(run.GetProperty("id").GetInt64(), runs[0].GetProperty("id").GetInt64());
        var audit = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/audit?action=retention.run", UriKind.Relative));
        Assert.Equal("admin", audit.GetProperty("items")[0].GetProperty("actor").GetString());

        // A second run finds nothing more to do.
        using var again = await admin.PostAsync(new Uri("/api/admin/retention/run", UriKind.Relative), null);
        var againCounts = JsonDocument.Parse((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counts").GetString()!).RootElement;
        Assert.Equal(0, againCounts.GetProperty("archivedComplaints").GetInt32());
    }

    [Fact]
    public async Task AConsumersData_IsExported_ThenErased_OnlyOnceNoComplaintIsOpen_WithAuditEntries()
    {
        var scenario = new ComplaintScenario(_host);
        var done = await ArchivedComplaintAsync(scenario, "13922220001", "赵六");
        var open = await scenario.FileAsync("洗衣机漏水，商家不予处理。", phone: "13922220001", name: "赵六", respondent: "瓯海区某电器行", consumer: "consumer:13922220001");
        using var admin = _host.As("admin");

        var export = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/consumers/139-2222-0001/export", UriKind.Relative), ComplaintHost.Json);
        var ids = export.GetProperty("complaints").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([done, open], ids);
        Assert.Equal("赵六", export.GetProperty("complaints")[0].GetProperty("consumerName").GetString());
        Assert.True(export.GetProperty("surveyAnswers").GetArrayLength() >= 1);
        Assert.True(export.GetProperty("timeline").GetArrayLength() > 2);

        using (var refused = await admin.PostAsync(new Uri("/api/admin/consumers/13922220001/erase", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains(open, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await FinishAsync(scenario, open, "13922220001");
        using var erased = await admin.PostAsync(new Uri("/api/admin/consumers/13922220001/erase", UriKind.Relative), null);
        Assert.True(erased.IsSuccessStatusCode, await erased.Content.ReadAsStringAsync());
        Assert.Equal(2, (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("complaints").GetInt32());

        var after = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/consumers/13922220001/export", UriKind.Relative));
        Assert.Equal(0, after.GetProperty("complaints").GetArrayLength());
        Assert.Equal(0, after.GetProperty("smsSent").GetArrayLength());
        var file = await scenario.FileOfAsync(done);
        Assert.DoesNotContain("赵六", file.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("13922220001", file.GetRawText(), StringComparison.Ordinal);
        var verify = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative));
        Assert.True(verify.GetProperty("intact").GetBoolean());

        var audit = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/audit?action=consumer", UriKind.Relative));
        var entries = audit.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("status").GetInt32(), e.GetProperty("target").GetString())).ToList();
        Assert.Equal([("consumer.export", 200, "139****0001"), ("consumer.erase", 200, "139****0001"), ("consumer.erase", 409, "139****0001"), ("consumer.export", 200, "139****0001")], entries);
        Assert.DoesNotContain("13922220001", audit.GetRawText(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _host.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<string> ArchivedComplaintAsync(ComplaintScenario scenario, string phone, string name)
    {
        var id = await scenario.FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。", phone: phone, name: name, consumer: $"consumer:{phone}");
        await FinishAsync(scenario, id, phone);
        return id;
    }

    /// <summary>Closes a complaint and lets its consumer answer the survey, which archives it and ends its process.</summary>
    private static async Task FinishAsync(ComplaintScenario scenario, string id, string phone)
    {
        await scenario.CloseAsync(id);
        using var consumer = scenario.Host.As($"consumer:{phone}");
        using var answer = await consumer.PostAsJsonAsync($"/api/complaints/{id}/survey", new { speed = 5, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "处理很及时" });
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("Archived", await scenario.StatusAsync(id));
    }
}

public sealed class RetentionSqliteTests() : RetentionTestsBase(new Dictionary<string, string?>());

public sealed class RetentionPostgresTests() : RetentionTestsBase(new Dictionary<string, string?>
{
    ["Workflows:Database"] = "Postgres",
    ["Workflows:ConnectionString"] = TestPostgres.NewDatabase("retention"),
});
