using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>The SMS tables on PostgreSQL (a database of its own on the server ./test.sh starts): no second message, pushes racing each other stored once.</summary>
public sealed class SmsPostgresTests : IAsyncLifetime
{
    private SmsHost _sms = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("sms");

        _sms = new SmsHost
        {
            Overrides = new()
            {
                ["Workflows:Database"] = "Postgres",
                ["Workflows:ConnectionString"] = connectionString,
            },
        };
        await _sms.InitializeAsync();
    }

    public Task DisposeAsync() => _sms.DisposeAsync();

    [Fact]
    public async Task SendsOnce_AndConcurrentPushesOfOneBatch_AreStoredOnce_OnPostgres()
    {
        var sender = _sms.Host.Services.GetRequiredService<ISmsSender>();
        var message = new OutgoingSms("pg-1", "13712345680", "survey.invitation", new Dictionary<string, string> { ["trackingNumber"] = "TS1" });
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => sender.SendAsync(message))));
        var again = await sender.SendAsync(message);

        Assert.Equal(SmsSendOutcome.Sent, again.Outcome);
        Assert.Single(_sms.Emulator.Accepted);

        var now = _sms.Host.Time.GetUtcNow();
        var batch = SmsCallbacks.SmsUp(new EmulatedReply("13712345681", "5", now, "pg-seq-1"), new EmulatedReply("13712345681", "不满意", now, 4242));
        var report = SmsCallbacks.SmsReport(_sms.Emulator.Accepted);
        var pushes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var platform = _sms.Host.Anonymous();
            var up = await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, batch, maxAttempts: 3);
            var receipt = await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, report, maxAttempts: 3);
            return up.Concat(receipt).Last().Status;
        }));

        Assert.All(pushes, s => Assert.Equal(HttpStatusCode.OK, s));
        using var admin = _sms.Host.As("admin");
        var replies = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/sms/replies", UriKind.Relative));
        Assert.Equal(2, replies.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("phoneNumber").GetString() == "13712345681"));
        Assert.True((await _sms.Host.Services.GetRequiredService<SmsReceipts>().ForOutIdAsync("pg-1"))!.Delivered);
        Assert.Contains(results, r => r.Outcome == SmsSendOutcome.Sent);
        Assert.All(results, r => Assert.True(r.Outcome == SmsSendOutcome.Sent || r.ErrorCode == "send-in-progress", r.ErrorCode));
    }
}
