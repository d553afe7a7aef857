using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The administrators' audit log in /admin/ (操作审计): their actions listed latest first, filtered by action and target.</summary>
[Collection(WebTestGroup.Name)]
public sealed class AuditPageTests(WebHostFixture host, ITestOutputHelper output)
{
    private static readonly string[] HandlerAndReviewer = ["handler", "reviewer"];

    [Fact]
    public async Task AnAdministratorsRoleChange_IsListedInTheAuditTab_AndTheFiltersFindIt()
    {
        const string user = "web-audited-user";
        await host.CreateUserAsync(user, "handler");
        using (var changed = await host.Admin.PutAsJsonAsync($"/api/admin/users/{user}/roles", new { roles = HandlerAndReviewer }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        var admin = await host.NewPageAsync();
        await WebHostFixture.SignInAsAdminAsync(admin, "/admin/?tab=audit");
        await Assertions.Expect(admin.Locator("#admin-tab-audit")).ToHaveTextAsync("操作审计");
        var row = admin.Locator("#audit-table tr[data-action='user.roles']", new() { HasText = user });
        await Assertions.Expect(row).ToContainTextAsync("用户与角色");
        await Assertions.Expect(row).ToContainTextAsync("成功");
        await Assertions.Expect(row).ToContainTextAsync("reviewer");

        await admin.SelectOptionAsync("#audit-action", "deploy");
        await admin.ClickAsync("#audit-search");
        await Assertions.Expect(admin.Locator($"#audit-results")).Not.ToContainTextAsync(user);

        await admin.SelectOptionAsync("#audit-action", "user");
        await admin.FillAsync("#audit-target", user);
        await admin.ClickAsync("#audit-search");
        // Its creation and the role change.
        await Assertions.Expect(admin.Locator("#audit-table tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(admin.Locator("#audit-page")).ToContainTextAsync("共 2 条");
        output.WriteLine(await host.ScreenshotAsync(admin, "admin-audit-log"));
        Assert.Empty(host.PageErrors[admin]);
    }
}
