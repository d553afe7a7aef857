using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>What a locked-out user reads on the sign-in page, and how an administrator lifts account and address lockouts in /admin/.</summary>
[Collection(WebTestGroup.Name)]
public sealed class SignInAbusePagesTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task ALockedUser_ReadsWhenTheLockEnds_AndTheAdministratorUnlocksThemInTheUsersTable()
    {
        const string user = "web-locked-handler";
        await host.CreateUserAsync(user, "handler");
        using var locked = await host.Admin.PostAsJsonAsync($"/api/admin/users/{user}/lock", new { until = DateTimeOffset.UtcNow.AddHours(2) });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);

        var visitor = await host.NewPageAsync();
        await visitor.GotoAsync("/login/");
        await visitor.FillAsync("#login-user", user);
        await visitor.FillAsync("#login-password", WebHostFixture.DemoPassword);
        await visitor.ClickAsync("#login-submit");
        await Assertions.Expect(visitor.Locator("#login-message .notice-error")).ToContainTextAsync("自动解锁");
        await Assertions.Expect(visitor.Locator("#login-message")).ToContainTextAsync("(Asia/Shanghai)");
        output.WriteLine(await host.ScreenshotAsync(visitor, "sign-in-locked"));

        var admin = await host.NewPageAsync();
        await WebHostFixture.SignInAsAdminAsync(admin, "/admin/");
        var row = admin.Locator($"#users-table tr[data-user='{user}']");
        await Assertions.Expect(row.Locator(".badge-error")).ToContainTextAsync("已锁定至");
        await row.Locator("button").ClickAsync();
        await Assertions.Expect(row.Locator(".badge-error")).ToHaveCountAsync(0);

        await WebHostFixture.SignInAsync(visitor, user, WebHostFixture.DemoPassword);
        Assert.Empty(host.PageErrors[admin]);
    }

    [Fact]
    public async Task AnAddressLockedBySpraying_IsListedInAdmin_AndLiftedThere()
    {
        // As nginx on this machine would forward a sprayer's requests.
        const string sprayer = "203.0.113.50";
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        HttpStatusCode last = default;
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/login", UriKind.Relative)) { Content = JsonContent.Create(new { userName = $"spray-{i}", password = "Password123!" }) };
            request.Headers.Add("X-Forwarded-For", sprayer);
            using var response = await client.SendAsync(request);
            last = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, last);
        var admin = await host.NewPageAsync();
        await WebHostFixture.SignInAsAdminAsync(admin, "/admin/");
        var row = admin.Locator($"#address-lockouts-table tr[data-address='{sprayer}']");
        await Assertions.Expect(row).ToContainTextAsync("已锁定至");
        output.WriteLine(await host.ScreenshotAsync(admin, "admin-address-lockouts"));
        await row.Locator(".address-lift").ClickAsync();
        await Assertions.Expect(admin.Locator("#address-lockouts-none")).ToBeVisibleAsync();
        Assert.Empty(host.PageErrors[admin]);
    }
}
