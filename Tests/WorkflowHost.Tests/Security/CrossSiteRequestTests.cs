using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Tests.Identity;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// Cross-site request forgery: every route that changes something (every method but GET/HEAD/OPTIONS), read from
/// the endpoint data source, is sent with a signed-in administrator's cookie as another site would send it; none
/// may get past the guard. The same cookie from this site's pages, and Basic or token requests from anywhere, work.
/// </summary>
public sealed class CrossSiteRequestTests(HostFactory factory) : IClassFixture<HostFactory>
{
    private const string Evil = "https://evil.example";

    [Fact]
    public async Task EveryChangingRoute_WithTheSignInCookie_FromAnotherSite_Is403()
    {
        using var browser = await SignedInBrowserAsync();
        var changing = RouteCatalogue.Routes(factory).Where(r => r.Route.Split(' ')[0] is not ("GET" or "HEAD" or "OPTIONS")).ToList();
        var failures = new List<string>();

        foreach (var (route, endpoint) in changing)
        {
            foreach (var attack in Attacks())
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Split(' ')[0]), new Uri(RouteCatalogue.Url(endpoint.RoutePattern), UriKind.Relative))
                {
                    Content = JsonContent.Create(new { }),
                };
                attack.Value(request);
                using var response = await browser.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.BadRequest) || !body.Contains("cross-site-request", StringComparison.Ordinal))
                {
                    failures.Add($"{route} ({attack.Key}): {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                }
            }
        }

        // The cookie still works from this site's pages (the header they send), so the refusals above are the guard's.
        using var mine = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/tokens", UriKind.Relative)) { Content = JsonContent.Create(new { name = "from-the-page", expiresInDays = 1 }) };
        mine.Headers.Add("X-CW-Request", "1");
        mine.Headers.Add("Origin", "http://localhost");
        using var fromThisSite = await browser.SendAsync(mine);

        Assert.True(changing.Count > 40, $"only {changing.Count} changing routes found");
        Assert.True(failures.Count == 0, "Not refused: " + string.Join("; ", failures));
        Assert.Equal(HttpStatusCode.Created, fromThisSite.StatusCode);
    }

    [Fact]
    public async Task BasicAndTokenRequests_AreNotCookieBorne_AndPassFromAnyOrigin()
    {
        using var token = await factory.CreateUserClientAsync("csrf-token-user", null, RoleNames.Reviewer);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/auth/tokens", UriKind.Relative)) { Content = JsonContent.Create(new { name = "script", expiresInDays = 1 }) };
        request.Headers.Add("Origin", Evil);

        using var response = await token.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task TheSignInCookie_IsHttpOnly_AndSameSiteStrict()
    {
        using var browser = factory.CreateAnonymousClient();
        await factory.CreateUserAsync("csrf-cookie-user", null, RoleNames.Reviewer);

        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "csrf-cookie-user", password = HostFactory.UserPassword });

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(IdentityHostExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a forged request looks like: another site's Origin; the browser's cross-site mark; or no Origin and no page header (an old browser, a form).</summary>
    private static Dictionary<string, Action<HttpRequestMessage>> Attacks() => new()
    {
        ["foreign Origin"] = r => r.Headers.Add("Origin", Evil),
        ["foreign Origin with the header"] = r =>
        {
            r.Headers.Add("Origin", Evil);
            r.Headers.Add("X-CW-Request", "1");
        },
        ["Sec-Fetch-Site cross-site"] = r => r.Headers.Add("Sec-Fetch-Site", "cross-site"),
        ["no header"] = _ => { },
    };

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = factory.CreateAnonymousClient();
        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = HostFactory.AdminUserName, password = HostFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(HostFactory.AdminUserName, me.GetProperty("userName").GetString());
        return browser;
    }
}
