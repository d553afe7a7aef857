using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>The SMS services as the host registers them, against the emulator, on a fake clock and a real SQLite file (migrated).</summary>
internal sealed class SmsTestRig : IAsyncDisposable
{
    private readonly string _folder;
    private readonly IDbContextFactory<DomainDbContext> _database;

    private SmsTestRig(SmsProviderEmulator emulator, ServiceProvider services, FakeTimeProvider time, IDbContextFactory<DomainDbContext> database, string folder)
    {
        _database = database;
        _folder = folder;
        Emulator = emulator;
        Services = services;
        Time = time;
    }

    public SmsProviderEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public ISmsSender Sender => Services.GetRequiredService<ISmsSender>();

    public IDbContextFactory<DomainDbContext> Database => Services.GetRequiredService<IDbContextFactory<DomainDbContext>>();

    public static async Task<SmsTestRig> StartAsync(string provider = "Aliyun", Dictionary<string, string?>? settings = null, TimeProvider? emulatorClock = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var emulator = await SmsProviderEmulator.StartAsync(emulatorClock ?? time);
        var values = new Dictionary<string, string?>
        {
            ["Workflows:Sms:Provider"] = provider,
            ["Workflows:Sms:Aliyun:Endpoint"] = emulator.BaseAddress.ToString(),
            ["Workflows:Sms:Aliyun:AccessKeyId"] = SmsProviderEmulator.AliyunAccessKeyId,
            ["Workflows:Sms:Aliyun:AccessKeySecret"] = SmsProviderEmulator.AliyunAccessKeySecret,
            ["Workflows:Sms:Aliyun:SignName"] = SmsProviderEmulator.SignName,
            ["Workflows:Sms:Aliyun:Templates:survey.invitation"] = "SMS_480000001",
            ["Workflows:Sms:Tencent:Endpoint"] = emulator.BaseAddress.ToString(),
            ["Workflows:Sms:Tencent:SecretId"] = SmsProviderEmulator.TencentSecretId,
            ["Workflows:Sms:Tencent:SecretKey"] = SmsProviderEmulator.TencentSecretKey,
            ["Workflows:Sms:Tencent:SmsSdkAppId"] = SmsProviderEmulator.TencentSdkAppId,
            ["Workflows:Sms:Tencent:SignName"] = SmsProviderEmulator.SignName,
            ["Workflows:Sms:Tencent:Templates:survey.invitation"] = "2000001",
            ["Workflows:Sms:Tencent:TemplateParameters:survey.invitation:0"] = "trackingNumber",
            ["Workflows:Sms:Tencent:TemplateParameters:survey.invitation:1"] = "days",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        var folder = Path.Combine(Path.GetTempPath(), "complaintworkflows-sms", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = DomainDatabase.Sqlite(Path.Combine(folder, "sms.db"));
        await DomainDatabase.MigrateAsync(database);
        services.AddSingleton(database);
        services.AddSms(configuration);
        return new SmsTestRig(emulator, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time, database, folder);
    }

    public static OutgoingSms Survey(string messageId, string phone = "13812345678")
        => new(messageId, phone, "survey.invitation", new Dictionary<string, string> { ["trackingNumber"] = "TS20261123000001", ["days"] = "3" });

    public async Task<IReadOnlyList<SmsSendRecord>> LedgerAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Set<SmsSendRecord>().AsNoTracking().ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
