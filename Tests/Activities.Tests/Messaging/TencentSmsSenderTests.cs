using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>The Tencent Cloud client and sender against the emulator, which checks every TC3 signature and timestamp.</summary>
public sealed class TencentSmsSenderTests
{
    [Fact]
    public async Task Send_IsAccepted_WithTheMessageIdAsSessionContext_AndPositionalParameters()
    {
        await using var rig = await SmsTestRig.StartAsync("Tencent");

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        var again = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.Sent, result.Outcome);
        Assert.Equal(SmsSendOutcome.Sent, again.Outcome);
        var sms = Assert.Single(rig.Emulator.Accepted);
        Assert.Equal(("Tencent", "n-1", "13812345678", "2000001"), (sms.Provider, sms.OutId, sms.PhoneNumber, sms.TemplateCode));
        Assert.Equal(["TS20261123000001", "3"], JsonSerializer.Deserialize<string[]>(sms.TemplateParam!)!);
    }

    [Theory]
    [InlineData("LimitExceeded.PhoneNumberDailyLimit", SmsSendOutcome.RetryLater)]
    [InlineData("LimitExceeded.PhoneNumberThirtySecondLimit", SmsSendOutcome.RetryLater)]
    [InlineData("InvalidParameterValue.IncorrectPhoneNumber", SmsSendOutcome.InvalidNumber)]
    [InlineData("FailedOperation.InsufficientBalanceInSmsPackage", SmsSendOutcome.AccountProblem)]
    [InlineData("FailedOperation.TemplateIncorrectOrUnapproved", SmsSendOutcome.Rejected)]
    [InlineData("FailedOperation.ContainSensitiveWord", SmsSendOutcome.Rejected)]
    [InlineData("InternalError.Timeout", SmsSendOutcome.RetryLater)]
    public async Task Send_MapsTheProvidersErrorCode(string code, SmsSendOutcome expected)
    {
        await using var rig = await SmsTestRig.StartAsync("Tencent");
        rig.Emulator.FailNext(code);

        var result = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal((expected, code), (result.Outcome, result.ErrorCode));
        Assert.Empty(rig.Emulator.Accepted);
    }

    [Fact]
    public async Task RateLimited_IsRetriedLater_AndMakesExactlyOneMessage()
    {
        await using var rig = await SmsTestRig.StartAsync("Tencent");
        rig.Emulator.FailNext("LimitExceeded.PhoneNumberThirtySecondLimit");

        var limited = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        rig.Time.Advance(limited.RetryAfter!.Value);
        var retried = await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));
        await rig.Sender.SendAsync(SmsTestRig.Survey("n-1"));

        Assert.Equal(SmsSendOutcome.Sent, retried.Outcome);
        Assert.Single(rig.Emulator.Accepted);
    }

    [Fact]
    public async Task WrongKey_IsRefusedByTheSignatureCheck_AndThrowsAClearSigningError()
    {
        await using var rig = await SmsTestRig.StartAsync("Tencent", new() { ["Workflows:Sms:Tencent:SecretKey"] = "not-the-key" });

        var e = await Assert.ThrowsAsync<SmsSigningException>(() => rig.Sender.SendAsync(SmsTestRig.Survey("n-1")));

        Assert.Equal("AuthFailure.SignatureFailure", e.ErrorCode);
        Assert.Empty(rig.Emulator.Accepted);
    }

    [Fact]
    public async Task ClockOffByMoreThan5Minutes_IsRefusedAsExpired()
    {
        var providerClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 6, 0, TimeSpan.Zero));
        await using var rig = await SmsTestRig.StartAsync("Tencent", emulatorClock: providerClock);

        var e = await Assert.ThrowsAsync<SmsSigningException>(() => rig.Sender.SendAsync(SmsTestRig.Survey("n-1")));

        Assert.Equal("AuthFailure.SignatureExpire", e.ErrorCode);
    }

    [Fact]
    public async Task ParametersTheTemplateDoesNotName_AreRejectedBeforeSending_NamingTheSetting()
    {
        await using var rig = await SmsTestRig.StartAsync("Tencent");

        var result = await rig.Sender.SendAsync(new OutgoingSms("n-1", "13812345678", "2000009", new Dictionary<string, string> { ["name"] = "张三" }));
        var numbered = await rig.Sender.SendAsync(new OutgoingSms("n-2", "13812345678", "2000009", new Dictionary<string, string> { ["2"] = "b", ["1"] = "a" }));

        Assert.Equal(SmsSendOutcome.Rejected, result.Outcome);
        Assert.Contains("Workflows:Sms:Tencent:TemplateParameters", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(SmsSendOutcome.Sent, numbered.Outcome);
        Assert.Equal(["a", "b"], JsonSerializer.Deserialize<string[]>(Assert.Single(rig.Emulator.Accepted).TemplateParam!)!);
    }
}
