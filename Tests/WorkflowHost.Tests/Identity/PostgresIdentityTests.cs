using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>The host on a new PostgreSQL database of its own (needs the server ./test.sh starts).</summary>
public sealed class IdentityPostgresHostFactory : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var connectionString = TestPostgres.NewDatabase("identity");

        builder.UseSetting("Workflows:Database", "Postgres");
        builder.UseSetting("Workflows:ConnectionString", connectionString);
        builder.UseSetting("Workflows:Timers:UseQuartz", "false");
    }
}

public sealed class IdentityTests_Postgres(IdentityPostgresHostFactory factory) : IClassFixture<IdentityPostgresHostFactory>
{
    [Fact]
    public async Task SignIn_Tokens_AndALockoutWithALocalEndTime_WorkOnPostgres()
    {
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "pg-user", displayName = "李明", password = "pg-user-password", roles = new[] { RoleNames.Handler }, unitId = "wz-lucheng" });
        using var browser = factory.CreateAnonymousClient();
        browser.DefaultRequestHeaders.Add("X-CW-Request", "1");
        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "pg-user", password = "pg-user-password" });
        using var token = await browser.PostAsJsonAsync("/api/auth/tokens", new { name = "pg", expiresInDays = 2 });
        var tokens = await browser.GetFromJsonAsync<JsonElement>("/api/auth/tokens");
        using var locked = await admin.PostAsJsonAsync("/api/admin/users/pg-user/lock", new { until = new DateTimeOffset(2099, 1, 1, 8, 0, 0, TimeSpan.FromHours(8)) });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        Assert.Equal("pg", tokens.EnumerateArray().Single().GetProperty("name").GetString());
        var user = await locked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(user.GetProperty("lockedOut").GetBoolean(), user.ToString());
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), user.GetProperty("lockoutEnd").GetDateTimeOffset());
    }
}
