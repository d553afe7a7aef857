using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>A host as installed: the first administrator must change the initial password at first sign-in.</summary>
public sealed class FirstSignInHostFactory : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Identity:InitialAdminMustChangePassword", "true");
    }
}

public sealed class FirstSignInTests(FirstSignInHostFactory factory) : IClassFixture<FirstSignInHostFactory>
{
    [Fact]
    public async Task TheFirstAdministrator_MustChangeTheInitialPassword_BeforeAnythingElse_OnEveryPath()
    {
        using var browser = factory.CreateAnonymousClient();
        browser.DefaultRequestHeaders.Add("X-CW-Request", "1");
        using var basic = factory.CreateAnonymousClient();
        basic.DefaultRequestHeaders.Authorization = TestCredentials.Basic(HostFactory.AdminUserName, HostFactory.AdminPassword);

        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = HostFactory.AdminUserName, password = HostFactory.AdminPassword });
        var me = await login.Content.ReadFromJsonAsync<JsonElement>();
        using var users = await browser.GetAsync(new Uri("/api/admin/users", UriKind.Relative));
        using var basicUsers = await basic.GetAsync(new Uri("/engine-rest/deployment", UriKind.Relative));
        using var deploy = await basic.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), new StringContent("<x/>"));
        using var changed = await browser.PostAsJsonAsync("/api/auth/password", new { currentPassword = HostFactory.AdminPassword, newPassword = "the-administrators-own-2026" });
        var meAfter = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me");
        using var usersAfter = await browser.GetAsync(new Uri("/api/admin/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(me.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        var problem = await users.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("password-change-required", problem.GetProperty("code").GetString());
        Assert.Contains("修改初始密码", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, basicUsers.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deploy.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.False(meAfter.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, usersAfter.StatusCode);
    }
}
