using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The engine-health page (运行监控) in chromium, against the real host.</summary>
[Collection(WebTestGroup.Name)]
public sealed class OperationsPageTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task Administrator_SeesTheFiguresOfTheApi_TheirCharts_TheHostsHeartbeat_AndTheIncidentsAndStuckInstances()
    {
        var page = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(page, "/operations/");
        await Assertions.Expect(page.Locator("main[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("运行监控");
        await Assertions.Expect(page.Locator("#chart-engine canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-domain canvas")).ToHaveCountAsync(1);

        var health = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/admin/operations/health")).TextAsync()).RootElement;
        var running = health.GetProperty("figures").GetProperty("engine.instances.running").GetDouble();
        Assert.True(running > 0, "the demo complaints' processes run");
        await Assertions.Expect(page.Locator("#figure-engine-instances-running .value")).ToHaveTextAsync(running.ToString(CultureInfo.InvariantCulture));
        var host0 = health.GetProperty("hosts")[0].GetProperty("hostName").GetString()!;
        await Assertions.Expect(page.Locator($"#health-hosts-table tr[data-host='{host0}'] td.state")).ToHaveTextAsync("正常");
        var incidents = health.GetProperty("incidents").GetArrayLength();
        await Assertions.Expect(page.Locator("#health-incidents h2")).ToHaveTextAsync($"故障（{incidents}）");
        await Assertions.Expect(page.Locator("#health-stuck h2")).ToHaveTextAsync($"停滞实例（{health.GetProperty("stuck").GetArrayLength()}）");

        // The charts draw the history the hosts sampled (at least the sample of the host's start).
        var history = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/admin/operations/history?range=hour")).TextAsync()).RootElement;
        var points = history.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "engine.instances.running").GetProperty("points").GetArrayLength();
        Assert.True(points >= 1);
        var drawn = JsonSerializer.Deserialize<Dictionary<string, int>>(await page.GetAttributeAsync("#chart-engine", "data-series") ?? "{}")!;
        Assert.Equal(points, drawn["engine.instances.running"]);
        output.WriteLine(await host.ScreenshotAsync(page, "operations-health"));

        await page.SelectOptionAsync("#health-range", "day");
        await Assertions.Expect(page.Locator("#chart-engine")).ToHaveAttributeAsync("data-series", new System.Text.RegularExpressions.Regex("engine.instances.running"));
        Assert.Empty(host.PageErrors[page]);
    }
}
