using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// Password spraying from one address (a wrong password for many accounts) locks the address out on every sign-in
/// path, with the unlock time in the message, while other addresses sign in; an administrator lifts it.
/// </summary>
public sealed class AddressLockoutTests(KestrelHostFactory factory) : IClassFixture<KestrelHostFactory>
{
    private static readonly IdentityHostOptions Defaults = new();

    [Fact]
    public async Task SprayingWrongPasswords_LocksTheAddress_OnThePageBasicAndTokenPaths_UntilAnAdministratorLiftsIt()
    {
        const string Sprayer = "198.51.100.77";
        await factory.CreateUserAsync("spray-target", "wz-lucheng", RoleNames.Handler);
        using var token = await factory.CreateUserClientAsync("spray-token-user", "wz-lucheng", RoleNames.Handler);
        using var anonymous = factory.CreateAnonymousClient();
        using var admin = factory.CreateClient();

        var codes = new List<string?>();
        for (var i = 0; i < Defaults.MaxFailedSignInsPerAddress; i++)
        {
            using var wrong = await anonymous.SendAsync(KestrelHostFactory.From(Sprayer, HttpMethod.Post, "/api/auth/login", new { userName = $"guess-{i}", password = "Password123!" }));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            codes.Add((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using var rightPassword = await anonymous.SendAsync(KestrelHostFactory.From(Sprayer, HttpMethod.Post, "/api/auth/login", new { userName = "spray-target", password = HostFactory.UserPassword }));
        var refusal = await rightPassword.Content.ReadFromJsonAsync<JsonElement>();
        using var basicRequest = KestrelHostFactory.From(Sprayer, HttpMethod.Get, "/api/auth/me");
        basicRequest.Headers.Authorization = TestCredentials.Basic("spray-target", HostFactory.UserPassword);
        using var basic = await anonymous.SendAsync(basicRequest);
        using var tokenRequest = KestrelHostFactory.From(Sprayer, HttpMethod.Get, "/api/auth/me");
        tokenRequest.Headers.Authorization = token.DefaultRequestHeaders.Authorization;
        using var withToken = await anonymous.SendAsync(tokenRequest);
        using var other = factory.CreateAnonymousClient();
        using var elsewhere = await other.SendAsync(KestrelHostFactory.From("198.51.100.78", HttpMethod.Post, "/api/auth/login", new { userName = "spray-target", password = HostFactory.UserPassword }));
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/address-lockouts");
        using var lifted = await admin.DeleteAsync(new Uri($"/api/admin/address-lockouts/{Sprayer}", UriKind.Relative));
        using var afterLift = await anonymous.SendAsync(KestrelHostFactory.From(Sprayer, HttpMethod.Post, "/api/auth/login", new { userName = "spray-target", password = HostFactory.UserPassword }));

        Assert.Equal(Enumerable.Repeat("wrong-credentials", Defaults.MaxFailedSignInsPerAddress - 1).Append("address-locked"), codes);
        Assert.Equal(HttpStatusCode.Unauthorized, rightPassword.StatusCode);
        Assert.Equal("address-locked", refusal.GetProperty("code").GetString());
        var until = refusal.GetProperty("lockedUntil").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, Defaults.AddressLockoutDuration - TimeSpan.FromMinutes(1), Defaults.AddressLockoutDuration);
        var local = TimeZoneInfo.ConvertTime(until, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Contains($"将于 {local:yyyy-MM-dd HH:mm:ss} (Asia/Shanghai) 恢复", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Contains("登录失败次数过多", (await basic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Contains(listed.EnumerateArray(), l => l.GetProperty("address").GetString() == Sprayer);
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterLift.StatusCode);
    }

    [Fact]
    public async Task GuessingTokens_CountsTowardsTheAddressLockout()
    {
        const string Guesser = "198.51.100.88";
        using var anonymous = factory.CreateAnonymousClient();
        for (var i = 0; i < Defaults.MaxFailedSignInsPerAddress; i++)
        {
            using var guess = KestrelHostFactory.From(Guesser, HttpMethod.Get, "/api/auth/me");
            guess.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"cw_guessed{i}");
            using var refused = await anonymous.SendAsync(guess);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await factory.CreateUserAsync("token-guess-victim", null, RoleNames.Reviewer);
        using var login = await anonymous.SendAsync(KestrelHostFactory.From(Guesser, HttpMethod.Post, "/api/auth/login", new { userName = "token-guess-victim", password = HostFactory.UserPassword }));

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal("address-locked", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
