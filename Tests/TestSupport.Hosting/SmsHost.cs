using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>
/// The scenario host (fake clock, demo organisation) wired to the SMS provider emulator: Alibaba Cloud (or Tencent)
/// as the provider, the emulator's keys, a callback secret. The emulator runs on the host's clock, so its timestamp
/// check follows <see cref="ComplaintHost.AdvanceAsync"/>. Use as a class fixture or create one per test.
/// </summary>
public sealed class SmsHost : IAsyncLifetime
{
    public const string CallbackSecret = "cb-secret-0123456789abcdefghij";

    /// <summary>The provider the host sends through: <c>Aliyun</c> (default) or <c>Tencent</c>.</summary>
    public string Provider { get; init; } = "Aliyun";

    /// <summary>Settings that replace the emulator's defaults (e.g. a wrong secret).</summary>
    public Dictionary<string, string?> Overrides { get; init; } = [];

    /// <summary>More test services for the host (see <see cref="ComplaintHost.TestServices"/>).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices { get; init; }

    public SmsProviderEmulator Emulator { get; private set; } = null!;

    public ComplaintHost Host { get; private set; } = null!;

    public static string SmsUpPath => $"/api/sms/aliyun/{CallbackSecret}/sms-up";

    public static string SmsReportPath => $"/api/sms/aliyun/{CallbackSecret}/sms-report";

    public static string TencentReplyPath => $"/api/sms/tencent/{CallbackSecret}/reply";

    public async Task InitializeAsync()
    {
        var clock = new ClockOf(() => Host);
        Emulator = await SmsProviderEmulator.StartAsync(clock);
        var settings = Settings(Emulator, Provider);
        foreach (var (key, value) in Overrides)
        {
            settings[key] = value;
        }

        Host = new ComplaintHost { Settings = settings, TestServices = TestServices };
        using (Host.Anonymous())
        {
        }
    }

    /// <summary>The emulator's settings for the host, with the survey reminder's template and the callback secret.</summary>
    public static Dictionary<string, string?> Settings(SmsProviderEmulator emulator, string provider = "Aliyun")
    {
        var settings = EmulatorSettings.For(emulator, provider);
        settings["Workflows:Sms:Aliyun:Templates:survey.reminder"] = "SMS_480000002";
        settings["Workflows:Sms:Callback:Secret"] = CallbackSecret;
        return settings;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    /// <summary>The host's fake clock, read when the emulator asks (the host is created after the emulator).</summary>
    private sealed class ClockOf(Func<ComplaintHost?> host) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => host()?.Time.GetUtcNow() ?? ComplaintHost.Start;
    }
}
