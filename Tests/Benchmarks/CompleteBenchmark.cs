using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>complete [--rate 300] [--seconds 30] [--workers 4] [--db sqlite|postgres]</c>: starts the host on a fresh SQLite
/// database (as the intake benchmark does) or on a database of its own on the PostgreSQL server (dropped at the end), files complaints at a steady <c>--rate</c> per second over HTTP and meanwhile has the centre's desk
/// officer (zx-desk-a, with a personal access token) complete the desk's review tasks through the inbox from
/// <c>--workers</c> concurrent clients: list the groups' inbox, open a task (its form values) and complete it with
/// those values. It prints the p50/p99 of the completion requests (<c>POST /api/inbox/tasks/{id}/complete</c>) and the
/// intake rate reached.
/// </summary>
internal static class CompleteBenchmark
{
    private const string Desk = "zx-desk-a";

    public static async Task<int> RunAsync(double rate, TimeSpan duration, int workers, string database, TextWriter output)
    {
        var password = "Bench-" + Guid.NewGuid().ToString("N")[..12] + "!a1";
        var environment = new Dictionary<string, string> { ["Workflows__Identity__DemoPassword"] = password };
        await using var postgres = database == "postgres" ? await BenchDatabase.CreateAsync("bench_complete_") : null;
        if (postgres is not null)
        {
            environment["Workflows__Database"] = "Postgres";
            environment["Workflows__ConnectionString"] = postgres.ConnectionString;
        }

        using var host = await HostProcess.StartAsync(output, environment);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 128, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var intake = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(60) };
        using var desk = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(60) };
        desk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(desk, password));

        // Warm the host's code paths (intake, inbox, completion) before measuring.
        output.WriteLine($"warming up for 20 s, then {duration.TotalSeconds:F0} s of intake at {rate:F0}/s with {workers} desk clients completing tasks");
        await RunPhaseAsync(intake, desk, rate, TimeSpan.FromSeconds(20), workers, "w");
        var cpuBefore = host.CpuTime();
        var (filed, filingSeconds, completions, failures) = await RunPhaseAsync(intake, desk, rate, duration, workers, "m");
        var cpu = host.CpuTime() - cpuBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"intake: {filed / filingSeconds:F0} complaints/s reached of {rate:F0}/s; {completions.Count} tasks completed ({completions.Count / duration.TotalSeconds:F0}/s), {failures} failed; host CPU {cpu?.TotalSeconds / duration.TotalSeconds:F2} cores"));
        output.WriteLine(File.ReadAllText("/proc/loadavg").Trim());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"complete: p50 {Percentiles.Of(completions, 0.50):F1} ms, p99 {Percentiles.Of(completions, 0.99):F1} ms while filing {filed / filingSeconds:F0} complaints/s"));
        return failures > 0 ? 1 : 0;
    }

    private static async Task<string> TokenAsync(HttpClient http, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/tokens") { Content = JsonContent.Create(new { name = "complete-benchmark", expiresInDays = 1 }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Desk}:{password}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.Created
            ? JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!
            : throw new InvalidOperationException($"{Desk} could not get a token: {(int)response.StatusCode} {body}");
    }

    private static async Task<(int Filed, double Seconds, List<double> Completions, int Failures)> RunPhaseAsync(HttpClient intake, HttpClient desk, double rate, TimeSpan duration, int workers, string tag)
    {
        using var stop = new CancellationTokenSource(duration);
        var filing = FileSteadilyAsync(intake, rate, tag, stop.Token);
        var taken = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await CompleteSomeAsync(desk, taken, latencies, stop);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // A host that cannot keep up times out: counted, and the client goes on.
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"desk client: {e.Message}");
                    }
                }
            }
        }));
        var (filed, seconds) = await filing;
        return (filed, seconds, [.. latencies], failures);
    }

    /// <summary>Lists the groups' inbox and completes up to 20 of its desk reviews that no other client took (a refused completion throws).</summary>
    private static async Task CompleteSomeAsync(HttpClient desk, ConcurrentDictionary<string, bool> taken, ConcurrentBag<double> latencies, CancellationTokenSource stop)
    {
        using var list = await desk.GetAsync(new Uri("/api/inbox/tasks?scope=groups", UriKind.Relative));
        var tasks = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Where(t => t.GetProperty("elementId").GetString() == "reviewDispatch")
            .Select(t => t.GetProperty("id").GetString()!)
            .Where(id => taken.TryAdd(id, true))
            .Take(20)
            .ToList();
        if (tasks.Count == 0)
        {
            await Task.Delay(50, CancellationToken.None);
            return;
        }

        foreach (var id in tasks.TakeWhile(_ => !stop.IsCancellationRequested))
        {
            using var detail = await desk.GetAsync(new Uri($"/api/inbox/tasks/{id}", UriKind.Relative));
            var values = (await detail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("values");
            var started = Stopwatch.GetTimestamp();
            using var done = await desk.PostAsJsonAsync($"/api/inbox/tasks/{id}/complete", new { variables = values });
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (done.StatusCode == HttpStatusCode.NoContent)
            {
                latencies.Add(elapsed);
            }
            else
            {
                throw new HttpRequestException($"completing {id}: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
        }
    }

    /// <summary>Files complaints at <paramref name="rate"/> per second (each sent at its due time, whatever the answers take) until stopped.</summary>
    private static async Task<(int Filed, double Seconds)> FileSteadilyAsync(HttpClient http, double rate, string tag, CancellationToken stop)
    {
        var stopwatch = Stopwatch.StartNew();
        var pending = new List<Task<bool>>();
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            if (due > stopwatch.Elapsed)
            {
                try
                {
                    await Task.Delay(due - stopwatch.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            n++;
            var body = IntakeBenchmark.Complaint(n % 100, n, tag);
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/complaints", body);
                    return response.StatusCode == HttpStatusCode.Created;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // A host that cannot keep up with the rate times out: not counted as filed.
                    return false;
                }
            }, CancellationToken.None));
        }

        var results = await Task.WhenAll(pending);
        return (results.Count(ok => ok), stopwatch.Elapsed.TotalSeconds);
    }
}
