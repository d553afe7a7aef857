using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using Npgsql;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// The fault campaign, first part: <c>Tests/infra/cluster.sh</c> starts N hosts on one PostgreSQL database behind
/// nginx; consumers file complaints through nginx for the given minutes (each with an <c>Idempotency-Key</c>, sent
/// again with the same key when the answer is lost, as a careful client does) while a random host is killed with
/// SIGKILL every <c>--kill-every</c> and started again. Then, from the database: every complaint that got a 2xx is
/// there with its process (else lost), and no complaint was stored twice (else duplicated).
/// Not yet: staff completing tasks, SMS replies, the PostgreSQL restart, the SIGSTOP pause, and the checks on jobs,
/// SMS, email, timers, stuck instances and the archive chain (issue 17, point 3).
/// </summary>
internal static class FaultCampaign
{
    private const int Clients = 8;
    private const int Attempts = 4;

    public static async Task<int> RunAsync(int hosts, TimeSpan duration, TimeSpan killEvery, TextWriter output)
    {
        var root = StoreUnderTest.RepositoryRoot();
        var folder = Path.Combine(root, ".test-run", "faults-" + Guid.NewGuid().ToString("N")[..8]);
        var started = await TestCluster.RunAsync(root, folder, $"start {hosts}", Timeout.InfiniteTimeSpan);
        output.WriteLine(started.Output);
        if (started.ExitCode != 0)
        {
            return 1;
        }

        try
        {
            var cluster = TestCluster.Environment(folder);
            using var http = new HttpClient { BaseAddress = new Uri(cluster["CW_CLUSTER_URL"]), Timeout = TimeSpan.FromSeconds(30) };
            var accepted = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // marker -> complaint id
            var latencies = new ConcurrentBag<double>();
            var refused = 0;
            var stopwatch = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(duration);
            var load = Task.WhenAll(Enumerable.Range(0, Clients).Select(client => FileAsync(http, client, accepted, latencies, () => Interlocked.Increment(ref refused), stop.Token)));

            var kills = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(killEvery, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var victim = Random.Shared.Next(1, hosts + 1);
                var restarted = await TestCluster.RunAsync(root, folder, $"restart {victim} KILL", Timeout.InfiniteTimeSpan);
                kills++;
                output.WriteLine($"{stopwatch.Elapsed:mm\\:ss} kill {kills}: {restarted.Output.Trim()}");
                if (restarted.ExitCode != 0)
                {
                    return 1;
                }
            }

            await load;
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var (lost, duplicated) = await CheckAsync(cluster["CW_CLUSTER_CONNECTION_STRING"], accepted, output);
            var sorted = latencies.Order().ToList();
            var p99 = sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
            output.WriteLine($"{refused} submissions got no 2xx after {Attempts} attempts (not acknowledged, so not counted as lost)");
            output.WriteLine("not run yet: task completions, SMS replies, the PostgreSQL restart, the SIGSTOP pause, and their checks");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"faults: {accepted.Count} accepted, {lost} lost, {duplicated} duplicated, {kills} kills, 0 restarts, 0 tasks completed, p99 {p99:F0} ms, {accepted.Count / seconds:F1}/s"));
            return lost == 0 && duplicated == 0 ? 0 : 1;
        }
        finally
        {
            var stopped = await TestCluster.RunAsync(root, folder, "stop", Timeout.InfiniteTimeSpan);
            if (stopped.ExitCode != 0)
            {
                output.WriteLine(stopped.Output);
            }
        }
    }

    /// <summary>One consumer: complaint after complaint, each sent again with its key until a 2xx (at most <see cref="Attempts"/> times).</summary>
    private static async Task FileAsync(HttpClient http, int client, ConcurrentDictionary<string, string> accepted, ConcurrentBag<double> latencies, Action refused, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"F{client}-{n}-{Guid.NewGuid():N}");
            var body = new
            {
                consumerName = "故障测试" + client,
                consumerPhone = string.Create(CultureInfo.InvariantCulture, $"139{client:D2}{n % 1_000_000:D6}"),
                consumerAddress = "浙江省温州市鹿城区五马街道" + n + "号",
                respondentName = "龙湾区好运来超市",
                respondentAddress = "温州市龙湾区永中街道永宁西路66号",
                request = "要求退款",
                facts = $"购买的牛奶已过保质期（{marker}）",
            };
            var done = false;
            for (var attempt = 0; attempt < Attempts && !done; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = JsonContent.Create(body) };
                    request.Headers.Add("Idempotency-Key", marker);
                    using var response = await http.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None).ConfigureAwait(false)).GetProperty("id").GetString()!;
                        accepted[marker] = id;
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        done = true;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The answer was lost (a host died mid-request): the same key again.
                }

                if (!done)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (!done)
            {
                refused();
            }
        }
    }

    /// <summary>Lost: acknowledged complaints missing, or without a process. Duplicated: a submission stored more than once.</summary>
    private static async Task<(int Lost, int Duplicated)> CheckAsync(string connectionString, ConcurrentDictionary<string, string> accepted, TextWriter output)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id", "ProcessInstanceId", "Facts" FROM cw_complaint WHERE "Facts" LIKE '%（F%'""", connection);
        var stored = new Dictionary<string, List<(string Id, string? Process)>>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var facts = reader.GetString(2);
                var marker = facts[(facts.LastIndexOf('（') + 1)..^1];
                var rows = stored.TryGetValue(marker, out var list) ? list : stored[marker] = [];
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        var lost = accepted.Where(a => !stored.TryGetValue(a.Key, out var rows) || !rows.Any(r => r.Id == a.Value && r.Process is not null)).ToList();
        var duplicated = stored.Where(s => s.Value.Count > 1).ToList();
        foreach (var (marker, id) in lost.Take(10))
        {
            output.WriteLine($"lost: {marker} (complaint {id})");
        }

        foreach (var (marker, rows) in duplicated.Take(10))
        {
            output.WriteLine($"duplicated: {marker} stored {rows.Count} times");
        }

        return (lost.Count, duplicated.Count);
    }
}
