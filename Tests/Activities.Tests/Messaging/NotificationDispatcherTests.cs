using System.Collections.Concurrent;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>
/// Several dispatchers (as on several hosts) on one real database deliver a batch of notifications: each message is
/// handed to the provider exactly once, whoever takes it; on PostgreSQL the lease uses FOR UPDATE SKIP LOCKED.
/// </summary>
public sealed class NotificationDispatcherTests
{
    [Fact]
    public async Task FourDispatchers_OnPostgres_SendEveryNotificationOnce()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("notify");

        await RaceAsync(DomainDatabase.Postgres(connectionString));
    }

    [Fact]
    public async Task FourDispatchers_OnOneSqliteFile_SendEveryNotificationOnce()
    {
        var folder = TestFiles.NewFolder("notify");
        try
        {
            await RaceAsync(DomainDatabase.Sqlite(Path.Combine(folder, "domain.db")));
        }
        finally
        {
            TestFiles.DeleteFolder(folder);
        }
    }

    [Fact]
    public void Backoff_DoublesFromTheBaseDelay_UpToTheMaximum()
    {
        var options = new NotificationOptions { RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromMinutes(30) };

        Assert.Equal(TimeSpan.FromMinutes(1), NotificationDispatcher.Backoff(1, options));
        Assert.Equal(TimeSpan.FromMinutes(2), NotificationDispatcher.Backoff(2, options));
        Assert.Equal(TimeSpan.FromMinutes(16), NotificationDispatcher.Backoff(5, options));
        Assert.Equal(TimeSpan.FromMinutes(30), NotificationDispatcher.Backoff(6, options));
        Assert.Equal(TimeSpan.FromMinutes(30), NotificationDispatcher.Backoff(60, options));
    }

    [Fact]
    public async Task RateLimited_UntilTheAttemptsAreUsedUp_FailsAndRaisesOneAlert()
    {
        using var database = DomainDatabase.InMemory();
        var time = TestClock.New();
        var options = Options.Create(new NotificationOptions { MaxAttempts = 3, BatchSize = 5 });
        await new NotificationTemplateService(database, time).SeedDefaultsAsync();
        await WithCodesAsync(database);
        using var signal = new NotificationSignal();
        var service = new NotificationService(database, time, signal, NullLogger<NotificationService>.Instance);
        await service.EnqueueAsync(Request("limited", "13800001111"));
        var sms = new CountingSender { Answer = SmsSendOutcome.RetryLater };
        var failures = new RecordingFailures();
        var dispatcher = new NotificationDispatcher(database, sms, new UnconfiguredEmailSender(), failures, time, options, NullLogger<NotificationDispatcher>.Instance);

        for (var i = 0; i < 10; i++)
        {
            await dispatcher.DeliverDueAsync();
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(3, sms.Calls.Count);
        var kind = Assert.Single(failures.Raised);
        Assert.Equal(NotificationFailureKind.AttemptsExhausted, kind);
        await using var db = database.CreateDbContext();
        var row = await db.Set<Notification>().SingleAsync();
        Assert.Equal(NotificationStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Equal("isv.BUSINESS_LIMIT_CONTROL", row.ErrorCode);
    }

    [Fact]
    public async Task Receipts_MarkDelivered_OrRaiseATask_OnceEach()
    {
        using var database = DomainDatabase.InMemory();
        var time = TestClock.New();
        await new NotificationTemplateService(database, time).SeedDefaultsAsync();
        await WithCodesAsync(database);
        using var signal = new NotificationSignal();
        var service = new NotificationService(database, time, signal, NullLogger<NotificationService>.Instance);
        await service.EnqueueAsync(Request("reached", "13800001111"));
        await service.EnqueueAsync(Request("lost", "13800002222"));
        var failures = new RecordingFailures();
        await new NotificationDispatcher(database, new CountingSender(), new UnconfiguredEmailSender(), failures, time, Options.Create(new NotificationOptions()), NullLogger<NotificationDispatcher>.Instance).DeliverDueAsync();
        var receipts = new NotificationReceipts(database, failures, time, NullLogger<NotificationReceipts>.Instance);

        Assert.True(await receipts.RecordAsync(NotificationService.MessageIdOf("reached"), null, delivered: true));
        Assert.False(await receipts.RecordAsync(NotificationService.MessageIdOf("reached"), null, delivered: true));
        Assert.True(await receipts.RecordAsync(null, "biz-" + NotificationService.MessageIdOf("lost"), delivered: false, "MK:0001", "空号"));
        Assert.False(await receipts.RecordAsync(null, "biz-" + NotificationService.MessageIdOf("lost"), delivered: false, "MK:0001", "空号"));
        Assert.False(await receipts.RecordAsync("cwunknown", "biz-unknown", delivered: true));

        Assert.Equal([NotificationFailureKind.InvalidRecipient], failures.Raised);
        using var db = database.CreateDbContext();
        Assert.Equal(NotificationStatus.Delivered, (await db.Set<Notification>().SingleAsync(n => n.Key == "reached")).Status);
        var lost = await db.Set<Notification>().SingleAsync(n => n.Key == "lost");
        Assert.Equal(NotificationStatus.InvalidRecipient, lost.Status);
        Assert.Equal("MK:0001", lost.ErrorCode);
    }

    /// <summary>
    /// The crash window of email: the attempt recorded, the mail handed to the real SMTP server (maildev), then the host
    /// stops before recording the outcome. After the lease runs out the next dispatcher (another host) does not send it
    /// again: maildev holds one message with its Message-ID, the notification is Uncertain and one alert was raised.
    /// </summary>
    [Fact]
    public async Task EmailSent_ThenTheHostStopsBeforeRecordingIt_IsNotSentAgain_ButMarkedUncertainWithAnAlert()
    {
        var folder = TestFiles.NewFolder("notify-email");
        try
        {
            var contexts = DomainDatabase.Sqlite(Path.Combine(folder, "domain.db"));
            await DomainDatabase.MigrateAsync(contexts);
            var time = TestClock.New();
            await new NotificationTemplateService(contexts, time).SeedDefaultsAsync();
            using var signal = new NotificationSignal();
            var service = new NotificationService(contexts, time, signal, NullLogger<NotificationService>.Instance);
            var to = MailDev.NewAddress();
            await service.EnqueueAsync(new NotificationRequest
            {
                Key = "crash-window:" + to,
                Template = DefaultNotificationTemplates.StaffTask,
                Recipient = new NotificationRecipient { Email = to },
                Values = new Dictionary<string, string> { ["displayName"] = "测试", ["taskName"] = "电话回访", ["trackingNumber"] = "TS1", ["text"] = "" },
            });
            var smtp = new MailKitEmailSender(Options.Create(new EmailOptions
            {
                Host = MailDev.Smtp.Host,
                Port = MailDev.Smtp.Port,
                Security = SmtpSecurity.None,
                UserName = MailDev.User,
                Password = MailDev.Password,
                Timeout = TimeSpan.FromSeconds(10),
            }), NullLogger<MailKitEmailSender>.Instance);
            var options = Options.Create(new NotificationOptions { LockDuration = TimeSpan.FromMinutes(2) });
            var failures = new RecordingFailures();

            using var dying = new CancellationTokenSource();
            var first = new NotificationDispatcher(contexts, new CountingSender(), new StopsAfterSending(smtp, dying), failures, time, options, NullLogger<NotificationDispatcher>.Instance);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DeliverDueAsync(dying.Token));
            Assert.Single(await MailDev.MessagesToAsync(to));

            var second = new NotificationDispatcher(contexts, new CountingSender(), smtp, failures, time, options, NullLogger<NotificationDispatcher>.Instance);
            await second.DeliverDueAsync(); // the first host's lease has not run out: nothing happens yet
            time.Advance(TimeSpan.FromMinutes(3));
            await second.DeliverDueAsync();
            time.Advance(TimeSpan.FromHours(1));
            await second.DeliverDueAsync();

            var arrived = Assert.Single(await MailDev.MessagesToAsync(to));
            Assert.StartsWith("<" + NotificationService.MessageIdOf("crash-window:" + to) + "@", arrived.GetProperty("headers").GetProperty("message-id").GetString(), StringComparison.Ordinal);
            Assert.Equal([NotificationFailureKind.SendUncertain], failures.Raised);
            await using var db = await contexts.CreateDbContextAsync();
            var row = await db.Set<Notification>().SingleAsync();
            Assert.Equal(NotificationStatus.Uncertain, row.Status);
            Assert.Equal("send-uncertain", row.ErrorCode);
            Assert.Equal(1, row.Attempts);
            Assert.NotNull(row.FailureInstanceId);
        }
        finally
        {
            TestFiles.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task EmailSent_IsRecordedSent_AndNotLeftSending()
    {
        var folder = TestFiles.NewFolder("notify-email-ok");
        try
        {
            var contexts = DomainDatabase.Sqlite(Path.Combine(folder, "domain.db"));
            await DomainDatabase.MigrateAsync(contexts);
            var time = TestClock.New();
            await new NotificationTemplateService(contexts, time).SeedDefaultsAsync();
            using var signal = new NotificationSignal();
            var service = new NotificationService(contexts, time, signal, NullLogger<NotificationService>.Instance);
            var to = MailDev.NewAddress();
            await service.EnqueueAsync(new NotificationRequest
            {
                Key = "sent:" + to,
                Template = DefaultNotificationTemplates.StaffTask,
                Recipient = new NotificationRecipient { Email = to },
                Values = new Dictionary<string, string> { ["displayName"] = "测试", ["taskName"] = "电话回访", ["trackingNumber"] = "TS1", ["text"] = "" },
            });
            var smtp = new MailKitEmailSender(Options.Create(new EmailOptions
            {
                Host = MailDev.Smtp.Host,
                Port = MailDev.Smtp.Port,
                Security = SmtpSecurity.None,
                UserName = MailDev.User,
                Password = MailDev.Password,
                Timeout = TimeSpan.FromSeconds(10),
            }), NullLogger<MailKitEmailSender>.Instance);
            var failures = new RecordingFailures();
            var dispatcher = new NotificationDispatcher(contexts, new CountingSender(), smtp, failures, time, Options.Create(new NotificationOptions()), NullLogger<NotificationDispatcher>.Instance);

            Assert.Equal(1, await dispatcher.DeliverDueAsync());
            time.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, await dispatcher.DeliverDueAsync());

            Assert.Single(await MailDev.MessagesToAsync(to));
            Assert.Empty(failures.Raised);
            await using var db = await contexts.CreateDbContextAsync();
            var row = await db.Set<Notification>().SingleAsync();
            Assert.Equal(NotificationStatus.Sent, row.Status);
            Assert.Null(row.LockOwner);
        }
        finally
        {
            TestFiles.DeleteFolder(folder);
        }
    }

    private static async Task RaceAsync(IDbContextFactory<DomainDbContext> contexts)
    {
        await DomainDatabase.MigrateAsync(contexts);
        var time = TestClock.New();
        await new NotificationTemplateService(contexts, time).SeedDefaultsAsync();
        await WithCodesAsync(contexts);
        using var signal = new NotificationSignal();
        var service = new NotificationService(contexts, time, signal, NullLogger<NotificationService>.Instance);
        const int count = 120;
        for (var i = 0; i < count; i++)
        {
            await service.EnqueueAsync(Request("race-" + i, "139" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var sms = new CountingSender { Delay = TimeSpan.FromMilliseconds(2) };
        var options = Options.Create(new NotificationOptions { BatchSize = 7 });
        var dispatchers = Enumerable.Range(0, 4)
            .Select(_ => new NotificationDispatcher(contexts, sms, new UnconfiguredEmailSender(), new RecordingFailures(), time, options, NullLogger<NotificationDispatcher>.Instance))
            .ToList();

        var attempted = await Task.WhenAll(dispatchers.Select(d => Task.Run(() => d.DeliverDueAsync())));

        Assert.Equal(count, attempted.Sum());
        Assert.Equal(count, sms.Calls.Count);
        Assert.Equal(count, sms.Calls.Select(c => c.MessageId).Distinct().Count());
        Assert.True(attempted.Count(a => a > 0) > 1, "only one dispatcher did any work: " + string.Join(",", attempted));
        await using var db = await contexts.CreateDbContextAsync();
        Assert.Equal(count, await db.Set<Notification>().CountAsync(n => n.Status == NotificationStatus.Sent && n.Attempts == 1 && n.LockOwner == null));
        Assert.Equal(0, await dispatchers[0].DeliverDueAsync());
    }

    private static async Task WithCodesAsync(IDbContextFactory<DomainDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        foreach (var template in await db.Set<NotificationTemplate>().ToListAsync())
        {
            template.SmsTemplateCodes = new Dictionary<string, string> { ["test"] = "SMS_1" };
        }

        await db.SaveChangesAsync();
    }

    private static NotificationRequest Request(string key, string phone) => new()
    {
        Key = key,
        Template = DefaultNotificationTemplates.StaffTask,
        Recipient = new NotificationRecipient { PhoneNumber = phone },
        Values = new Dictionary<string, string> { ["displayName"] = "测试", ["taskName"] = "电话回访", ["trackingNumber"] = "TS1", ["text"] = "" },
    };

    private sealed class CountingSender : INamedSmsSender
    {
        public string Provider => "test";

        public ConcurrentQueue<OutgoingSms> Calls { get; } = new();

        public TimeSpan Delay { get; init; }

        public SmsSendOutcome Answer { get; init; } = SmsSendOutcome.Sent;

        public async Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue(message);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return Answer == SmsSendOutcome.Sent ? new SmsSendResult(SmsSendOutcome.Sent, "biz-" + message.MessageId) : new SmsSendResult(Answer, null, "isv.BUSINESS_LIMIT_CONTROL", "rate limited");
        }
    }

    /// <summary>Sends through the real SMTP sender, then stops the host (its token cancelled) before the outcome is recorded.</summary>
    private sealed class StopsAfterSending(IEmailSender inner, CancellationTokenSource host) : IEmailSender
    {
        public async Task SendAsync(OutgoingEmail message, CancellationToken cancellationToken = default)
        {
            await inner.SendAsync(message, cancellationToken);
            await host.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private sealed class RecordingFailures : INotificationFailureHandler
    {
        public ConcurrentQueue<NotificationFailureKind> Raised { get; } = new();

        public Task<string?> RaiseAsync(Notification notification, NotificationFailureKind kind, CancellationToken cancellationToken = default)
        {
            Raised.Enqueue(kind);
            return Task.FromResult<string?>("failure-" + notification.Id);
        }
    }
}
