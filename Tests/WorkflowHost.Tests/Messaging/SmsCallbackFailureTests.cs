using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.WorkflowHost.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>When storing a pushed reply fails, the platform is told so (5xx) and its retry is processed once.</summary>
public sealed class SmsCallbackFailureTests : IAsyncLifetime
{
    private readonly FlakyContexts.Switch _failing = new();
    private SmsHost _sms = null!;

    public async Task InitializeAsync()
    {
        _sms = new SmsHost
        {
            TestServices = services => services.AddSingleton(sp => new SmsReplyProcessor(
                new FlakyContexts(sp.GetRequiredService<IDbContextFactory<DomainDbContext>>(), _failing),
                sp.GetRequiredService<WorkflowEngine>(), sp.GetRequiredService<ComplaintWorkflows.Activities.Messaging.NotificationReceipts>(), sp.GetRequiredService<IOptions<SmsOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SmsReplyProcessor>>())),
        };
        await _sms.InitializeAsync();
    }

    public Task DisposeAsync() => _sms.DisposeAsync();

    [Fact]
    public async Task ProcessingFails_Is500_SoThePlatformPushesAgain_AndTheRetryIsStoredOnce()
    {
        using var platform = _sms.Host.Anonymous();
        var batch = SmsCallbacks.SmsUp(new EmulatedReply("13712345690", "3", _sms.Host.Time.GetUtcNow(), "fail-1"), new EmulatedReply("13712345691", "4", _sms.Host.Time.GetUtcNow(), "fail-2"));
        _failing.Remaining = 1;

        var answers = await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, batch, maxAttempts: 5);

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.OK], answers.Select(a => a.Status));
        Assert.Equal("processing-failed", JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("code").GetString());
        using var admin = _sms.Host.As("admin");
        var replies = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/sms/replies", UriKind.Relative));
        Assert.Equal(["13712345691", "13712345690"], replies.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("phoneNumber").GetString()));
        Assert.Contains(_sms.Host.Logs.Messages, m => m.Contains("push it again", StringComparison.Ordinal));
    }

    /// <summary>Domain contexts whose creation fails while the switch says so (the database "down" for a moment).</summary>
    private sealed class FlakyContexts(IDbContextFactory<DomainDbContext> inner, FlakyContexts.Switch failing) : IDbContextFactory<DomainDbContext>
    {
        public DomainDbContext CreateDbContext() => Fail() ?? inner.CreateDbContext();

        public Task<DomainDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Fail() is null ? inner.CreateDbContextAsync(cancellationToken) : Task.FromException<DomainDbContext>(new InvalidOperationException("database unavailable (test)"));

        private DomainDbContext? Fail() => Interlocked.Decrement(ref failing.Remaining) >= 0 ? throw new InvalidOperationException("database unavailable (test)") : null;

        public sealed class Switch
        {
            public int Remaining;
        }
    }
}
