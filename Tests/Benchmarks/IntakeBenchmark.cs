using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// Complaint intake over HTTP: concurrent consumers file complaints at <c>POST /api/complaints</c>; each answer
/// comes after the complaint is registered and its process has run to the first human task (the dispatch
/// review). Without <c>--url</c> the host is started as a separate process on a fresh SQLite database.
/// </summary>
internal static class IntakeBenchmark
{
    private static readonly string[] Merchants = ["鹿城区小王数码店", "瓯海区美丽人生美容美发店", "龙湾区好运来超市", "温州某某汽车销售服务有限公司", "鹿城区健身达人健身房", "瓯海区开心教育培训中心"];
    private static readonly string[] Stories =
    [
        "购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。",
        "在该店办理的美容预付卡余额2000元，店铺突然关门，联系不上老板。",
        "购买的牛奶已过保质期两天仍在销售，孩子喝后腹泻。",
        "新车交付后发现车漆有修补痕迹，销售称是正常现象，拒绝协商。",
        "健身房办卡时承诺可随时退卡，现要求退卡被拒并收取高额违约金。",
        "培训机构宣传保过，考试未通过后拒绝按合同退费。",
    ];

    public static async Task<int> RunAsync(string? url, BenchmarkOptions options, TextWriter output)
    {
        using var host = url is null ? await HostProcess.StartAsync(output) : null;
        var baseUri = new Uri(url ?? host!.Url);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Threads * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };

        // The host's code is compiled in tiers while it runs (with profile-guided instrumentation in between); on two busy
        // cores that takes more than 10 s of load: the host CPU per complaint still falls from round to round after a 10 s
        // warm-up, and is flat after 30 s. A long-running host answers at the pace the rounds then measure.
        var warmUp = TimeSpan.FromSeconds(options.WarmUpSeconds ?? 30);
        output.WriteLine($"warming up against {baseUri} with {options.Threads} clients for {warmUp.TotalSeconds:F0} s ...");
        await DriveAsync(http, options.Threads, warmUp, "w");
        var results = new List<(int Count, double Seconds, List<double> Latencies)>();
        var cpuPerComplaint = new List<double>();
        var kibPerComplaint = new List<double>();
        using var allocations = host is null ? null : HostAllocations.TryStart(host.ProcessId, output);
        for (var round = 0; round < options.Rounds; round++)
        {
            var cpuBefore = host?.CpuTime();
            var from = TimeProvider.System.GetUtcNow().UtcDateTime;
            var (count, elapsed, latencies, failures) = await DriveAsync(http, options.Threads, TimeSpan.FromSeconds(options.Seconds), $"r{round}");
            var to = TimeProvider.System.GetUtcNow().UtcDateTime;
            var cpuAfter = host?.CpuTime();
            results.Add((count, elapsed.TotalSeconds, latencies));
            var cpu = "";
            if (cpuBefore is { } b && cpuAfter is { } a && count > 0)
            {
                cpuPerComplaint.Add((a - b).TotalMilliseconds / count);
                cpu = string.Create(CultureInfo.InvariantCulture, $", host CPU {cpuPerComplaint[^1]:F2} ms/complaint");
            }

            if (allocations is not null && count > 0)
            {
                await allocations.SettleAsync(to);
                kibPerComplaint.Add(allocations.Between(from, to) / 1024.0 / count);
                cpu += string.Create(CultureInfo.InvariantCulture, $", {kibPerComplaint[^1]:F0} KiB allocated/complaint");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {count / elapsed.TotalSeconds:F0} complaints/s, p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, failures {failures}{cpu}"));
            if (failures > 0)
            {
                output.WriteLine("some submissions failed: the figure below does not count them");
            }
        }

        // The median round (by rate), with its latencies.
        var median = results.OrderBy(r => r.Count / r.Seconds).ElementAt(results.Count / 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 latency: {Percentile(median.Latencies, 0.50):F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99 latency: {Percentile(median.Latencies, 0.99):F1} ms"));
        if (cpuPerComplaint.Count > 0)
        {
            // CPU time per complaint barely depends on what else runs on the machine, unlike the rate: compare changes by it.
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host CPU: {cpuPerComplaint.Order().ElementAt(cpuPerComplaint.Count / 2):F2} ms/complaint (median of the rounds; user + system time of the host process)"));
        }

        if (kibPerComplaint.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host allocations: {kibPerComplaint.Order().ElementAt(kibPerComplaint.Count / 2):F0} KiB/complaint (median of the rounds; from the runtime's alloc-rate counter)"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"intake: {median.Count / median.Seconds:F0} complaints/s"));
        return 0;
    }

    private static async Task<(int Count, TimeSpan Elapsed, List<double> Latencies, int Failures)> DriveAsync(HttpClient http, int clients, TimeSpan duration, string tag)
    {
        var latencies = new List<double>[clients];
        var failures = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = [];
            var n = 0;
            while (stopwatch.Elapsed < duration)
            {
                n++;
                var body = Complaint(client, n, tag);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/complaints", body).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    mine.Add(elapsed);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count, stopwatch.Elapsed, all, failures);
    }

    /// <summary>The <paramref name="n"/>th complaint of one client: a different consumer, respondent and text each time.</summary>
    internal static object Complaint(int client, int n, string tag) => new
    {
        consumerName = "测试用户" + client,
        consumerPhone = string.Create(CultureInfo.InvariantCulture, $"139{client:D2}{n % 1_000_000:D6}"),
        consumerAddress = "浙江省温州市鹿城区五马街道" + n + "号",
        respondentName = Merchants[(client * 7 + n) % Merchants.Length],
        respondentAddress = "浙江省温州市鹿城区车站大道" + (n % 300) + "号",
        request = "要求退款并赔偿损失",
        facts = Stories[(client + n) % Stories.Length] + $"（编号 {tag}-{client}-{n}）",
    };

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
