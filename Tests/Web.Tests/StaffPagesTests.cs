using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The staff inbox, the dashboard and the administration pages in chromium, against the real host.</summary>
[Collection(WebTestGroup.Name)]
public sealed class StaffPagesTests(WebHostFixture host, ITestOutputHelper output)
{
    /// <summary>Markup a consumer might type (or an attacker send): it must show as these very characters, never run.</summary>
    public const string Markup = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script><b>粗体</b>";

    [Fact]
    public async Task DeskOfficer_ClaimsATask_AndCompletesItThroughItsForm_WithLiveUpdatesAndTheFileShownAsText()
    {
        var (id, tracking) = await FileAsync("网购手机屏幕有坏点，商家拒绝退换。" + Markup);
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, "zx-desk-a", WebHostFixture.DemoPassword, "/inbox/");

        var row = page.Locator($"#inbox-tasks tr:has(td:text-is('{tracking}'))");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td.respondent")).ToHaveTextAsync("鹿城区五马街道某超市");
        await Assertions.Expect(page.Locator("#inbox-live")).ToHaveAttributeAsync("data-state", "connected");
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-tasks"));

        await row.Locator("button.claim").ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("zx-desk-a");
        await row.Locator("button.open").ClickAsync();

        // The task's form-js form, filled with the dispatch suggestion; the complaint file beside it, its markup as text.
        await Assertions.Expect(page.Locator("#task-form .fjs-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#task-form input[name='unitId'], #task-form input[id$='unitId']").First).Not.ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#file-facts")).ToContainTextAsync("网购手机屏幕有坏点，商家拒绝退换。" + Markup);
        Assert.Equal(0, await page.Locator("#complaint-file img, #complaint-file script, #complaint-file b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        await page.FillAsync("#task-form textarea", "浏览器测试：确认分派");
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-task-form"));

        // A required field left empty: form-js's own message, in Chinese; nothing is completed.
        var unit = page.Locator("#task-form input[name='unitId'], #task-form input[id$='unitId']").First;
        var unitId = await unit.InputValueAsync();
        await unit.FillAsync("");
        await page.ClickAsync("#task-complete");
        await Assertions.Expect(page.Locator("#task-form .fjs-form-field-error").First).ToHaveTextAsync("此项为必填项。");
        await Assertions.Expect(page.Locator("#task-panel")).Not.ToContainTextAsync("Field is required");
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-task-form-required"));
        await unit.FillAsync(unitId);
        await Assertions.Expect(page.Locator("#task-form .fjs-form-field-error")).ToHaveCountAsync(0);

        await page.ClickAsync("#task-complete");
        await Assertions.Expect(page.Locator("#task-panel .notice-success")).ToContainTextAsync("已完成");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-task-completed"));

        // The engine moved on: the desk's review is no longer open, and the timeline says who completed it.
        using var admin = host.ClientFor(WebHostFixture.AdminUser, WebHostFixture.AdminPassword);
        var file = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{id}", UriKind.Relative));
        Assert.DoesNotContain(file.GetProperty("openTasks").EnumerateArray(), t => t.GetProperty("elementId").GetString() == "reviewDispatch");
        Assert.Contains(file.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("zx-desk-a", StringComparison.Ordinal));

        // A complaint filed now reaches the open inbox by itself (SignalR), without a reload.
        var (_, next) = await FileAsync("实时到达测试");
        await Assertions.Expect(page.Locator("#cw-toasts")).ToContainTextAsync("新任务", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator($"#inbox-tasks td:text-is('{next}')")).ToHaveCountAsync(1);
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-live-update"));
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task Search_FindsTheComplaint_AndItsFileShowsMarkupAsText()
    {
        var (_, tracking) = await FileAsync("查询测试" + Markup);
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, "zx-desk-a", WebHostFixture.DemoPassword, "/inbox/");

        await page.ClickAsync("#tab-search");
        await page.FillAsync("#search-q", tracking);
        await page.ClickAsync("#search-find");
        await Assertions.Expect(page.Locator("#search-total")).ToHaveTextAsync("共 1 件");
        await page.ClickAsync($"#search-table a:text-is('{tracking}')");

        await Assertions.Expect(page.Locator("#file-facts")).ToContainTextAsync("查询测试" + Markup);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.Contains(tracking, await page.GetAttributeAsync("#search-export", "href") ?? "", StringComparison.Ordinal);
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-search-file"));
    }

    [Fact]
    public async Task Dashboard_ShowsChartsWithTheFiguresOfTheApi_AndExportsExcel()
    {
        await FileAsync("看板测试");
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, "lc-leader", WebHostFixture.DemoPassword, "/dashboard/");
        await Assertions.Expect(page.Locator("main[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-units canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-trend canvas")).ToHaveCountAsync(1);

        // The page's figures are the API's for the same range (the export link carries the range the page shows).
        var href = await page.GetAttributeAsync("#dash-export-kpis", "href") ?? "";
        var query = href[href.IndexOf('?', StringComparison.Ordinal)..];
        var kpis = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/kpis" + query)).TextAsync()).RootElement;
        await Assertions.Expect(page.Locator("#kpi-received .value")).ToHaveTextAsync(kpis.GetProperty("total").GetProperty("received").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var key in new[] { "onTime", "satisfaction", "closure" })
        {
            var figure = kpis.GetProperty("total").GetProperty(key);
            await Assertions.Expect(page.Locator($"#kpi-{key}")).ToHaveAttributeAsync("data-count", figure.GetProperty("count").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator($"#kpi-{key}")).ToHaveAttributeAsync("data-of", figure.GetProperty("of").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var perUnit = kpis.GetProperty("byUnit").EnumerateArray().Select(u => u.GetProperty("received").GetInt32()).ToList();
        Assert.Equal(perUnit, JsonSerializer.Deserialize<List<int>>(await page.GetAttributeAsync("#chart-units", "data-received") ?? "[]"));
        var trend = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/dashboard/trends?period=month")).TextAsync()).RootElement;
        Assert.Equal(trend.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("figures").GetProperty("received").GetInt32()).ToList(),
            JsonSerializer.Deserialize<List<int>>(await page.GetAttributeAsync("#chart-trend", "data-received") ?? "[]"));
        await Assertions.Expect(page.Locator("#dash-by-handler tbody tr")).ToHaveCountAsync(kpis.GetProperty("byHandler").GetArrayLength());
        output.WriteLine(await host.ScreenshotAsync(page, "dashboard"));

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#dash-export-kpis"));
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task Administrator_ManagesTheDutyRosterAndAPartner_OnTheAdministrationPage()
    {
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsAdminAsync(page, "/admin/");
        await Assertions.Expect(page.Locator("#users-table")).ToContainTextAsync("zx-desk-a");
        output.WriteLine(await host.ScreenshotAsync(page, "admin-users"));

        await page.ClickAsync("#admin-tab-units");
        await Assertions.Expect(page.Locator("#units-table")).ToContainTextAsync("五马市场监督管理所");
        await page.FillAsync("#unit-id", "Bad Id");
        await page.FillAsync("#unit-name", "测试所");
        await page.ClickAsync("#unit-create");
        await Assertions.Expect(page.Locator("#unit-message .notice-error")).ToContainTextAsync("id");

        await page.ClickAsync("#admin-tab-duty");
        await Assertions.Expect(page.Locator("#duty-table")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#duty-unit", "wz-longwan-yongzhong");
        await page.FillAsync("#duty-month", "2031-02");
        var day = page.Locator("#duty-table tr[data-date='2031-02-01']");
        await day.Locator("select").SelectOptionAsync("yz-desk-b");
        await page.ClickAsync("#duty-save");
        await Assertions.Expect(page.Locator("#duty-message .notice-success")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#duty-table")).ToContainTextAsync("2031-02-01");
        await Assertions.Expect(day.Locator("[data-user='yz-desk-b']")).ToBeVisibleAsync();
        output.WriteLine(await host.ScreenshotAsync(page, "admin-duty"));

        await page.ClickAsync("#admin-tab-partners");
        var row = page.Locator("#partners-table tr[data-user='yz-handler']");
        await row.Locator("select").SelectOptionAsync("yz-desk-b");
        await row.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#cw-toasts")).ToContainTextAsync("已保存");
        using var admin = host.ClientFor(WebHostFixture.AdminUser, WebHostFixture.AdminPassword);
        var staff = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/staff?unitId=wz-longwan-yongzhong", UriKind.Relative));
        Assert.Equal("yz-desk-b", staff.EnumerateArray().Single(s => s.GetProperty("userName").GetString() == "yz-handler").GetProperty("partnerUserName").GetString());
        var roster = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/duty-roster?unitId=wz-longwan-yongzhong&month=2031-02", UriKind.Relative));
        Assert.Equal("yz-desk-b", roster.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("date").GetString() == "2031-02-01").GetProperty("userNames").EnumerateArray().Single().GetString());
    }

    [Theory]
    [InlineData("wm-handler", "/dashboard/", "/api/kpis")]
    [InlineData("wm-handler", "/admin/", "/api/admin/users")]
    [InlineData("wm-leader", "/admin/", "/api/admin/roles")]
    [InlineData("web-consumer", "/inbox/", "/api/inbox/tasks")]
    [InlineData("web-consumer", "/dashboard/", "/api/dashboard/trends")]
    public async Task Pages_AndTheirApiCalls_AreRefusedToRolesThatMustNotSeeThem(string user, string path, string apiPath)
    {
        var password = WebHostFixture.DemoPassword;
        if (user == "web-consumer")
        {
            await EnsureConsumerAsync(user);
        }

        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, user, password);

        var response = await page.GotoAsync(path);
        var call = await page.APIRequest.GetAsync(apiPath);

        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        await Assertions.Expect(page.Locator("#forbidden")).ToBeVisibleAsync();
        Assert.Equal((int)HttpStatusCode.Forbidden, call.Status);
        output.WriteLine(await host.ScreenshotAsync(page, $"forbidden-{user}-{path.Trim('/')}"));
    }

    private async Task EnsureConsumerAsync(string user)
    {
        using var response = await host.Admin.GetAsync(new Uri("/api/admin/users", UriKind.Relative));
        if (!(await response.Content.ReadAsStringAsync()).Contains($"\"{user}\"", StringComparison.Ordinal))
        {
            await host.CreateUserAsync(user, "consumer");
        }
    }

    /// <summary>Files a complaint as an anonymous consumer (a 五马 respondent); answers its id and tracking number.</summary>
    internal async Task<(string Id, string TrackingNumber)> FileAsync(string facts, string request = "退货退款")
    {
        using var anonymous = new HttpClient { BaseAddress = host.BaseUrl };
        using var response = await anonymous.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "浏览器测试",
            consumerPhone = "13912345678",
            consumerAddress = "温州市鹿城区五马街道",
            respondentName = "鹿城区五马街道某超市",
            respondentAddress = "温州市鹿城区五马街道解放街1号",
            request,
            facts = facts + " " + Guid.NewGuid().ToString("N")[..8],
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("trackingNumber").GetString()!);
    }
}
