using System.Net;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>The Alibaba Cloud client and sender against the emulator, which checks every signature, timestamp and nonce.</summary>
public sealed class AliyunSmsSenderTests
{
    [Fact]
    public async Task Send_IsAcceptedByTheProvider_WithTheMessageIdAsOutId_AndTheTemplateCodeOfTheTemplateName()
    {
        await using var rig = await SmsTestRig.StartAsync();

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.Sent, result.Outcome);
        var sms = Assert.Single(rig.Emulator.Accepted);
        Assert.Equal(result.ProviderMessageId, sms.BizId);
        Assert.Equal(("n-1", "13812345678", "SMS_480000001", SmsProviderEmulator.SignName), (sms.OutId, sms.PhoneNumber, sms.TemplateCode, sms.SignName));
        Assert.Equal("TS20261123000001", JsonDocument.Parse(sms.TemplateParam!).RootElement.GetProperty("trackingNumber").GetString());
        Assert.Equal(SmsSendState.Sent, Assert.Single(await rig.LedgerAsync()).State);
    }

    [Fact]
    public async Task Send_TheSameMessageTwice_MakesOneMessage()
    {
        await using var rig = await SmsTestRig.StartAsync();

        var first = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        var again = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.Sent, again.Outcome);
        Assert.Equal(first.ProviderMessageId, again.ProviderMessageId);
        Assert.Single(rig.Emulator.Accepted);
        Assert.Single(rig.Emulator.Calls);
    }

    [Fact]
    public async Task ConcurrentSendsOfOneMessage_ReachTheProviderOnce()
    {
        await using var rig = await SmsTestRig.StartAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => rig.Sender.SendAsync(SmsTestRig.Survey("n-race")))));

        Assert.Single(rig.Emulator.Accepted);
        Assert.Single(rig.Emulator.Calls);
        Assert.Contains(results, r => r.Outcome == SmsSendOutcome.Sent);
        Assert.All(results, r => Assert.True(r.Outcome == SmsSendOutcome.Sent || r.ErrorCode == "send-in-progress", r.ErrorCode));
    }

    [Fact]
    public async Task AWorkerDiedWhileSending_OthersWait_ThenFindTheMessageByOutId_AndDoNotSendASecond()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var message = SmsTestRig.Survey("n-crash");
        // The dead worker's attempt: claimed in the ledger, accepted by the provider, never recorded as sent.
        var ledger = rig.Services.GetRequiredService<SmsSendLedger>();
        Assert.True(await ledger.BeginAttemptAsync("n-crash", "Aliyun", "13812345678", "SMS_480000001", null));
        await rig.Services.GetRequiredService<AliyunSmsClient>().SendSmsAsync(new AliyunSendSmsRequest("13812345678", SmsProviderEmulator.SignName, "SMS_480000001") { OutId = "n-crash" });

        var whileInFlight = await rig.Sender.SendAsync(message);
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var afterwards = await rig.Sender.SendAsync(message);

        Assert.Equal((SmsSendOutcome.RetryLater, "send-in-progress"), (whileInFlight.Outcome, whileInFlight.ErrorCode));
        Assert.Equal(SmsSendOutcome.Sent, afterwards.Outcome);
        Assert.Single(rig.Emulator.Accepted);
        Assert.Equal(SmsSendState.Sent, Assert.Single(await rig.LedgerAsync()).State);
    }

    [Theory]
    [InlineData("isv.MOBILE_NUMBER_ILLEGAL", SmsSendOutcome.InvalidNumber)]
    [InlineData("isv.AMOUNT_NOT_ENOUGH", SmsSendOutcome.AccountProblem)]
    [InlineData("isv.OUT_OF_SERVICE", SmsSendOutcome.AccountProblem)]
    [InlineData("isv.DAY_LIMIT_CONTROL", SmsSendOutcome.AccountProblem)]
    [InlineData("isv.MONTH_LIMIT_CONTROL", SmsSendOutcome.AccountProblem)]
    [InlineData("isv.SMS_SIGNATURE_ILLEGAL", SmsSendOutcome.Rejected)]
    [InlineData("isv.SMS_TEMPLATE_ILLEGAL", SmsSendOutcome.Rejected)]
    [InlineData("isv.TEMPLATE_MISSING_PARAMETERS", SmsSendOutcome.Rejected)]
    [InlineData("isv.INVALID_JSON_PARAM", SmsSendOutcome.Rejected)]
    [InlineData("isv.BLACK_KEY_CONTROL_LIMIT", SmsSendOutcome.Rejected)]
    [InlineData("isv.PARAM_NOT_SUPPORT_URL", SmsSendOutcome.Rejected)]
    [InlineData("isv.BUSINESS_LIMIT_CONTROL", SmsSendOutcome.RetryLater)]
    public async Task Send_MapsTheProvidersErrorCode(string code, SmsSendOutcome expected)
    {
        await using var rig = await SmsTestRig.StartAsync();
        rig.Emulator.FailNext(code);

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.Empty(rig.Emulator.Accepted);
        Assert.Equal(SmsSendState.Refused, Assert.Single(await rig.LedgerAsync()).State);
    }

    [Fact]
    public async Task Send_ToAnIllegalNumber_TheProviderSaysSo_AndItIsInvalidNumber()
    {
        await using var rig = await SmsTestRig.StartAsync();

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1", phone: "0577-88889999"));

        Assert.Equal(SmsSendOutcome.InvalidNumber, result.Outcome);
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", result.ErrorCode);
    }

    [Theory]
    [InlineData("触发分钟级流控Permits:1", 60)]
    [InlineData("触发小时级流控Permits:5", 3600)]
    public async Task RateLimited_IsRetriedAfterTheLimitsWindow_AndMakesExactlyOneMessage(string message, int seconds)
    {
        await using var rig = await SmsTestRig.StartAsync();
        rig.Emulator.FailNext("isv.BUSINESS_LIMIT_CONTROL", message: message);

        var limited = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        rig.Time.Advance(limited.RetryAfter!.Value);
        var retried = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.RetryLater, limited.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(seconds), limited.RetryAfter);
        Assert.Equal(SmsSendOutcome.Sent, retried.Outcome);
        Assert.Single(rig.Emulator.Accepted);
    }

    [Fact]
    public async Task DayLevelLimitAtTheProvider_WaitsUntilTheOldestMessageLeavesThe24Hours()
    {
        await using var rig = await SmsTestRig.StartAsync();
        rig.Emulator.PerNumberDailyLimit = 1;

        await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        rig.Time.Advance(TimeSpan.FromHours(2));
        var limited = await rig.Sender.SendAsync(SmsTestRig.Survey("n-2"));
        rig.Time.Advance(limited.RetryAfter!.Value + TimeSpan.FromSeconds(1));
        var retried = await rig.Sender.SendAsync(SmsTestRig.Survey("n-2"));

        Assert.Equal(SmsSendOutcome.RetryLater, limited.Outcome);
        Assert.Equal(TimeSpan.FromHours(22), limited.RetryAfter);
        Assert.Equal(SmsSendOutcome.Sent, retried.Outcome);
        Assert.Equal(["n-1", "n-2"], rig.Emulator.Accepted.Select(a => a.OutId));
    }

    [Fact]
    public async Task OurOwnPerNumberLimit_HoldsTheMessageBackWithoutCallingTheProvider()
    {
        await using var rig = await SmsTestRig.StartAsync(settings: new() { ["Workflows:Sms:Limits:PerNumberLimit"] = "2" });

        await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.Sender.SendAsync(SmsTestRig.Survey("n-2"));
        var third = await rig.Sender.SendAsync(SmsTestRig.Survey("n-3"));
        var otherNumber = await rig.Sender.SendAsync(SmsTestRig.Survey("n-4", phone: "13900000000"));

        Assert.Equal(SmsSendOutcome.RetryLater, third.Outcome);
        Assert.Equal("per-number-limit", third.ErrorCode);
        Assert.Equal(TimeSpan.FromHours(23), third.RetryAfter);
        Assert.Equal(SmsSendOutcome.Sent, otherNumber.Outcome);
        Assert.Equal(3, rig.Emulator.Calls.Count);
    }

    [Fact]
    public async Task ServerError_IsRetryLater_AndTheRetrySendsOnce()
    {
        await using var rig = await SmsTestRig.StartAsync();
        rig.Emulator.FailNext("ServiceUnavailable", httpStatus: 503);

        var failed = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        var retried = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal((SmsSendOutcome.RetryLater, "provider-unavailable"), (failed.Outcome, failed.ErrorCode));
        Assert.Equal(TimeSpan.FromMinutes(1), failed.RetryAfter);
        Assert.Equal(SmsSendOutcome.Sent, retried.Outcome);
        Assert.Single(rig.Emulator.Accepted);
        Assert.Contains(rig.Emulator.Calls, c => c.Action == "QuerySendDetails");
    }

    [Fact]
    public async Task LostAnswer_TheMessageWentOut_TheRetryFindsItByOutId_AndDoesNotSendASecond()
    {
        await using var rig = await SmsTestRig.StartAsync();
        rig.Emulator.LoseNextAnswers();

        var lost = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        var retried = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        var third = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.RetryLater, lost.Outcome);
        Assert.Equal(SmsSendOutcome.Sent, retried.Outcome);
        Assert.Equal(SmsSendOutcome.Sent, third.Outcome);
        Assert.Single(rig.Emulator.Accepted);
        Assert.Equal(["SendSms", "QuerySendDetails"], rig.Emulator.Calls.Select(c => c.Action));
    }

    [Fact]
    public async Task WrongSecret_IsRefusedByTheSignatureCheck_AndThrowsAClearSigningError()
    {
        await using var rig = await SmsTestRig.StartAsync(settings: new() { ["Workflows:Sms:Aliyun:AccessKeySecret"] = "not-the-secret" });

        var e = await Assert.ThrowsAsync<SmsSigningException>(() => rig.Sender.SendAsync(SmsTestRig.Survey("n-1")));

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Contains("Workflows:Sms:Aliyun", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Emulator.Accepted);
    }

    [Fact]
    public async Task ClockOffByMoreThan15Minutes_IsRefusedAsAnExpiredTimestamp()
    {
        var providerClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 16, 0, TimeSpan.Zero));
        await using var rig = await SmsTestRig.StartAsync(emulatorClock: providerClock);

        var e = await Assert.ThrowsAsync<SmsSigningException>(() => rig.Sender.SendAsync(SmsTestRig.Survey("n-1")));

        Assert.Equal("InvalidTimeStamp.Expired", e.ErrorCode);
    }

    [Fact]
    public async Task TheEmulator_RefusesAReplayedRequest_AsTheNonceWasUsed_AndAnUnknownKey()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "QuerySendDetails", ["Version"] = "2017-05-25", ["RegionId"] = "cn-hangzhou", ["AccessKeyId"] = SmsProviderEmulator.AliyunAccessKeyId,
            ["Format"] = "JSON", ["Timestamp"] = AliyunSignature.Timestamp(rig.Time.GetUtcNow()), ["SignatureMethod"] = "HMAC-SHA1", ["SignatureVersion"] = "1.0",
            ["SignatureNonce"] = "fixed-nonce", ["PhoneNumber"] = "13812345678", ["SendDate"] = "20261123", ["PageSize"] = "10", ["CurrentPage"] = "1",
        };
        var url = new Uri(rig.Emulator.BaseAddress, "?Signature=" + PercentEncoding.Encode(AliyunSignature.Sign("GET", parameters, SmsProviderEmulator.AliyunAccessKeySecret)) + "&" + AliyunSignature.CanonicalQuery(parameters));
        using var http = new HttpClient();

        using var first = await http.GetAsync(url);
        using var replay = await http.GetAsync(url);
        parameters["AccessKeyId"] = "LTAIunknown";
        parameters["SignatureNonce"] = "other-nonce";
        using var unknown = await http.GetAsync(new Uri(rig.Emulator.BaseAddress, "?Signature=x&" + AliyunSignature.CanonicalQuery(parameters)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("SignatureNonceUsed", JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("Code").GetString());
        Assert.Equal("InvalidAccessKeyId.NotFound", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("Code").GetString());
    }

    [Fact]
    public async Task Client_SendBatchSms_AndQuerySendDetails_SpeakTheApi()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var client = rig.Services.GetRequiredService<AliyunSmsClient>();

        var batch = await client.SendBatchSmsAsync(new AliyunSendBatchSmsRequest(["13812345678", "13900000000"], [SmsProviderEmulator.SignName, SmsProviderEmulator.SignName], "SMS_480000002")
        {
            TemplateParams = [new Dictionary<string, string> { ["name"] = "张三" }, new Dictionary<string, string> { ["name"] = "李四" }],
            OutId = "batch-1",
        });
        var details = await client.QuerySendDetailsAsync(new AliyunQuerySendDetailsRequest("13900000000", AliyunSmsClient.ChinaDate(rig.Time.GetUtcNow())));
        var illegal = await client.SendBatchSmsAsync(new AliyunSendBatchSmsRequest(["1380000"], [SmsProviderEmulator.SignName], "SMS_480000002"));

        Assert.True(batch.IsOk, batch.Code);
        Assert.Equal(2, rig.Emulator.Accepted.Count(a => a.BizId == batch.BizId));
        Assert.True(details.IsOk);
        var detail = Assert.Single(details.Details);
        Assert.Equal(("13900000000", 3, "batch-1"), (detail.PhoneNum, detail.SendStatus, detail.OutId));
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", illegal.Code);
    }

    [Fact]
    public void Options_AreValidatedAtStart_NamingEverySetting_AndNeverShowTheSecret()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Workflows:Sms:Provider"] = "Aliyun",
            ["Workflows:Sms:Aliyun:AccessKeySecret"] = "very-secret-value",
            ["Workflows:Sms:Callback:Secret"] = "short",
            ["Workflows:Sms:Limits:PerNumberLimit"] = "0",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSms(configuration).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SmsOptions>>().Value);

        Assert.Contains(e.Failures, f => f.Contains("Workflows:Sms:Aliyun:AccessKeyId", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Workflows:Sms:Aliyun:SignName", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Workflows:Sms:Callback:Secret", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Workflows:Sms:Limits:PerNumberLimit", StringComparison.Ordinal));
        var options = new SmsOptions { Aliyun = { AccessKeySecret = "very-secret-value", AccessKeyId = "LTAIid" }, Callback = { Secret = "callback-secret-value-0123456789" } };
        Assert.DoesNotContain("very-secret-value", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("callback-secret", options.Callback.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoProviderConfigured_TheStandInSendsNothing_AndSaysWhy()
    {
        await using var rig = await SmsTestRig.StartAsync(provider: "None");

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.IsType<UnconfiguredSmsSender>(rig.Sender);
        Assert.Equal((SmsSendOutcome.RetryLater, UnconfiguredSmsSender.ErrorCode), (result.Outcome, result.ErrorCode));
        Assert.Empty(rig.Emulator.Calls);
    }
}
