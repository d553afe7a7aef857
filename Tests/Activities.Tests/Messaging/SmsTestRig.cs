using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.TestSupport;
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
        var time = TestClock.New();
        var emulator = await SmsProviderEmulator.StartAsync(emulatorClock ?? time);
        var values = EmulatorSettings.For(emulator, provider);
        values["Workflows:Sms:Tencent:TemplateParameters:survey.invitation:1"] = "days";
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        var folder = TestFiles.NewFolder("sms");
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
        TestFiles.DeleteFolder(_folder);
    }
}
