using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.WorkflowHost.Identity;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>The security headers on every kind of answer, HSTS and Secure cookies on HTTPS only (directly or behind a trusted proxy).</summary>
public sealed class SecurityHeadersTests(KestrelHostFactory factory) : IClassFixture<KestrelHostFactory>
{
    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/cases")]
    [InlineData("/no-such-path")]
    public async Task EveryAnswer_HasTheCspNosniffReferrerAndFramePolicies_AndNoHstsOverHttp(string path)
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindAnHttpsProxy_AnswersCarryHsts_AndTheSignInCookieIsSecure()
    {
        await factory.CreateUserAsync("https-user", null, RoleNames.Reviewer);
        using var client = factory.CreateAnonymousClient();

        // As nginx forwards an HTTPS request for complaints.example.
        using var request = KestrelHostFactory.From("198.51.100.5", HttpMethod.Post, "/api/auth/login", new { userName = "https-user", password = HostFactory.UserPassword });
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "complaints.example";
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(IdentityHostExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
