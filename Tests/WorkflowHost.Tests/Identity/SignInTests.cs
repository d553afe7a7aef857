using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>Three wrong passwords lock an account here (the default is five).</summary>
public sealed class LockoutHostFactory : HostFactory
{
    public const int Attempts = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Identity:MaxFailedAccessAttempts", Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class SignInTests(LockoutHostFactory factory) : IClassFixture<LockoutHostFactory>
{
    [Fact]
    public async Task Login_SetsTheCookie_MeShowsRolesAndUnit_AndLogoutEndsIt()
    {
        await factory.CreateUserAsync("desk-lucheng", "wz-lucheng", RoleNames.DeskOfficer);
        using var browser = factory.CreateAnonymousClient();

        // As the pages do (ClientApp/src/shared/api.js): a cookie-borne change without it is refused as cross-site.
        browser.DefaultRequestHeaders.Add("X-CW-Request", "1");

        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "desk-lucheng", password = HostFactory.UserPassword });
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me");
        using var inbox = await browser.GetAsync(new Uri("/api/inbox/tasks", UriKind.Relative));
        using var logout = await browser.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null);
        using var after = await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cw.auth=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("desk-lucheng", me.GetProperty("userName").GetString());
        Assert.Equal([RoleNames.DeskOfficer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("wz-lucheng", me.GetProperty("unitId").GetString());
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task UnauthenticatedApiCall_Is401ProblemDetails_NotARedirect()
    {
        using var browser = factory.CreateAnonymousClient();

        using var response = await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task WrongPasswords_Are401_AndLockTheAccount_ForSignInAndBasicAlike_UntilAnAdministratorUnlocksIt()
    {
        await factory.CreateUserAsync("handler-lock", "wz-ouhai", RoleNames.Handler);
        using var browser = factory.CreateAnonymousClient();
        using var admin = factory.CreateClient();

        var codes = new List<string?>();
        for (var i = 0; i < LockoutHostFactory.Attempts; i++)
        {
            using var wrong = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "handler-lock", password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            codes.Add((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using var right = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "handler-lock", password = HostFactory.UserPassword });
        using var basicRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/auth/me", UriKind.Relative));
        basicRequest.Headers.Authorization = TestCredentials.Basic("handler-lock", HostFactory.UserPassword);
        using var basic = await browser.SendAsync(basicRequest);
        using var unlock = await admin.PostAsync(new Uri("/api/admin/users/handler-lock/unlock", UriKind.Relative), null);
        using var afterUnlock = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "handler-lock", password = HostFactory.UserPassword });

        Assert.Equal(["wrong-credentials", "wrong-credentials", "locked-out"], codes);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal("locked-out", (await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Contains("锁定", (await basic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterUnlock.StatusCode);
    }

    [Fact]
    public async Task ALockedAccount_IsToldWhenItUnlocks_InBeijingTime_AndItsTokensStopWorkingMeanwhile()
    {
        using var token = await factory.CreateUserClientAsync("handler-when", "wz-ouhai", RoleNames.Handler);
        using var browser = factory.CreateAnonymousClient();
        for (var i = 0; i < LockoutHostFactory.Attempts; i++)
        {
            using var wrong = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "handler-when", password = "not-the-password" });
        }

        using var right = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "handler-when", password = HostFactory.UserPassword });
        var problem = await right.Content.ReadFromJsonAsync<JsonElement>();
        using var withToken = await token.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal("locked-out", problem.GetProperty("code").GetString());
        var until = problem.GetProperty("lockedUntil").GetDateTimeOffset();
        var lockout = new IdentityHostOptions().LockoutDuration;
        Assert.InRange(until - DateTimeOffset.UtcNow, lockout - TimeSpan.FromMinutes(1), lockout);
        var local = TimeZoneInfo.ConvertTime(until, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Contains($"将于 {local:yyyy-MM-dd HH:mm:ss} (Asia/Shanghai) 自动解锁", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
        Assert.Contains("令牌所属账户已锁定", (await withToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongBasicPasswords_CountTowardsTheLockout()
    {
        await factory.CreateUserAsync("modeler-lock", null, RoleNames.Administrator);
        using var client = factory.CreateAnonymousClient();

        for (var i = 0; i < LockoutHostFactory.Attempts; i++)
        {
            client.DefaultRequestHeaders.Authorization = TestCredentials.Basic("modeler-lock", "wrong-password");
            using var wrong = await client.GetAsync(new Uri("/engine-rest/deployment", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = TestCredentials.Basic("modeler-lock", HostFactory.UserPassword);
        using var right = await client.GetAsync(new Uri("/engine-rest/deployment", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked", (await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingMyPassword_NeedsTheCurrentOne_AndTheOldOneStopsWorking()
    {
        await factory.CreateUserAsync("reviewer-pw", null, RoleNames.Reviewer);
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = TestCredentials.Basic("reviewer-pw", HostFactory.UserPassword);

        using var wrongCurrent = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not-it-at-all", newPassword = "a-new-password-2026" });
        using var tooShort = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = HostFactory.UserPassword, newPassword = "short" });
        using var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = HostFactory.UserPassword, newPassword = "a-new-password-2026" });
        using var old = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        client.DefaultRequestHeaders.Authorization = TestCredentials.Basic("reviewer-pw", "a-new-password-2026");
        using var fresh = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("至少 10 个字符", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }
}
