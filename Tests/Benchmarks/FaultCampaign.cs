using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>What the fault campaign runs: how many hosts, how long, how often a host is killed, how many consumers.</summary>
internal sealed record FaultOptions(
    int Hosts,
    TimeSpan Duration,
    TimeSpan KillEvery,
    int Clients = 2,
    TimeSpan? ClientPause = null,
    TimeSpan? SurveyWait = null,
    TimeSpan? Quiescence = null,
    TimeSpan? JobLock = null,
    string? Folder = null,
    TimeSpan? RestartLimit = null)
{
    /// <summary>How long one kill-and-restart of a host may take before the campaign calls it a hang (<c>--restart-limit</c>; a loaded machine is slow, not broken).</summary>
    public TimeSpan EffectiveRestartLimit => RestartLimit ?? TimeSpan.FromMinutes(10);

    /// <summary>How long a paused host stays stopped: longer than the job lock and the notification lease.</summary>
    public TimeSpan Pause => (JobLock ?? TimeSpan.FromSeconds(10)) + TimeSpan.FromSeconds(15);

    public static FaultOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        static TimeSpan Span(string text) => text.EndsWith('m')
            ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture));
        return new FaultOptions(
            int.Parse(Value("--hosts") ?? "3", CultureInfo.InvariantCulture),
            TimeSpan.FromMinutes(double.Parse(Value("--minutes") ?? "10", CultureInfo.InvariantCulture)),
            Span(Value("--kill-every") ?? "20s"),
            int.Parse(Value("--clients") ?? "2", CultureInfo.InvariantCulture),
            Value("--client-pause") is { } pause ? Span(pause) : null,
            Value("--survey-wait") is { } wait ? Span(wait) : null,
            Value("--quiesce") is { } quiesce ? Span(quiesce) : null,
            Value("--job-lock") is { } jobLock ? Span(jobLock) : null,
            Value("--folder"),
            Value("--restart-limit") is { } limit ? Span(limit) : null);
    }
}

/// <summary>
/// The fault campaign (issue 17): <c>Tests/infra/cluster.sh</c> starts N hosts behind nginx on a PostgreSQL server of the
/// campaign's own (<c>Tests/infra/postgres.sh</c>, durable settings, its own port and folder), with the SMS emulator as the
/// SMS provider and maildev as the SMTP server. For the given minutes consumers and the desk file complaints, the demo
/// staff complete the tasks that appear through their inboxes, and consumers answer the survey SMS through the SMS
/// platform's callback; meanwhile a random host is killed with SIGKILL every <c>--kill-every</c> and started again,
/// PostgreSQL is restarted once (<c>pg_ctl restart -m fast</c>) and one host is paused with SIGSTOP for longer than the job
/// lock, then continued. Then intake stops, staff and consumers go on until every complaint is archived (quiescence), and
/// <see cref="CampaignChecks"/> checks what was stored and sent. The last line is
/// <c>faults: A accepted, L lost, D duplicated, K kills, R restarts, T tasks completed, p99 X ms, S/s</c>; it exits 1
/// when anything was lost or duplicated or a check failed.
/// </summary>
internal static class FaultCampaign
{
    private const string CallbackSecret = "faults-callback-secret-0123456789";

    public static async Task<int> RunAsync(FaultOptions options, TextWriter output)
    {
        var root = StoreUnderTest.RepositoryRoot();
        var run = Guid.NewGuid().ToString("N")[..8];
        var folder = Path.GetFullPath(options.Folder ?? Path.Combine(root, ".test-run", "faults-" + run));
        var postgresFolder = folder + "-postgres";
        using var aborted = new CancellationTokenSource();

        // SIGTERM (test.sh's trap, a CI timeout) and Ctrl-C stop the campaign and let it stop everything it started.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; aborted.Cancel(); });
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; aborted.Cancel(); });
        await using var emulator = await SmsProviderEmulator.StartAsync();
        string? server = null;
        try
        {
            server = await RunScriptAsync(root, "postgres.sh", $"start {postgresFolder} {FreePort()}", new Dictionary<string, string> { ["PG_DURABLE"] = "1" });
            var settings = HostSettings(options, emulator, server.Trim());
            var started = await TestCluster.RunAsync(root, folder, $"start {options.Hosts}", TimeSpan.FromMinutes(10), settings);
            output.WriteLine(started.Output.Trim());
            if (started.ExitCode != 0)
            {
                return 1;
            }

            return await CampaignAsync(options, output, root, folder, postgresFolder, emulator, settings, run, aborted.Token);
        }
        finally
        {
            var stopped = await TestCluster.RunAsync(root, folder, "stop", TimeSpan.FromMinutes(2));
            if (stopped.ExitCode != 0)
            {
                output.WriteLine(stopped.Output);
            }

            if (server is not null)
            {
                await RunScriptAsync(root, "postgres.sh", $"stop {postgresFolder}");
            }
        }
    }

    /// <summary>Every host's settings: the cluster's database server, demo staff with a known password, the emulator, maildev, short locks and survey waits.</summary>
    private static Dictionary<string, string> HostSettings(FaultOptions options, SmsProviderEmulator emulator, string server)
    {
        var jobLock = options.JobLock ?? TimeSpan.FromSeconds(10);
        var surveyWait = (int)(options.SurveyWait ?? TimeSpan.FromSeconds(30)).TotalSeconds;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["COMPLAINTWORKFLOWS_TEST_POSTGRES"] = server,
            ["Workflows__SeedDemoData"] = "true",
            ["Workflows__SeedDemoComplaints"] = "false",
            ["Workflows__Identity__DemoPassword"] = DemoPassword,
            // Detection of group complaints and surges would open emergency plans for the campaign's steady intake.
            ["Workflows__Domain__Emergency__ScheduledWork"] = "false",
            ["Workflows__Engine__JobLockDuration"] = jobLock.ToString("c", CultureInfo.InvariantCulture),
            ["Workflows__Notifications__LockDuration"] = jobLock.ToString("c", CultureInfo.InvariantCulture),
            ["Workflows__Notifications__Survey__FirstWait"] = string.Create(CultureInfo.InvariantCulture, $"PT{surveyWait}S"),
            ["Workflows__Notifications__Survey__ReminderWait"] = string.Create(CultureInfo.InvariantCulture, $"PT{surveyWait}S"),
            ["Workflows__Timers__ClusterCheckinInterval"] = "00:00:05",
            ["Workflows__Timers__SafetyNetInterval"] = "00:00:10",
            ["Workflows__Sms__Callback__Secret"] = CallbackSecret,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in EmulatorSettings.For(emulator))
        {
            if (!key.Contains("Templates", StringComparison.Ordinal) && !key.Contains("TemplateParameters", StringComparison.Ordinal))
            {
                settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
            }
        }

        foreach (var (key, value) in MailDev.HostSettings())
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        // The notification lease must be at least twice a send's time limit.
        settings["Workflows__Email__Timeout"] = (jobLock / 2).ToString("c", CultureInfo.InvariantCulture);
        return settings;
    }

    private static readonly string DemoPassword = "faults-" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<int> CampaignAsync(FaultOptions options, TextWriter output, string root, string folder, string postgresFolder, SmsProviderEmulator emulator,
        Dictionary<string, string> settings, string run, CancellationToken aborted)
    {
        var cluster = TestCluster.Environment(folder);
        var nginx = new Uri(cluster["CW_CLUSTER_URL"]);
        var clock = Stopwatch.StartNew();
        void Say(string line) => output.WriteLine($"{clock.Elapsed:mm\\:ss} {line}");

        using var admin = await StaffSession.SignInAsync(nginx, cluster["CW_CLUSTER_ADMIN_USER"], cluster["CW_CLUSTER_ADMIN_PASSWORD"], TimeSpan.FromMinutes(1), aborted);
        var invitationCode = await SetSmsTemplateCodesAsync(admin.Http, aborted);
        var people = await CampaignStaff.SignInAllAsync(nginx, DemoPassword, aborted);
        Say($"{people.Count} staff signed in; SMS template codes set");
        using var anonymous = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { BaseAddress = nginx, Timeout = TimeSpan.FromSeconds(30) };
        var intake = new CampaignIntake(anonymous, people.First(p => p.UserName == "zx-desk-a"), run);
        var staff = new CampaignStaff(people, output);
        var replies = new CampaignSmsReplies(emulator, anonymous, $"/api/sms/aliyun/{CallbackSecret}/sms-up", invitationCode);

        using var loadStop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var workStop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        loadStop.CancelAfter(options.Duration);
        var load = intake.RunAsync(options.Clients, options.ClientPause ?? TimeSpan.FromSeconds(2), loadStop.Token);
        var work = staff.RunAsync(3, TimeSpan.FromMilliseconds(500), workStop.Token);
        var answering = replies.RunAsync(TimeSpan.FromMilliseconds(500), workStop.Token);

        var faults = new CampaignFaults(root, folder, postgresFolder, options, settings, Say);
        var faulting = faults.RunAsync(loadStop.Token);
        await load;
        var seconds = clock.Elapsed.TotalSeconds;
        var faultsOk = await faulting;
        Say($"intake stopped: {intake.Accepted.Count} accepted, {intake.Refused} without a 2xx after every attempt; {staff.Completed} tasks completed so far");

        // Quiescence: staff and consumers go on until every accepted complaint is archived and nothing is left to do.
        var checks = new CampaignChecks(cluster["CW_CLUSTER_CONNECTION_STRING"], admin.Http, emulator, intake, output);
        var quiet = await checks.WaitForQuiescenceAsync(options.Quiescence ?? TimeSpan.FromMinutes(5), Say, aborted);
        await workStop.CancelAsync();
        await Task.WhenAll(work, answering);
        Say($"quiescence {(quiet ? "reached" : "NOT reached")}; {staff.Completed} tasks completed, {replies.Replied} SMS survey replies");

        var result = await checks.RunAsync(aborted);
        var ok = faultsOk && quiet && result.Passed && staff.Refused == 0 && !aborted.IsCancellationRequested;
        foreach (var (element, seen) in staff.Unknown)
        {
            output.WriteLine($"note: tasks at {element} were seen {seen} times and left alone (the campaign does not complete them)");
        }

        var sorted = intake.Latencies.Order().ToList();
        var p99 = sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        output.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faults: {intake.Accepted.Count} accepted, {result.Lost} lost, {result.Duplicated} duplicated, {faults.Kills} kills, {faults.Restarts} restarts, {staff.Completed} tasks completed, p99 {p99:F0} ms, {intake.Accepted.Count / seconds:F1}/s"));
        return ok && result.Lost == 0 && result.Duplicated == 0 ? 0 : 1;
    }

    /// <summary>Gives every notification template an Alibaba template code (as an administrator does in /admin/); answers the survey invitation's.</summary>
    internal static async Task<string> SetSmsTemplateCodesAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        var templates = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/notification-templates", UriKind.Relative), cancellationToken);
        var invitation = "";
        var n = 0;
        foreach (var t in templates.EnumerateArray())
        {
            var key = t.GetProperty("key").GetString()!;
            var code = string.Create(CultureInfo.InvariantCulture, $"SMS_4800{++n:D5}");
            invitation = key == "survey.invitation" ? code : invitation;
            using var response = await admin.PutAsJsonAsync($"/api/admin/notification-templates/{key}", new
            {
                name = t.GetProperty("name").GetString(),
                smsText = t.GetProperty("smsText").GetString(),
                smsTemplateCodes = new Dictionary<string, string> { ["aliyun"] = code },
                emailSubject = t.GetProperty("emailSubject").GetString(),
                emailHtml = t.GetProperty("emailHtml").GetString(),
                emailText = t.GetProperty("emailText").GetString(),
            }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"template {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        return invitation.Length > 0 ? invitation : throw new InvalidOperationException("no survey.invitation template");
    }

    /// <summary>Runs <c>Tests/infra/SCRIPT ARGUMENTS</c>; answers its standard output, or throws with its output when it fails.</summary>
    internal static async Task<string> RunScriptAsync(string root, string script, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", $"{Path.Combine(root, "Tests", "infra", script)} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{script} {arguments} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The faults, on a schedule over the load's minutes: a random host killed with SIGKILL every <c>--kill-every</c> and started
/// again; at 40 % PostgreSQL restarted (<c>pg_ctl restart -m fast</c>); at 60 % one host (not the next to be killed)
/// stopped with SIGSTOP for longer than the job lock and the notification lease, then continued.
/// </summary>
internal sealed class CampaignFaults(string root, string folder, string postgresFolder, FaultOptions options, IReadOnlyDictionary<string, string> settings, Action<string> say)
{
    private int _kills;
    private int _restarts;
    private int _paused;

    public int Kills => _kills;

    /// <summary>Hosts started again after a kill, and PostgreSQL's restart.</summary>
    public int Restarts => _restarts;

    /// <summary>Runs until <paramref name="stop"/>; false when a restart failed.</summary>
    public async Task<bool> RunAsync(CancellationToken stop)
    {
        var ok = true;
        var database = DatabaseRestartAsync(options.Duration * 0.4, stop);
        var pause = PauseAsync(options.Duration * 0.6, stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.KillEvery, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            int victim;
            do
            {
                victim = Random.Shared.Next(1, options.Hosts + 1);
            }
            while (victim == Volatile.Read(ref _paused) && options.Hosts > 1);

            var restarted = await TestCluster.RunAsync(root, folder, $"restart {victim} KILL", options.EffectiveRestartLimit, settings, CancellationToken.None);
            Interlocked.Increment(ref _kills);
            say($"kill {_kills}: {restarted.Output.Trim()}");
            if (restarted.ExitCode != 0)
            {
                // A failed check; the host is started again at the next kill so the campaign goes on.
                ok = false;
                continue;
            }

            Interlocked.Increment(ref _restarts);
        }

        return await database && await pause && ok;
    }

    private async Task<bool> DatabaseRestartAsync(TimeSpan after, CancellationToken stop)
    {
        try
        {
            await Task.Delay(after, stop);
        }
        catch (OperationCanceledException)
        {
            say("PostgreSQL was not restarted: the run ended first");
            return false;
        }

        var watch = Stopwatch.StartNew();
        try
        {
            await FaultCampaign.RunScriptAsync(root, "postgres.sh", $"restart {postgresFolder}");
        }
        catch (InvalidOperationException e)
        {
            say("PostgreSQL restart FAILED: " + e.Message);
            return false;
        }

        Interlocked.Increment(ref _restarts);
        say(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL restarted (pg_ctl restart -m fast, {watch.Elapsed.TotalSeconds:F1} s)"));
        return true;
    }

    private async Task<bool> PauseAsync(TimeSpan after, CancellationToken stop)
    {
        try
        {
            await Task.Delay(after, stop);
        }
        catch (OperationCanceledException)
        {
            say("no host was paused: the run ended first");
            return false;
        }

        var host = Random.Shared.Next(1, options.Hosts + 1);
        Volatile.Write(ref _paused, host);
        var pidFile = Path.Combine(folder, $"node{host}", "pid");
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile, CancellationToken.None), CultureInfo.InvariantCulture);
        Signal(pid, "STOP");
        say($"node{host} paused (SIGSTOP, pid {pid}) for {options.Pause.TotalSeconds:F0} s, longer than the job lock");
        await Task.Delay(options.Pause, CancellationToken.None);
        Signal(pid, "CONT");
        Volatile.Write(ref _paused, 0);
        say($"node{host} continued (SIGCONT)");
        return true;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { RedirectStandardError = true })!;
        kill.WaitForExit();
    }
}
