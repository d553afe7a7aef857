using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>How long the soak runs, how often it samples the host's memory, and the intake rate it aims at.</summary>
internal sealed record SoakOptions(TimeSpan Duration, TimeSpan Sample, double Rate, int Clients, int? Workers)
{
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        static TimeSpan Span(string text) => text.EndsWith('h')
            ? TimeSpan.FromHours(double.Parse(text[..^1], CultureInfo.InvariantCulture))
            : text.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture));
        var duration = Value("--minutes") is { } minutes
            ? TimeSpan.FromMinutes(double.Parse(minutes, CultureInfo.InvariantCulture))
            : TimeSpan.FromHours(double.Parse(Value("--hours") ?? "1", CultureInfo.InvariantCulture));
        return new SoakOptions(duration, Span(Value("--sample") ?? "5m"), double.Parse(Value("--rate") ?? "100", CultureInfo.InvariantCulture), int.Parse(Value("--clients") ?? "16", CultureInfo.InvariantCulture),
            Value("--workers") is { } workers ? int.Parse(workers, CultureInfo.InvariantCulture) : null);
    }
}

/// <summary>
/// The soak: one host on SQLite (a process of its own, demo organisation and staff), complaints filed at a steady rate
/// (<c>--rate</c>, paced: a client that falls behind does not make up more than a second) while the demo staff complete
/// every task that appears (<see cref="CampaignStaff"/>) and the survey's short waits run out into the desk's follow-up
/// call, so complaints go on to the archive. Every <c>--sample</c> it prints the host's working set (<c>/proc</c>) and
/// managed heap (the runtime's <c>gc-heap-size</c> counter), what was filed and completed; last, the working set's growth
/// per hour after the warm-up (least squares over the samples after the first sixth of the run) and the SQLite WAL's size:
/// <c>soak: growth X MB/h</c>.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(SoakOptions options, TextWriter output)
    {
        var password = "soak-" + Guid.NewGuid().ToString("N")[..12];
        using var host = await HostProcess.StartAsync(output, new Dictionary<string, string>
        {
            ["Workflows__SeedDemoComplaints"] = "false",
            ["Workflows__Identity__DemoPassword"] = password,
            ["Workflows__Domain__Emergency__ScheduledWork"] = "false",
            ["Workflows__Notifications__Survey__FirstWait"] = "PT1M",
            ["Workflows__Notifications__Survey__ReminderWait"] = "PT1M",
        });
        using var counters = HostCounters.Start(host.ProcessId);
        var url = new Uri(host.Url);
        var people = await CampaignStaff.SignInAllAsync(url, password);
        var staff = new CampaignStaff(people, output);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        using var stop = new CancellationTokenSource(options.Duration);
        using var workStop = new CancellationTokenSource();
        long filed = 0, failed = 0;
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var intake = Task.WhenAll(Enumerable.Range(0, options.Clients).Select(c => FileAsync(http, c, options.Rate / options.Clients, latencies, () => Interlocked.Increment(ref filed), () => Interlocked.Increment(ref failed), stop.Token)));
        // Staff as a centre has them: every person works their own inbox (one loop each, unless --workers says fewer),
        // so the completions are bounded by what the host answers, not by the driver.
        var workers = Math.Min(options.Workers ?? people.Count, people.Count);
        var work = staff.RunAsync(workers, TimeSpan.FromMilliseconds(200), workStop.Token);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: {options.Duration} on one host (SQLite), target {options.Rate} complaints/s from {options.Clients} clients, {people.Count} staff in {workers} loops, samples every {options.Sample}; host pid {host.ProcessId}, data {host.Folder}"));

        var samples = new List<(double Hours, double WorkingSetMb, double HeapMb)>();
        var lastFiled = 0L;
        var lastCompleted = 0L;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Sample, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            var workingSet = WorkingSetMb(host.ProcessId);
            var heap = counters.Latest("gc-heap-size");
            var (nowFiled, nowCompleted) = (Interlocked.Read(ref filed), staff.Completed);
            var open = OpenTasks(host.Folder);
            samples.Add((clock.Elapsed.TotalHours, workingSet, heap));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clock.Elapsed:hh\\:mm\\:ss} working set {workingSet:F1} MB, managed heap {heap:F1} MB; filed {nowFiled} ({(nowFiled - lastFiled) / options.Sample.TotalSeconds:F1}/s), tasks completed {nowCompleted} ({(nowCompleted - lastCompleted) / options.Sample.TotalSeconds:F1}/s), {open} tasks open, {Interlocked.Read(ref failed)} failed; load {File.ReadAllText("/proc/loadavg").Trim()}"));
            (lastFiled, lastCompleted) = (nowFiled, nowCompleted);
        }

        await intake;
        await workStop.CancelAsync();
        await work;
        var warm = samples.Where(s => s.Hours >= options.Duration.TotalHours / 6).ToList();
        var growth = Slope(warm.Count >= 2 ? warm : samples);
        var wal = new FileInfo(Path.Combine(host.Folder, "complaintworkflows.db-wal"));
        var sorted = latencies.Order().ToList();
        var p99 = sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"filed {filed} complaints ({filed / clock.Elapsed.TotalSeconds:F1}/s of {options.Rate}/s targeted), {staff.Completed} tasks completed, {failed} intakes failed, {staff.Refused} completions refused; intake p99 {p99:F0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite WAL: {(wal.Exists ? wal.Length / 1048576.0 : 0):F1} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: growth {growth:F1} MB/h"));
        return failed == 0 && staff.Refused == 0 ? 0 : 1;
    }

    /// <summary>One client filing complaints at <paramref name="perSecond"/>, paced.</summary>
    private static async Task FileAsync(HttpClient http, int client, double perSecond, ConcurrentBag<double> latencies, Action filed, Action failed, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var next = Stopwatch.GetTimestamp();
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsJsonAsync("/api/complaints", new
                {
                    consumerName = "耐久测试" + client,
                    consumerPhone = string.Create(CultureInfo.InvariantCulture, $"137{client:D2}{n % 1_000_000:D6}"),
                    consumerAddress = "浙江省温州市鹿城区五马街道" + n + "号",
                    respondentName = string.Create(CultureInfo.InvariantCulture, $"鹿城区小王数码店{client}-{n}"),
                    respondentAddress = "温州市鹿城区五马街道解放街12号",
                    request = "要求退货退款",
                    facts = string.Create(CultureInfo.InvariantCulture, $"购买的蓝牙耳机没有声音（S{client}-{n}）"),
                }, CancellationToken.None);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    filed();
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    failed();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed();
            }

            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait < -TimeSpan.FromSeconds(1))
            {
                next = Stopwatch.GetTimestamp();
            }
            else if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Open user tasks in the host's SQLite database (read-only): whether the staff keep pace with the intake.</summary>
    private static long OpenTasks(string folder)
    {
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "complaintworkflows.db")};Mode=ReadOnly;Default Timeout=30");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM wf_task";
            return (long)count.ExecuteScalar()!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return -1;
        }
    }

    /// <summary>VmRSS of the process (its working set), in MB.</summary>
    private static double WorkingSetMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Least-squares slope of the working set over time, MB per hour.</summary>
    private static double Slope(List<(double Hours, double WorkingSetMb, double HeapMb)> samples)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        var meanX = samples.Average(s => s.Hours);
        var meanY = samples.Average(s => s.WorkingSetMb);
        var covariance = samples.Sum(s => (s.Hours - meanX) * (s.WorkingSetMb - meanY));
        var variance = samples.Sum(s => (s.Hours - meanX) * (s.Hours - meanX));
        return variance == 0 ? double.NaN : covariance / variance;
    }
}

/// <summary>The latest value of each of another .NET process's <c>System.Runtime</c> counters (EventPipe, every 5 s).</summary>
internal sealed class HostCounters : IDisposable
{
    private readonly EventPipeSession? _session;
    private readonly Thread? _reader;
    private readonly ConcurrentDictionary<string, double> _latest = new(StringComparer.Ordinal);

    private HostCounters(EventPipeSession? session)
    {
        _session = session;
        if (session is not null)
        {
            _reader = new Thread(Read) { IsBackground = true, Name = "host counters" };
            _reader.Start();
        }
    }

    public static HostCounters Start(int processId)
    {
        var arguments = new Dictionary<string, string> { ["EventCounterIntervalSec"] = "5" };
        var providers = new[] { new EventPipeProvider("System.Runtime", EventLevel.Informational, (long)EventKeywords.None, arguments) };
        return new HostCounters(new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 16));
    }

    /// <summary>The counter's last reported value (MB for gc-heap-size), NaN before its first report.</summary>
    public double Latest(string name) => _latest.TryGetValue(name, out var value) ? value : double.NaN;

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session!.EventStream);
            source.Dynamic.All += report =>
            {
                if (report.EventName != "EventCounters" || report.PayloadValue(0) is not IDictionary<string, object> outer)
                {
                    return;
                }

                var payload = outer.TryGetValue("Payload", out var inner) && inner is IDictionary<string, object> fields ? fields : outer;
                if (payload.TryGetValue("Name", out var name) && name is string counter && (payload.TryGetValue("Mean", out var value) || payload.TryGetValue("Increment", out value)))
                {
                    _latest[counter] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                }
            };
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            _session?.Stop();
        }
        catch (Exception ex) when (ex is IOException or ServerNotAvailableException or TimeoutException)
        {
        }

        _reader?.Join(TimeSpan.FromSeconds(5));
        _session?.Dispose();
    }
}
