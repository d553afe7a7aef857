using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>The SmsUp, SmsReport and Tencent reply callbacks through the real host, pushed as the platforms push them.</summary>
public sealed class SmsCallbackTests(SmsHost sms) : IClassFixture<SmsHost>
{
    [Theory]
    [InlineData("/api/sms/aliyun/wrong-secret-0123456789abcdef/sms-up")]
    [InlineData("/api/sms/aliyun/cb-secret-0123456789abcdefghiJ/sms-report")]
    [InlineData("/api/sms/tencent/cb-secret-0123456789abcdefghi/reply")]
    public async Task WrongSecret_Is404_AndNothingIsStored(string path)
    {
        using var client = sms.Host.Anonymous();

        var answers = await SmsCallbacks.PushAsync(client, path, SmsCallbacks.SmsUp(new EmulatedReply("13700000009", "1", sms.Host.Time.GetUtcNow(), "wrong-1")));

        Assert.Equal(HttpStatusCode.NotFound, Assert.Single(answers).Status);
        Assert.DoesNotContain(await RepliesAsync(), r => r.GetProperty("phoneNumber").GetString() == "13700000009");
    }

    [Theory]
    [InlineData("[{\"phone_number\": \"1380000", "not valid JSON")]
    [InlineData("{\"phone_number\":\"13800000000\",\"content\":\"1\"}", "JSON array")]
    [InlineData("[1, 2]", "item [0]")]
    [InlineData("", "not valid JSON")]
    public async Task MalformedBody_Is400_SayingWhatIsWrong(string body, string expected)
    {
        using var client = sms.Host.Anonymous();

        var (status, text) = Assert.Single(await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("malformed-body", problem.GetProperty("code").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sms-up")]
    [InlineData("sms-report")]
    public async Task BodyNotInUtf8_Is400_AndNotAFailureThePlatformWouldPushAgain(string callback)
    {
        var path = $"/api/sms/aliyun/{SmsHost.CallbackSecret}/{callback}";
        using var client = sms.Host.Anonymous();
        // "你好" in GB2312 (C4 E3 BA C3) inside a JSON string: the platform pushes UTF-8, so this can never be read.
        byte[] body = [.. "[{\"phone_number\":\"13700000007\",\"content\":\""u8, 0xC4, 0xE3, 0xBA, 0xC3, .. "\"}]"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var answer = await client.PostAsync(new Uri(path, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("malformed-body", problem.GetProperty("code").GetString());
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await RepliesAsync(), r => r.GetProperty("phoneNumber").GetString() == "13700000007");
    }

    [Fact]
    public async Task HugeBody_Is413()
    {
        using var client = sms.Host.Anonymous();
        var huge = SmsCallbacks.SmsUp([.. Enumerable.Range(0, 3000).Select(i => new EmulatedReply("13700000008", new string('长', 40), sms.Host.Time.GetUtcNow(), $"huge-{i}"))]);

        var (status, text) = Assert.Single(await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, huge));

        Assert.True(Encoding.UTF8.GetByteCount(huge) > 256 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("body-too-large", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(await RepliesAsync(), r => r.GetProperty("phoneNumber").GetString() == "13700000008");
    }

    [Fact]
    public async Task ReplyFromAnUnknownNumber_IsAnsweredAsReceived_KeptForStaff_AndLoggedMasked()
    {
        using var client = sms.Host.Anonymous();

        var (status, text) = Assert.Single(await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply("13712345601", "5 很好", sms.Host.Time.GetUtcNow(), "unknown-1"))));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"code\":0,\"msg\":\"接收成功\"}", text);
        var reply = Assert.Single(await RepliesAsync("Unmatched"), r => r.GetProperty("phoneNumber").GetString() == "13712345601");
        Assert.Equal("5 很好", reply.GetProperty("content").GetString());
        Assert.Equal(5, reply.GetProperty("score").GetInt32());
        Assert.Contains(sms.Host.Logs.Messages, m => m.Contains("137****5601", StringComparison.Ordinal));
        Assert.DoesNotContain(sms.Host.Logs.Messages, m => m.Contains("13712345601", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PushedAgain_AsThePlatformRetries_EachReplyIsStoredOnce_WithStringAndNumberIds()
    {
        using var client = sms.Host.Anonymous();
        var now = sms.Host.Time.GetUtcNow();
        var batch = SmsCallbacks.SmsUp(new EmulatedReply("13712345602", "满意", now, "70001"), new EmulatedReply("13712345602", "不满意，没退款", now, 70002L));

        var first = await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, batch);
        var again = await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, batch);
        var overlapping = await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply("13712345602", "不满意，没退款", now, "70002"), new EmulatedReply("13712345602", "3", now, 70003)));

        Assert.All(first.Concat(again).Concat(overlapping), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var stored = (await RepliesAsync()).Where(r => r.GetProperty("phoneNumber").GetString() == "13712345602").ToList();
        Assert.Equal(["3", "不满意，没退款", "满意"], stored.Select(r => r.GetProperty("content").GetString()));
        Assert.Equal("没退款", stored[1].GetProperty("comment").GetString());
    }

    [Fact]
    public async Task ReplyWithoutASequenceId_IsStillStoredOnce()
    {
        using var client = sms.Host.Anonymous();
        var body = $"[{{\"phone_number\":13712345603,\"content\":\"2\",\"send_time\":\"2026-11-23 10:00:00\",\"dest_code\":\"01\"}}]";

        await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, body);
        await SmsCallbacks.PushAsync(client, SmsHost.SmsUpPath, body);

        Assert.Single(await RepliesAsync(), r => r.GetProperty("phoneNumber").GetString() == "13712345603");
    }

    [Fact]
    public async Task DeliveryReceipts_AreStoredOnce_AndGiveTheStatusByOutId()
    {
        var sender = sms.Host.Services.GetRequiredService<ISmsSender>();
        var delivered = await sender.SendAsync(new OutgoingSms("receipt-ok", "13712345604", "survey.invitation", new Dictionary<string, string> { ["trackingNumber"] = "TS1" }));
        var failed = await sender.SendAsync(new OutgoingSms("receipt-failed", "13712345605", "survey.invitation", new Dictionary<string, string> { ["trackingNumber"] = "TS2" }));
        Assert.Equal(SmsSendOutcome.Sent, delivered.Outcome);
        Assert.Equal(SmsSendOutcome.Sent, failed.Outcome);
        using var client = sms.Host.Anonymous();

        var ok = SmsCallbacks.SmsReport(sms.Emulator.Accepted.Where(a => a.OutId == "receipt-ok"));
        var bad = SmsCallbacks.SmsReport(sms.Emulator.Accepted.Where(a => a.OutId == "receipt-failed"), success: false, errorCode: "MK:0001");
        var answers = (await SmsCallbacks.PushAsync(client, SmsHost.SmsReportPath, ok)).Concat(await SmsCallbacks.PushAsync(client, SmsHost.SmsReportPath, ok)).Concat(await SmsCallbacks.PushAsync(client, SmsHost.SmsReportPath, bad));
        var statuses = await sms.Host.Services.GetRequiredService<SmsReceipts>().ForOutIdsAsync(["receipt-ok", "receipt-failed", "never-sent"]);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "{\"code\":0,\"msg\":\"接收成功\"}"), (a.Status, a.Body)));
        Assert.True(statuses["receipt-ok"].Delivered);
        Assert.Equal("DELIVERED", statuses["receipt-ok"].ErrorCode);
        Assert.False(statuses["receipt-failed"].Delivered);
        Assert.Equal("MK:0001", statuses["receipt-failed"].ErrorCode);
        Assert.False(statuses.ContainsKey("never-sent"));
    }

    [Fact]
    public async Task TencentReply_IsAnsweredInTencentsFormat_AndStoredOnce()
    {
        using var client = sms.Host.Anonymous();
        var body = SmsCallbacks.TencentReply("13712345606", "2 等太久", sms.Host.Time.GetUtcNow());

        var first = Assert.Single(await SmsCallbacks.PushAsync(client, SmsHost.TencentReplyPath, body));
        await SmsCallbacks.PushAsync(client, SmsHost.TencentReplyPath, body);

        Assert.Equal((HttpStatusCode.OK, "{\"result\":0,\"errmsg\":\"OK\"}"), first);
        var reply = Assert.Single(await RepliesAsync(), r => r.GetProperty("phoneNumber").GetString() == "13712345606");
        Assert.Equal(("Tencent", 2, "等太久"), (reply.GetProperty("provider").GetString(), reply.GetProperty("score").GetInt32(), reply.GetProperty("comment").GetString()));
    }

    [Fact]
    public async Task RepliesList_IsForDeskOfficersAndAdministrators_AndChecksTheStatus()
    {
        using var anonymous = sms.Host.Anonymous();
        using var handler = sms.Host.As("wm-handler");
        using var desk = sms.Host.As("zx-desk-a");

        using var unauthenticated = await anonymous.GetAsync(new Uri("/api/sms/replies", UriKind.Relative));
        using var forbidden = await handler.GetAsync(new Uri("/api/sms/replies", UriKind.Relative));
        using var allowed = await desk.GetAsync(new Uri("/api/sms/replies?status=Unmatched", UriKind.Relative));
        using var badStatus = await desk.GetAsync(new Uri("/api/sms/replies?status=Lost", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("Unreadable", await badStatus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> RepliesAsync(string? status = null)
    {
        using var admin = sms.Host.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/sms/replies?pageSize=200" + (status is null ? "" : "&status=" + status), UriKind.Relative));
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
