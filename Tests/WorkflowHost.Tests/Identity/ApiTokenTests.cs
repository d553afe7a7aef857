using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>A host on a fake clock (timers and jobs do not run by themselves here).</summary>
public sealed class FakeClockHostFactory : HostFactory
{
    public FakeTimeProvider Time { get; } = TestClock.New();

    protected override string PollInterval => "01:00:00";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Timers:UseQuartz", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

public sealed class ApiTokenTests(FakeClockHostFactory factory) : IClassFixture<FakeClockHostFactory>
{
    [Fact]
    public async Task Token_IsShownOnce_WorksAsBearer_IsListedWithoutItsText_AndStopsWorkingWhenRevoked()
    {
        await factory.CreateUserAsync("token-owner", "wz-longwan", RoleNames.Leader);
        using var owner = factory.CreateAnonymousClient();
        owner.DefaultRequestHeaders.Authorization = TestCredentials.Basic("token-owner", HostFactory.UserPassword);
        using var created = await owner.PostAsJsonAsync("/api/auth/tokens", new { name = "报表脚本 (report script)", expiresInDays = 30 });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        using var script = factory.CreateAnonymousClient();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var me = await script.GetFromJsonAsync<JsonElement>("/api/auth/me");
        var listed = await owner.GetStringAsync(new Uri("/api/auth/tokens", UriKind.Relative));
        using var revoked = await owner.DeleteAsync(new Uri($"/api/auth/tokens/{body.GetProperty("id").GetString()}", UriKind.Relative));
        using var afterRevoke = await script.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith(ApiTokenService.Prefix, token, StringComparison.Ordinal);
        Assert.Equal("token-owner", me.GetProperty("userName").GetString());
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
        Assert.Equal("报表脚本 (report script)", entry.GetProperty("name").GetString());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);
        Assert.DoesNotContain(token[ApiTokenService.Prefix.Length..], listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task Token_WorksUntilItExpires()
    {
        using var client = await factory.CreateUserClientAsync("token-expiry", null, RoleNames.Handler);
        using var created = await client.PostAsJsonAsync("/api/auth/tokens", new { name = "one day", expiresInDays = 1 });
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var before = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        using var after = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("expired", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OfAnotherUser_CannotBeRevoked_AndLifetimeIsBounded()
    {
        using var first = await factory.CreateUserClientAsync("token-a", null, RoleNames.Handler);
        using var second = await factory.CreateUserClientAsync("token-b", null, RoleNames.Handler);
        using var created = await first.PostAsJsonAsync("/api/auth/tokens", new { name = "mine", expiresInDays = 7 });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var foreign = await second.DeleteAsync(new Uri($"/api/auth/tokens/{id}", UriKind.Relative));
        using var tooLong = await first.PostAsJsonAsync("/api/auth/tokens", new { name = "forever", expiresInDays = 100000 });

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("expiresInDays", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
