using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class CaseLibraryTests : IDisposable
{
    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task SelectedTypicalCase_IsPublishedTheNextMonth_OnAPublicPageWithNothingPersonalLeft()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        var scenario = new ComplaintScenario(_host);
        var id = await kit.FileAsync("鹿城区小王数码店", "温州市鹿城区五马街道解放街12号",
            "我叫王小明，身份证号330302199001011234，2026年11月20日在鹿城区小王数码店花2999元买了一部手机，一周后屏幕出现竖线。店员李建国说只能维修。"
            + "我的手机 +86 139-0577-1234，也可以打我丈夫刘建华的电话138 1234 5678，我住在温州市鹿城区五马街道解放街12号3幢501室。付款银行卡 6222 0212 3456 7890 123。",
            "13905771234", name: "王小明", request: "要求退货退款", consumerAddress: "温州市鹿城区五马街道解放街12号3幢501室");
        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true });
        await scenario.CompleteAsync(id, "closureRecord", new
        {
            basicFacts = "消费者王小明（电话0577-88886666，车牌浙C·D12345）在鹿城区小王数码店购买手机，一周后屏幕故障，张先生（店长）拒绝退货。",
            disputePoints = "屏幕故障是否属于质量问题。",
            mediationProcess = "承办人联系双方调解。",
            result = "经调解，鹿城区小王数码店同意为王小明退货退款2999元，款项退至其银行卡6222021234567890123。",
            mediationSucceeded = true,
            signatures = "wm-handler,wm-desk-a",
        });
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        Assert.Equal("Closed", await scenario.StatusAsync(id));

        // Only leaders and reviewers select cases; a handler may not.
        using (var handler = await kit.SendAsync(HttpMethod.Post, "/api/case-library/selections", new { complaintId = id }, "wm-handler"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, handler.StatusCode);
        }

        using (var selected = await kit.SendAsync(HttpMethod.Post, "/api/case-library/selections", new { complaintId = id, title = "手机屏幕质量纠纷案", commentary = "经营者应依法履行三包义务，王小明的诉求得到支持。" }, "wm-leader"))
        {
            Assert.Equal(HttpStatusCode.Created, selected.StatusCode);
        }

        using (var again = await kit.SendAsync(HttpMethod.Post, "/api/case-library/selections", new { complaintId = id }, "wm-leader"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        // Not published within the month it was selected in.
        await kit.RunRoundAsync();
        using var anonymous = _host.Anonymous();
        Assert.Equal(0, (await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/public/cases", UriKind.Relative))).GetArrayLength());

        await _host.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await kit.RunRoundAsync();
        var cases = await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/public/cases?month=2026-11", UriKind.Relative));
        Assert.Equal(1, cases.GetArrayLength());
        using var page = await anonymous.GetAsync(new Uri("/cases", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        var json = cases.GetRawText();

        foreach (var published in new[] { html, System.Text.RegularExpressions.Regex.Unescape(json) })
        {
            Assert.Contains("鹿城区小王数码店", published, StringComparison.Ordinal);
            Assert.Contains("手机屏幕质量纠纷案", published, StringComparison.Ordinal);
            Assert.Contains("2999元", published, StringComparison.Ordinal);
            foreach (var personal in new[] { "王小明", "李建国", "刘建华", "张先生", "330302199001011234", "139-0577-1234", "0577-1234", "138 1234 5678", "12345678", "13905771234", "88886666", "D12345",
                "解放街12号", "3幢", "501室", "6222", "7890", "4567890123" })
            {
                Assert.DoesNotContain(personal, published, StringComparison.Ordinal);
            }
        }
    }

    public void Dispose() => _host.Dispose();
}
