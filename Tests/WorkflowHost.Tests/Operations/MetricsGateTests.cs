using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>A host as installed (the first administrator must change the initial password), with a scrape token.</summary>
public sealed class FirstSignInMetricsHostFactory : HostFactory
{
    public const string Token = "scrape-token-for-the-first-sign-in-tests-0123";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Identity:InitialAdminMustChangePassword", "true");
        builder.UseSetting("Workflows:Operations:ScrapeToken", Token);
    }
}

/// <summary>
/// <c>/metrics</c> is outside the API's pipeline but keeps its gate: an administrator who has not yet changed the initial
/// password is refused there as on every API route (cookie or Basic), while the scrape token, which has no password to
/// change, is served.
/// </summary>
public sealed class MetricsGateTests(FirstSignInMetricsHostFactory factory) : IClassFixture<FirstSignInMetricsHostFactory>
{
    [Fact]
    public async Task AnAdministratorWhoMustChangeThePassword_IsRefusedMetrics_ByCookieAndBasic_UntilTheChange_WhileTheScrapeTokenIsServed()
    {
        using var browser = factory.CreateAnonymousClient();
        browser.DefaultRequestHeaders.Add("X-CW-Request", "1");
        using var basic = factory.CreateAnonymousClient();
        basic.DefaultRequestHeaders.Authorization = TestCredentials.Basic(HostFactory.AdminUserName, HostFactory.AdminPassword);
        using var prometheus = factory.CreateAnonymousClient();
        prometheus.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FirstSignInMetricsHostFactory.Token);

        using (var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = HostFactory.AdminUserName, password = HostFactory.AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var cookie = await browser.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, cookie.StatusCode);
            var problem = await cookie.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("password-change-required", problem.GetProperty("code").GetString());
            Assert.Contains("修改初始密码", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("cw_engine", await cookie.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var byBasic = await basic.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byBasic.StatusCode);
            Assert.Equal("password-change-required", (await byBasic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using (var scraped = await prometheus.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
            Assert.Contains("# TYPE cw_engine_jobs_due ", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var changed = await browser.PostAsJsonAsync("/api/auth/password", new { currentPassword = HostFactory.AdminPassword, newPassword = "the-administrators-own-metrics-2026" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        using var after = await browser.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("# TYPE cw_engine_jobs_due ", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
