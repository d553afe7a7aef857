using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>Every administrator action writes its audit entry (who, what, on what, the answer), readable with filters and paging at /api/admin/audit.</summary>
public sealed class AuditLogTests(HostFactory factory) : IClassFixture<HostFactory>
{
    private static readonly string[] Desk = ["desk_officer"];
    private static readonly string[] DeskAndHandler = ["desk_officer", "handler"];

    [Fact]
    public async Task DeployMigrateAndUserChanges_EachWriteAnEntry_WithoutThePasswords()
    {
        using var admin = factory.CreateClient();
        using (var xml = new StringContent(TestDiagrams.Review("audit-review"), Encoding.UTF8, "text/xml"))
        {
            using var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
            Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
            var definition = (await deployed.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetString();
            using var migrated = await admin.PostAsJsonAsync("/api/migrations", new { sourceDefinitionId = definition, targetDefinitionId = definition, dryRun = true });
        }

        const string secret = "Audit-Secret-Password-1";
        (await admin.PostAsJsonAsync("/api/admin/users", new { userName = "audit-user", displayName = "审计用户", password = secret, roles = Desk })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/users/audit-user/roles", new { roles = DeskAndHandler })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/admin/users/audit-user/password", new { password = secret + "x" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/admin/users/audit-user/lock", new { })).EnsureSuccessStatusCode();
        (await admin.PostAsync(new Uri("/api/admin/users/audit-user/unlock", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using (var refused = await admin.PutAsJsonAsync("/api/admin/users/nobody-here/roles", new { roles = Desk }))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        var deploy = await EntriesAsync(admin, "action=deploy&target=audit-review");
        var entry = Assert.Single(deploy.GetProperty("items").EnumerateArray());
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());

        var migrations = (await EntriesAsync(admin, "action=migrate")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(migrations, m => m.GetProperty("details").GetString()!.Contains("dryRun", StringComparison.Ordinal));

        var user = await EntriesAsync(admin, "action=user&target=audit-user");
        var actions = user.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["user.unlock", "user.lock", "user.password", "user.roles", "user.create"], actions);
        Assert.DoesNotContain(secret, user.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("handler", user.GetProperty("items")[3].GetProperty("details").GetString(), StringComparison.Ordinal);

        var failed = Assert.Single((await EntriesAsync(admin, "action=user.roles&target=nobody-here")).GetProperty("items").EnumerateArray());
        Assert.Equal(404, failed.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task TheLog_IsPaged_Filtered_AndForAdministratorsOnly()
    {
        using var admin = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await admin.PostAsync(new Uri($"/api/admin/users/admin/unlock", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        var first = await EntriesAsync(admin, "action=user.unlock&target=admin&pageSize=2");
        Assert.True(first.GetProperty("total").GetInt64() >= 3);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var second = await EntriesAsync(admin, "action=user.unlock&target=admin&pageSize=2&page=2");
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("id").GetInt64(), second.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal(0, (await EntriesAsync(admin, "actor=someone-else")).GetProperty("total").GetInt64());

        using var tooLarge = await admin.GetAsync(new Uri("/api/admin/audit?pageSize=100000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("Workflows:Audit:MaxPageSize", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var desk = await factory.CreateUserClientAsync("audit-desk", null, "desk_officer");
        using var forbidden = await desk.GetAsync(new Uri("/api/admin/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<JsonElement> EntriesAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri($"/api/admin/audit?{query}", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
