using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>The consumer portal on a phone-sized screen: filing with attachments, the tracking number and the timeline.</summary>
[Collection(WebTestGroup.Name)]
public sealed class PortalPagesTests(WebHostFixture host, ITestOutputHelper output)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "portal-receipt"u8.ToArray()];

    [Fact]
    public async Task Consumer_FilesAComplaintOnAPhone_WithAPhoto_AndSeesItsTimeline()
    {
        var page = await host.NewPageAsync(phone: true);
        await page.GotoAsync("/portal/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("我要投诉");

        // Required fields are checked in the page before anything is sent.
        await page.ClickAsync("#portal-submit");
        await Assertions.Expect(page.Locator("#portal-consumerName-error")).ToHaveTextAsync("请填写此项");
        await Assertions.Expect(page.Locator("#portal-facts-error")).ToHaveTextAsync("请填写此项");
        await page.FillAsync("#portal-consumerPhone", "12345");
        await page.ClickAsync("#portal-submit");
        await Assertions.Expect(page.Locator("#portal-consumerPhone-error")).ToContainTextAsync("11 位手机号");
        output.WriteLine(await host.ScreenshotAsync(page, "portal-required-fields"));

        var respondent = "五马街道<script>window.__xss=1</script>鞋店" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#portal-consumerName", "李四");
        await page.FillAsync("#portal-consumerPhone", "13812345678");
        await page.FillAsync("#portal-consumerAddress", "温州市鹿城区五马街道");
        await page.FillAsync("#portal-respondentName", respondent);
        await page.FillAsync("#portal-respondentAddress", "温州市鹿城区五马街道解放街8号");
        await page.FillAsync("#portal-request", "退货退款");
        await page.FillAsync("#portal-facts", "新买的鞋子穿一天就开胶，商家拒绝退货。<img src=x onerror=\"window.__xss=2\">");
        await page.SetInputFilesAsync("#portal-files", new FilePayload { Name = "小票.png", MimeType = "image/png", Buffer = Png });
        await page.ClickAsync("#portal-submit");

        var tracking = page.Locator("#portal-tracking");
        await Assertions.Expect(tracking).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^TS\\d+"));
        await Assertions.Expect(page.Locator("#progress-respondent")).ToHaveTextAsync(respondent);
        await Assertions.Expect(page.Locator("#timeline li").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the portal scrolls sideways on a phone");
        output.WriteLine(await host.ScreenshotAsync(page, "portal-filed-timeline"));

        // The photo went with it, stored under the complaint the tracking number names.
        var number = await tracking.InnerTextAsync();
        var search = await host.Admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints?q={number}", UriKind.Relative));
        var id = search.GetProperty("items")[0].GetProperty("id").GetString();
        var attachments = await host.Admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{id}/attachments", UriKind.Relative));
        Assert.Equal("小票.png", attachments[0].GetProperty("fileName").GetString());

        // The tracking page shows the same timeline with the tracking number and phone.
        var track = await host.NewPageAsync(phone: true);
        await track.GotoAsync($"/track/?trackingNumber={number}");
        await track.FillAsync("#track-phone", "13812345678");
        await track.ClickAsync("#track-submit");
        await Assertions.Expect(track.Locator("#progress-respondent")).ToHaveTextAsync(respondent);
        await Assertions.Expect(track.Locator("#timeline")).ToContainTextAsync("投诉人上传附件：小票.png");
        output.WriteLine(await host.ScreenshotAsync(track, "track-timeline"));
        Assert.Empty(host.PageErrors[page]);
    }

    [Fact]
    public async Task Uploads_OfTheWrongTypeOrSize_AreRefused_InThePageAndByTheServer()
    {
        var page = await host.NewPageAsync(phone: true);
        await page.GotoAsync("/portal/");
        await Assertions.Expect(page.Locator("#portal-limits")).ToContainTextAsync(".jpg");

        // The page refuses by extension and size before sending.
        await page.SetInputFilesAsync("#portal-files", new FilePayload { Name = "virus.exe", MimeType = "application/octet-stream", Buffer = [0x4D, 0x5A, 0x90, 0x00] });
        await Assertions.Expect(page.Locator("#portal-files-error")).ToContainTextAsync("virus.exe");
        var huge = new byte[(10 * 1024 * 1024) + 1];
        huge[0] = 0xFF;
        huge[1] = 0xD8;
        huge[2] = 0xFF;
        await page.SetInputFilesAsync("#portal-files", new FilePayload { Name = "big.jpg", MimeType = "image/jpeg", Buffer = huge });
        await Assertions.Expect(page.Locator("#portal-files-error")).ToContainTextAsync("big.jpg");
        output.WriteLine(await host.ScreenshotAsync(page, "portal-file-refused"));

        // A page renamed .png gets past the name check; the server looks at its content and refuses it.
        await page.SetInputFilesAsync("#portal-files", new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = "<html><script>alert(1)</script></html>"u8.ToArray() });
        await Assertions.Expect(page.Locator("#portal-files-error")).ToBeEmptyAsync();
        await page.FillAsync("#portal-consumerName", "王五");
        await page.FillAsync("#portal-consumerPhone", "13812340000");
        await page.FillAsync("#portal-consumerAddress", "温州市鹿城区五马街道");
        await page.FillAsync("#portal-respondentName", "五马街道某店" + Guid.NewGuid().ToString("N")[..6]);
        await page.FillAsync("#portal-respondentAddress", "温州市鹿城区五马街道解放街9号");
        await page.FillAsync("#portal-request", "退款");
        await page.FillAsync("#portal-facts", "附件类型测试");
        await page.ClickAsync("#portal-submit");

        await Assertions.Expect(page.Locator("#portal-tracking")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#portal-result .notice-warning")).ToContainTextAsync("photo.png");
        await Assertions.Expect(page.Locator("#portal-result .notice-warning")).ToContainTextAsync("不是可接受的文件类型");
        output.WriteLine(await host.ScreenshotAsync(page, "portal-server-refused-type"));
    }

    [Fact]
    public async Task SurveyPage_ShowsTheServersReason_ForABadLink()
    {
        var page = await host.NewPageAsync(phone: true);

        await page.GotoAsync("/survey?token=not-a-real-token");
        await Assertions.Expect(page.Locator("main .notice-error")).ToContainTextAsync("评价链接无效");
        Assert.Equal(0, await page.Locator("#survey-submit").CountAsync());
        output.WriteLine(await host.ScreenshotAsync(page, "survey-bad-link"));

        await page.GotoAsync("/survey/");
        await Assertions.Expect(page.Locator("main .notice-error")).ToContainTextAsync("缺少评价凭证");
    }
}
