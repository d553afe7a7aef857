using System.Net;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The shared frame of every page: sign-in, navigation by role, the language switch, page access by role.</summary>
[Collection(WebTestGroup.Name)]
public sealed class PageFrameTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task SignIn_ReturnsToTheRequestedPage_AndShowsTheUserAndTheAdministratorsPages()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/designer/");

        // A signed-out visitor lands on the sign-in page, which speaks Chinese first.
        await page.WaitForURLAsync("**/login/?returnUrl=%2Fdesigner%2F");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        output.WriteLine(await host.ScreenshotAsync(page, "frame-sign-in"));

        await page.FillAsync("#login-user", WebHostFixture.AdminUser);
        await page.FillAsync("#login-password", WebHostFixture.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/designer/");
        await Assertions.Expect(page.Locator("#cw-user")).ToHaveTextAsync("管理员 (Administrator)");
        await Assertions.Expect(page.Locator("#cw-nav")).ToContainTextAsync("流程设计器");

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#home-pages")).ToContainTextAsync("流程设计器");
        Assert.DoesNotContain("null", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        output.WriteLine(await host.ScreenshotAsync(page, "frame-home-administrator"));
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task WrongPassword_ShowsTheServersReason_AndStaysSignedOut()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/login/");
        await page.FillAsync("#login-user", WebHostFixture.AdminUser);
        await page.FillAsync("#login-password", "not-the-password");
        await page.ClickAsync("#login-submit");

        await Assertions.Expect(page.Locator("#login-message .notice-error")).ToContainTextAsync("登录失败");
        Assert.EndsWith("/login/", page.Url, StringComparison.Ordinal);
        var me = await page.APIRequest.GetAsync("/api/auth/me");
        Assert.Equal((int)HttpStatusCode.Unauthorized, me.Status);
    }

    [Fact]
    public async Task LanguageSwitch_ShowsEnglish_AndKeepsItAcrossPages()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/login/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("登录");

        await page.ClickAsync("#cw-lang");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".brand")).ToHaveTextAsync("ComplaintWorkflows");
        output.WriteLine(await host.ScreenshotAsync(page, "frame-home-english"));

        await page.ClickAsync("#cw-lang");
        await Assertions.Expect(page.Locator(".brand")).ToHaveTextAsync("消费者投诉工作流");
    }

    [Fact]
    public async Task AdministratorsPages_AreRefusedToOtherStaff_InThePageAndItsNavigation()
    {
        const string user = "web-frame-handler";
        await host.CreateUserAsync(user, "handler");
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, user, WebHostFixture.DemoPassword);
        await Assertions.Expect(page.Locator("#cw-nav")).Not.ToContainTextAsync("流程设计器");

        var response = await page.GotoAsync("/designer/");
        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        await Assertions.Expect(page.Locator("#forbidden")).ToContainTextAsync("没有访问此页面所需的角色");
        output.WriteLine(await host.ScreenshotAsync(page, "frame-designer-forbidden"));
    }

    [Fact]
    public async Task Pages_AreServedWithAContentSecurityPolicy_AndAssetsWithLongCaching()
    {
        var page = await host.NewPageAsync();
        var response = await page.GotoAsync("/login/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);

        var script = await page.Locator("script[type=module]").First.GetAttributeAsync("src");
        var asset = await page.APIRequest.GetAsync(script!);
        Assert.Equal(200, asset.Status);
        Assert.Contains("immutable", asset.Headers["cache-control"], StringComparison.Ordinal);

        // A path below a page that names no file is the page itself (it routes inside); an unknown API path stays a 404 problem.
        var deep = await page.APIRequest.GetAsync("/login/somewhere/inside");
        Assert.Equal(200, deep.Status);
        Assert.Contains("text/html", deep.Headers["content-type"], StringComparison.Ordinal);
        var api = await page.APIRequest.GetAsync("/api/no-such-thing", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.NotEqual(200, api.Status);
    }
}
