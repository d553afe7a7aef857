using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// Each administrator action the issue names, done through its API route, is found in the audit log
/// (<c>/api/admin/audit</c>) with who did it, on what and how it was answered; the schema migrations applied at
/// start-up are there too, one entry each, and only once.
/// </summary>
public sealed class AuditRoutesTests(ComplaintHost host) : IClassFixture<ComplaintHost>
{
    private static readonly string[] Desk = ["desk_officer"];
    private static readonly string[] DeskAndLeader = ["desk_officer", "leader"];

    [Fact]
    public async Task Deploy_WritesAnEntry_NamingTheDeployedProcess()
    {
        using var admin = host.As("admin");
        using var xml = new StringContent(TestDiagrams.Review("audit-route-deploy"), Encoding.UTF8, "text/xml");
        using var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);

        var entry = Assert.Single(await EntriesAsync("action=deploy&target=audit-route-deploy"));
        Assert.Equal(("admin", "deploy", "audit-route-deploy", 200), Summary(entry));
    }

    [Fact]
    public async Task MigratingInstances_WritesAnEntry_WithTheSourceAndTargetVersions()
    {
        using var admin = host.As("admin");
        var v1 = await DeployAsync(admin, TestDiagrams.Review("audit-route-migrate"));
        using (var started = await admin.PostAsJsonAsync("/api/process-definitions/audit-route-migrate/start", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        var v2 = await DeployAsync(admin, TestDiagrams.Review("audit-route-migrate").Replace("审核", "复核", StringComparison.Ordinal));
        Assert.NotEqual(v1, v2);
        using (var migrated = await admin.PostAsJsonAsync("/api/migrations", new { sourceDefinitionId = v1, targetDefinitionId = v2, dryRun = false }))
        {
            Assert.True(migrated.StatusCode == HttpStatusCode.OK, await migrated.Content.ReadAsStringAsync());
        }

        var entry = Assert.Single(await EntriesAsync("action=migrate"), e => e.GetProperty("details").GetString()!.Contains(v1, StringComparison.Ordinal));
        Assert.Equal(("admin", "migrate", 200), (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("status").GetInt32()));
        var details = entry.GetProperty("details").GetString()!;
        Assert.Contains(v2, details, StringComparison.Ordinal);
        Assert.Contains("\"dryRun\":false", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingAUser_AndChangingTheirRoles_WriteAnEntryEach_WithTheRolesAndWithoutThePassword()
    {
        using var admin = host.As("admin");
        const string password = "Audit-Route-Password-1";
        using (var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "audit-route-user", displayName = "审计路由", password, roles = Desk }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var roles = await admin.PutAsJsonAsync("/api/admin/users/audit-route-user/roles", new { roles = DeskAndLeader }))
        {
            Assert.True(roles.IsSuccessStatusCode, await roles.Content.ReadAsStringAsync());
        }

        var entries = await EntriesAsync("action=user&target=audit-route-user");
        Assert.Equal([("admin", "user.roles", "audit-route-user", 200), ("admin", "user.create", "audit-route-user", 201)], entries.Select(Summary).ToList());
        Assert.Contains(RoleNames.Leader, entries[0].GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.All(entries, e => Assert.DoesNotContain(password, e.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARetentionRun_WritesAnEntry_WithTheRunAndItsCounts()
    {
        using var admin = host.As("admin");
        using var ran = await admin.PostAsync(new Uri("/api/admin/retention/run", UriKind.Relative), null);
        Assert.True(ran.IsSuccessStatusCode, await ran.Content.ReadAsStringAsync());
        var run = await ran.Content.ReadFromJsonAsync<JsonElement>();
        var runId = run.GetProperty("id").GetInt64();

        var entry = Assert.Single(await EntriesAsync($"action=retention.run&target=run%20{runId}"));
        Assert.Equal(("admin", "retention.run", $"run {runId}", 0), Summary(entry));
        Assert.Equal(run.GetProperty("counts").GetString(), entry.GetProperty("details").GetString());
    }

    [Fact]
    public async Task ErasingAConsumer_WritesAnEntry_WithTheMaskedNumber_AndARefusedErasureToo()
    {
        using var admin = host.As("admin");
        using (var erased = await admin.PostAsync(new Uri("/api/admin/consumers/13977770001/erase", UriKind.Relative), null))
        {
            Assert.True(erased.IsSuccessStatusCode, await erased.Content.ReadAsStringAsync());
        }

        await new ComplaintScenario(host).FileAsync("网购的电热水壶收到即漏水，商家拒绝退货。", phone: "13977770002");
        using (var refused = await admin.PostAsync(new Uri("/api/admin/consumers/13977770002/erase", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        Assert.Equal(("admin", "consumer.erase", "139****0001", 200), Summary(Assert.Single(await EntriesAsync("action=consumer.erase&target=139****0001"))));
        Assert.Equal(("admin", "consumer.erase", "139****0002", 409), Summary(Assert.Single(await EntriesAsync("action=consumer.erase&target=139****0002"))));
        var all = await EntriesAsync("action=consumer");
        Assert.DoesNotContain("13977770001", string.Join('\n', all.Select(e => e.GetRawText())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaMigrationsAppliedAtStartUp_AreOneEntryEach_AndAHostStartingOnTheMigratedDatabaseAddsNone()
    {
        var folder = TestFiles.NewFolder("audit-migrations");
        List<string> first;
        using (var fresh = new ComplaintHost { Settings = { ["Workflows:DataFolder"] = folder } })
        {
            first = await SchemaEntriesAsync(fresh);
            await using var db = await fresh.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
            var domain = db.Database.GetMigrations().Select(m => $"domain/{m}").ToList();
            Assert.NotEmpty(domain);
            Assert.Subset(first.ToHashSet(StringComparer.Ordinal), domain.ToHashSet(StringComparer.Ordinal));
            Assert.Equal(domain.Count, first.Count(t => t.StartsWith("domain/", StringComparison.Ordinal)));
        }

        Assert.Equal(first.Count, first.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(first, t => t.StartsWith("identity/", StringComparison.Ordinal));
        Assert.Contains(first, t => t.StartsWith("engine/", StringComparison.Ordinal));

        using var again = new ComplaintHost { Settings = { ["Workflows:DataFolder"] = folder } };
        Assert.Equal(first.Order(StringComparer.Ordinal), (await SchemaEntriesAsync(again)).Order(StringComparer.Ordinal));
        TestFiles.DeleteFolder(folder);
    }

    private static async Task<List<string>> SchemaEntriesAsync(ComplaintHost on)
    {
        using var admin = on.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/audit?action=schema.migrate&pageSize=200", UriKind.Relative));
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, e => Assert.Equal(("system", 0), (e.GetProperty("actor").GetString(), e.GetProperty("status").GetInt32())));
        return [.. items.Select(e => e.GetProperty("target").GetString()!)];
    }

    private static async Task<string> DeployAsync(HttpClient admin, string bpmn)
    {
        using var xml = new StringContent(bpmn, Encoding.UTF8, "text/xml");
        using var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        return (await deployed.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> EntriesAsync(string query)
    {
        using var admin = host.As("admin");
        using var response = await admin.GetAsync(new Uri($"/api/admin/audit?{query}", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()];
    }

    private static (string?, string?, string?, int) Summary(JsonElement entry)
        => (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("target").GetString(), entry.GetProperty("status").GetInt32());
}
