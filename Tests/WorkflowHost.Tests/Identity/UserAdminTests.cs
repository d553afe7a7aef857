using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

public sealed class UserAdminTests(HostFactory factory) : IClassFixture<HostFactory>
{
    private const string Bpmn = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="admin-deploy" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Administrator_CreatesAUserWithRolesAndUnit_WhoSignsInWithThem_AndCarriesTheUnitClaim()
    {
        using var admin = factory.CreateClient();

        using var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "wang.li", displayName = "王丽", password = "wang-li-password", roles = new[] { RoleNames.DeskOfficer, RoleNames.Reviewer }, unitId = "wz-ouhai", departmentId = "wz-ouhai-consumer" });
        using var wangLi = factory.CreateAnonymousClient();
        wangLi.DefaultRequestHeaders.Authorization = TestCredentials.Basic("wang.li", "wang-li-password");
        var me = await wangLi.GetFromJsonAsync<JsonElement>("/api/auth/me");
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "wang.li");
        var principal = await PrincipalAsync("wang.li");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("王丽", me.GetProperty("displayName").GetString());
        Assert.Equal([RoleNames.DeskOfficer, RoleNames.Reviewer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("wz-ouhai", listed.GetProperty("unitId").GetString());
        Assert.False(listed.GetProperty("lockedOut").GetBoolean());
        Assert.Equal("wz-ouhai", principal.FindFirstValue(StaffUser.UnitClaim));
        var staff = StaffUser.From(principal)!;
        Assert.Contains("desk_officer@wz-ouhai", staff.Groups);
    }

    [Fact]
    public async Task ChangingRoles_TakesEffectAtTheNextRequest_DeployNeedsTheAdministratorRole()
    {
        await factory.CreateUserAsync("promoted", null, RoleNames.Handler);
        using var admin = factory.CreateClient();
        using var user = factory.CreateAnonymousClient();
        user.DefaultRequestHeaders.Authorization = TestCredentials.Basic("promoted", HostFactory.UserPassword);

        using var before = await DeployAsync(user);
        using var promote = await admin.PutAsJsonAsync("/api/admin/users/promoted/roles", new { roles = new[] { RoleNames.Handler, RoleNames.Administrator } });
        using var after = await DeployAsync(user);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal("forbidden", (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ResetPassword_ReplacesTheOldOne_AndRevokesTheUsersTokens()
    {
        using var token = await factory.CreateUserClientAsync("reset-user", null, RoleNames.Handler);
        using var admin = factory.CreateClient();
        using var basic = factory.CreateAnonymousClient();
        using var tokenBefore = await token.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        using var reset = await admin.PostAsJsonAsync("/api/admin/users/reset-user/password", new { password = "brand-new-password" });
        basic.DefaultRequestHeaders.Authorization = TestCredentials.Basic("reset-user", HostFactory.UserPassword);
        using var oldPassword = await basic.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        basic.DefaultRequestHeaders.Authorization = TestCredentials.Basic("reset-user", "brand-new-password");
        using var newPassword = await basic.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        using var tokenAfterReset = await token.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, tokenBefore.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAfterReset.StatusCode);
    }

    [Fact]
    public async Task Lock_StopsBasicAndTokens_UnlockRestores()
    {
        using var token = await factory.CreateUserClientAsync("locked-out-user", null, RoleNames.Handler);
        using var admin = factory.CreateClient();
        using var basic = factory.CreateAnonymousClient();
        basic.DefaultRequestHeaders.Authorization = TestCredentials.Basic("locked-out-user", HostFactory.UserPassword);

        using var locked = await admin.PostAsJsonAsync("/api/admin/users/locked-out-user/lock", new { });
        using var basicWhileLocked = await basic.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        using var tokenWhileLocked = await token.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        using var unlocked = await admin.PostAsync(new Uri("/api/admin/users/locked-out-user/unlock", UriKind.Relative), null);
        using var basicAfter = await basic.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        using var tokenAfter = await token.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.True((await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedOut").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, basicWhileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenWhileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basicAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, tokenAfter.StatusCode);
    }

    [Fact]
    public async Task Refusals_NameWhatIsWrong()
    {
        using var admin = factory.CreateClient();
        using var handler = await factory.CreateUserClientAsync("not-an-admin", null, RoleNames.Handler);

        using var unknownRole = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "x1", password = "long-enough-password", roles = (string[])["superuser"] });
        using var weak = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "x2", password = "short", roles = new[] { RoleNames.Handler } });
        using var duplicate = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "not-an-admin", password = "long-enough-password", roles = Array.Empty<string>() });
        using var missing = await admin.PutAsJsonAsync("/api/admin/users/nobody/roles", new { roles = new[] { RoleNames.Handler } });
        using var forbidden = await handler.GetAsync(new Uri("/api/admin/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, unknownRole.StatusCode);
        Assert.Contains("superuser", await unknownRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("密码至少 10 个字符", (await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("已存在", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task TheLastAdministrator_CannotBeLockedOrLoseTheRole()
    {
        using var own = new HostFactory();
        using var admin = own.CreateClient();

        using var demote = await admin.PutAsJsonAsync($"/api/admin/users/{HostFactory.AdminUserName}/roles", new { roles = new[] { RoleNames.Handler } });
        using var lockSelf = await admin.PostAsJsonAsync($"/api/admin/users/{HostFactory.AdminUserName}/lock", new { });
        await own.CreateUserAsync("second-admin", null, RoleNames.Administrator);
        using var demoteNow = await admin.PutAsJsonAsync($"/api/admin/users/{HostFactory.AdminUserName}/roles", new { roles = new[] { RoleNames.Handler } });

        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal("last-administrator", (await demote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, lockSelf.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demoteNow.StatusCode);
    }

    private static async Task<HttpResponseMessage> DeployAsync(HttpClient client)
    {
        using var xml = new StringContent(Bpmn, Encoding.UTF8, "text/xml");
        return await client.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var factoryOfClaims = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>();
        return await factoryOfClaims.CreateAsync((await users.FindByNameAsync(userName))!);
    }
}
