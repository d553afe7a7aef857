using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>What staff and administrators see when the provider refuses a notification for good (through the emulator).</summary>
public sealed class SmsProviderFailureScenarioTests
{
    private const string Facts = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。";

    [Fact]
    public async Task ProviderRefusesOurSignature_TheSmsFailsAtOnce_AndAdministratorsGetATask()
    {
        var sms = new SmsHost { Overrides = new() { ["Workflows:Sms:Aliyun:AccessKeySecret"] = "a-wrong-secret-value" } };
        await sms.InitializeAsync();
        await using var _ = AsDisposable(sms);
        await NotificationDeliveryTests.SetSmsCodesAsync(sms.Host);
        var scenario = new ComplaintScenario(sms.Host);

        var id = await scenario.FileAsync(Facts, phone: "13812345678");
        await sms.Host.DeliverAsync();

        Assert.Empty(sms.Emulator.Accepted);
        Assert.Equal("SignatureDoesNotMatch", Assert.Single(sms.Emulator.Calls).Code);
        var row = await NotificationAsync(sms.Host, id);
        Assert.Equal(("Failed", "SignatureDoesNotMatch"), (row.GetProperty("status").GetString(), row.GetProperty("errorCode").GetString()));
        Assert.Contains("Workflows:Sms:Aliyun", row.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("a-wrong-secret-value", row.GetRawText(), StringComparison.Ordinal);
        Assert.NotNull(await scenario.TaskAsync(id, "checkAccount"));
    }

    [Fact]
    public async Task ProviderSaysTheNumberIsIllegal_NoRetry_AndStaffAreAskedToCheckTheContact()
    {
        var sms = new SmsHost();
        await sms.InitializeAsync();
        await using var _ = AsDisposable(sms);
        await NotificationDeliveryTests.SetSmsCodesAsync(sms.Host);
        sms.Emulator.FailFor("13812345679", "isv.MOBILE_NUMBER_ILLEGAL");
        var scenario = new ComplaintScenario(sms.Host);

        var id = await scenario.FileAsync(Facts, phone: "13812345679");
        await sms.Host.DeliverAsync();
        await sms.Host.AdvanceAsync(TimeSpan.FromHours(2));
        await sms.Host.DeliverAsync();

        Assert.Single(sms.Emulator.Calls);
        var row = await NotificationAsync(sms.Host, id);
        Assert.Equal(("InvalidRecipient", "isv.MOBILE_NUMBER_ILLEGAL"), (row.GetProperty("status").GetString(), row.GetProperty("errorCode").GetString()));
        Assert.NotNull(await scenario.TaskAsync(id, "fixContact"));
    }

    [Fact]
    public async Task ReceiptSaysItDidNotReachThePhone_StaffAreAskedToCheckTheContact_Once()
    {
        var sms = new SmsHost();
        await sms.InitializeAsync();
        await using var _ = AsDisposable(sms);
        await NotificationDeliveryTests.SetSmsCodesAsync(sms.Host);
        var scenario = new ComplaintScenario(sms.Host);
        var id = await scenario.FileAsync(Facts, phone: "13812345670");
        await sms.Host.DeliverAsync();
        using var platform = sms.Host.Anonymous();

        var report = SmsCallbacks.SmsReport(sms.Emulator.Accepted, success: false, errorCode: "MK:0012");
        var answers = (await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, report)).Concat(await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, report));

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.Status));
        var row = await NotificationAsync(sms.Host, id);
        Assert.Equal(("InvalidRecipient", "MK:0012"), (row.GetProperty("status").GetString(), row.GetProperty("errorCode").GetString()));
        Assert.False(row.GetProperty("delivery").GetProperty("delivered").GetBoolean());
        Assert.NotNull(await scenario.TaskAsync(id, "fixContact"));
        Assert.Single(await sms.Host.Engine.GetTasksAsync(new ComplaintWorkflows.Engine.Runtime.TaskQuery(ElementId: "fixContact")));
    }

    private static async Task<JsonElement> NotificationAsync(ComplaintHost host, string complaintId)
    {
        using var admin = host.As("admin");
        var rows = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/admin/notifications?complaintId={complaintId}", UriKind.Relative), ComplaintHost.Json);
        return Assert.Single(rows.EnumerateArray());
    }

    private static AsyncDisposable AsDisposable(SmsHost sms) => new(sms);

    private sealed class AsyncDisposable(SmsHost sms) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await sms.DisposeAsync();
    }
}
