using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>
/// The mobile intake page (流动投诉受理点) on a phone-sized chromium against the real host: it opens with the network cut
/// (the service worker keeps it), keeps the submission in its outbox while offline, sends it when the network returns,
/// and a submission sent again with its idempotency key (the answer lost) files nothing twice.
/// </summary>
[Collection(WebTestGroup.Name)]
public sealed class MobileIntakePagesTests(WebHostFixture host, ITestOutputHelper output)
{
    private static readonly int[] TuesdayAndFriday = [2, 5];
    private static readonly string[] OnDuty = ["zx-desk-a"];

    [Fact]
    public async Task Offline_SubmissionIsQueued_SentWhenOnline_AndFiledExactlyOnce()
    {
        using (var put = await host.Admin.PutAsJsonAsync("/api/admin/mobile-points/ob-market", new
        {
            name = "瓯北农贸市场受理点", place = "永嘉县瓯北街道农贸市场东门", unitId = "wz-12315", weekdays = TuesdayAndFriday, staffOnDuty = OnDuty,
        }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var page = await host.NewPageAsync(phone: true);
        await WebHostFixture.SignInAsync(page, "zx-desk-a", WebHostFixture.DemoPassword, "/mobile/");
        await page.WaitForSelectorAsync("#mobile-form");
        Assert.Contains("瓯北农贸市场受理点", await page.InnerTextAsync("#mobile-point"), StringComparison.Ordinal);

        // The service worker is installed (the page and its assets cached) and controls the page after a reload.
        await page.EvaluateAsync("navigator.serviceWorker.ready.then(() => true)");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#mobile-form");
        Assert.True(await page.EvaluateAsync<bool>("navigator.serviceWorker.controller !== null"));
        output.WriteLine(await host.ScreenshotAsync(page, "mobile-intake"));

        // Network cut: the page still opens, from the worker's cache.
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#mobile-form");
        Assert.False(await page.EvaluateAsync<bool>("navigator.onLine"));
        Assert.Contains("离线", await page.InnerTextAsync("#mobile-status"), StringComparison.Ordinal);

        var respondent = "瓯北镇离线测试五金店" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#mobile-consumerName", "陈阿婆");
        await page.FillAsync("#mobile-consumerPhone", "13957712345");
        await page.FillAsync("#mobile-consumerAddress", "温州市永嘉县瓯北街道双塔路8号");
        await page.FillAsync("#mobile-respondentName", respondent);
        await page.FillAsync("#mobile-respondentAddress", "温州市永嘉县瓯北街道罗浮大街100号");
        await page.FillAsync("#mobile-request", "要求退还电热水壶货款 89 元");
        await page.FillAsync("#mobile-facts", "在该店购买电热水壶，使用两天后底座漏电跳闸，店主拒绝退货。");
        await page.ClickAsync("#mobile-submit");
        await page.WaitForSelectorAsync("#mobile-queue li.queued");
        output.WriteLine(await host.ScreenshotAsync(page, "mobile-intake-offline-queued"));
        Assert.Equal(0, await CountAsync(respondent));

        // Network back: the outbox is sent.
        await page.Context.SetOfflineAsync(false);
        var sent = await page.WaitForSelectorAsync("#mobile-queue li.sent");
        var text = await sent!.InnerTextAsync();
        output.WriteLine(await host.ScreenshotAsync(page, "mobile-intake-sent"));

        // The answer "lost": the entry is marked unsent again and the page sends it once more with the same key.
        var key = await sent.GetAttributeAsync("data-key");
        await page.EvaluateAsync(@"key => new Promise((resolve, reject) => {
            const open = indexedDB.open('cw-mobile', 1);
            open.onsuccess = () => {
                const tx = open.result.transaction('outbox', 'readwrite');
                const store = tx.objectStore('outbox');
                const get = store.get(key);
                get.onsuccess = () => store.put({ ...get.result, state: 'queued' });
                tx.oncomplete = () => { open.result.close(); resolve(true); };
                tx.onerror = () => reject(tx.error);
            };
        })", key);
        await page.ReloadAsync();
        var again = await page.WaitForSelectorAsync($"#mobile-queue li.sent[data-key='{key}']");
        Assert.Equal(text[text.IndexOf("TS", StringComparison.Ordinal)..], (await again!.InnerTextAsync())[text.IndexOf("TS", StringComparison.Ordinal)..]);

        var found = await SearchAsync(respondent);
        var complaint = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal("MobilePoint", complaint.GetProperty("channel").GetString());
        var file = await host.Admin.GetFromJsonAsync<JsonElement>($"/api/complaints/{complaint.GetProperty("id").GetString()}");
        Assert.Equal("ob-market", file.GetProperty("complaint").GetProperty("mobilePointId").GetString());
        Assert.Contains(file.GetProperty("complaint").GetProperty("trackingNumber").GetString()!, text, StringComparison.Ordinal);

        // The dashboard's per-channel registration rule shows the mobile point's complaint.
        var kpis = await host.Admin.GetFromJsonAsync<JsonElement>("/api/kpis?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        Assert.Contains(kpis.GetProperty("registrationByChannel").EnumerateArray(), c => c.GetProperty("channel").GetString() == "MobilePoint" && c.GetProperty("withinLimit").GetProperty("of").GetInt32() >= 1);
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task NewPages_ShowForTheirUsers()
    {
        var admin = await host.NewPageAsync(wide: true);
        await WebHostFixture.SignInAsAdminAsync(admin, "/admin/?tab=mobilePoints");
        await admin.WaitForSelectorAsync("#point-form");
        output.WriteLine(await host.ScreenshotAsync(admin, "admin-mobile-points"));
        await admin.ClickAsync("#admin-tab-odr");
        await admin.WaitForSelectorAsync("#odr-form");
        await admin.FillAsync("#odr-id", "web-odr");
        await admin.FillAsync("#odr-name", "温州网测电器有限公司");
        await admin.FillAsync("#odr-branches", "鹿城区网测电器门店");
        await admin.ClickAsync("#odr-save");
        await admin.WaitForSelectorAsync("[data-id='web-odr']");
        output.WriteLine(await host.ScreenshotAsync(admin, "admin-odr-businesses"));
        await admin.ClickAsync("#admin-tab-disclosure");
        await admin.ClickAsync("#disclosure-draft");
        await admin.WaitForSelectorAsync("#disclosure-status");
        Assert.Equal("草稿", await admin.InnerTextAsync("#disclosure-status"));
        output.WriteLine(await host.ScreenshotAsync(admin, "admin-disclosure"));


        using (var account = await host.Admin.PostAsJsonAsync("/api/admin/odr/businesses/web-odr/accounts", new { userName = "web-odr-service", displayName = "网测客服", password = WebHostFixture.DemoPassword }))
        {
            Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        }

        var business = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(business, "web-odr-service", WebHostFixture.DemoPassword, "/odr/");
        await business.WaitForSelectorAsync("#odr-complaints");
        output.WriteLine(await host.ScreenshotAsync(business, "odr-portal"));

        var visitor = await host.NewPageAsync();
        await visitor.GotoAsync("/disclosure/");
        await visitor.WaitForSelectorAsync("#disclosure-table > *");
        output.WriteLine(await host.ScreenshotAsync(visitor, "disclosure"));
        Assert.Empty(host.PageErrors[admin]);
        Assert.Empty(host.PageErrors[business]);
        Assert.Empty(host.PageErrors[visitor]);
    }

    private async Task<JsonElement> SearchAsync(string respondent)
        => await host.Admin.GetFromJsonAsync<JsonElement>($"/api/complaints?q={Uri.EscapeDataString(respondent)}");

    private async Task<int> CountAsync(string respondent) => (await SearchAsync(respondent)).GetProperty("total").GetInt32();
}
