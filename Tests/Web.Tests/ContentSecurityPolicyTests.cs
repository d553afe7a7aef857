using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>
/// Every page under the host's Content-Security-Policy (no inline or evaluated script): loaded in chromium, each must
/// draw what it is for (the designer's and the instance viewer's bpmn-js diagram, the dashboard's ECharts charts)
/// with no CSP violation reported, neither as a <c>securitypolicyviolation</c> event nor on the console.
/// </summary>
[Collection(WebTestGroup.Name)]
public sealed class ContentSecurityPolicyTests(WebHostFixture host, ITestOutputHelper output)
{
    /// <summary>Runs before any script of the page (Playwright injects it past the CSP) and records every violation.</summary>
    private const string RecordViolations = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
        """;

    [Fact]
    public async Task EveryPage_WorksUnderTheContentSecurityPolicy_WithNoViolation()
    {
        var tasks = await host.Admin.GetFromJsonAsync<JsonElement>("/api/tasks");
        var instanceId = tasks.EnumerateArray().First(t => t.GetProperty("definitionKey").GetString() == "complaint-handling").GetProperty("processInstanceId").GetString()!;
        (string Path, string? Ready)[] pages =
        [
            ("/", "#cw-nav"),
            ("/portal/", "main form"),
            ("/track/", "main form"),
            ("/survey/?token=not-a-real-token", "main"),
            ("/inbox/", "#cw-user"),
            ("/dashboard/", "#chart-units canvas"),
            ("/admin/", "#cw-user"),
            ("/designer/?key=complaint-handling", "#canvas[data-state=ready]"),
            ($"/instances/?id={instanceId}", "#instance-canvas[data-state=ready]"),
        ];

        var page = await host.NewPageAsync(wide: true);
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                console.Add($"{page.Url}: {message.Text}");
            }
        };
        await page.Context.AddInitScriptAsync(RecordViolations);

        // The sign-in page first, signed out; then every page as the administrator (who may open them all).
        var login = await page.GotoAsync("/login/");
        var policy = login!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", login.Headers["x-content-type-options"]);
        Assert.Equal("same-origin", login.Headers["referrer-policy"]);
        await WebHostFixture.SignInAsAdminAsync(page);

        var violations = new List<string>();
        foreach (var (path, ready) in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(policy, response!.Headers["content-security-policy"]);
            if (ready is not null)
            {
                await page.Locator(ready).First.WaitForAsync(new() { Timeout = 30_000 });
            }

            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            violations.AddRange((await page.EvaluateAsync<string[]>("() => window.__cspViolations")).Select(v => $"{path}: {v}"));
        }

        output.WriteLine(await host.ScreenshotAsync(page, "csp-instance-viewer"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(console.Count == 0, string.Join("\n", console));
        Assert.Empty(host.PageErrors[page]);

        // The check itself works: an inline script the page did not ship is refused and reported.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true'; document.body.append(s); }");
        await page.WaitForFunctionAsync("() => window.__cspViolations.length > 0");
        Assert.False(await page.EvaluateAsync<bool>("() => window.__inlineRan === true"));
    }
}
