using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>queries</c>: on the database <c>seed</c> filled, starts the host and times what staff and dashboards do, over HTTP
/// with cookie-signed-in users, one request at a time: each query's p50, p95 and p99 over <c>--rounds</c> requests
/// (with varying arguments sampled from the database) after a few for warm-up, and the load average beside it.
/// </summary>
internal static class QueryBenchmark
{
    /// <summary>Words staff search the facts for (some 2, most 3 and more characters), all in the labelled texts.</summary>
    private static readonly string[] Words = ["预付卡", "保质期", "退货", "培训费", "虚假宣传", "维修", "会员卡", "押金", "过期", "发票", "屏幕", "合同", "快递", "退款", "装修"];

    public static async Task<int> RunAsync(string database, string folder, string databaseName, int rounds, TextWriter output)
    {
        var connection = database == "postgres" ? SeedBenchmark.PostgresConnection(databaseName) : null;
        if (!Directory.Exists(Path.Combine(folder, "personal-data-keys")))
        {
            output.WriteLine($"queries: no seeded database in {folder}: run seed first (same --db and --folder).");
            return 2;
        }

        var protector = PersonalDataProtector.FromKeyRing(Path.Combine(folder, "personal-data-keys"));
        var domain = connection is null
            ? DomainDatabase.Sqlite(Path.Combine(folder, "complaintworkflows.db"), protector: protector)
            : DomainDatabase.Postgres(connection, protector);
        List<Complaint> sample;
        int total;
        await using (var db = await domain.CreateDbContextAsync())
        {
            total = await db.Set<Complaint>().CountAsync();
            sample = [];
            var sampling = new Random(1);
            for (var i = 0; i < 100; i++)
            {
                var skip = sampling.Next(total);
                sample.AddRange(await db.Set<Complaint>().AsNoTracking().OrderBy(c => c.ReceivedAt).Skip(skip).Take(1).ToListAsync());
            }
        }

        var environment = SeedBenchmark.HostEnvironment(database, connection);
        environment["Workflows__Domain__Dashboard__MaxExportRows"] = "200000";
        output.WriteLine($"queries: {total} complaints in {(connection is null ? folder : databaseName)} ({database}); starting the host ...");
        using var host = await HostProcess.StartAsync(output, environment, folder, TimeSpan.FromMinutes(10));
        using var handler = await SignedInAsync(host.Url, "wm-handler");
        using var desk = await SignedInAsync(host.Url, "wm-desk-a");
        using var admin = await SignedInAsync(host.Url, "admin");
        var now = TimeProvider.System.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMonths(-1);
        string Time(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));
        var month = $"from={Time(monthStart)}&to={Time(monthStart.AddMonths(1))}";
        var year = $"from={Time(now.AddYears(-1))}&to={Time(now)}";
        var random = new Random(2);
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        var queries = new List<(string Name, HttpClient Client, Func<string> Url, int Rounds)>
        {
            ("inbox mine (first page)", handler, () => "/api/inbox/tasks?scope=mine&pageSize=50", rounds),
            ("inbox groups (first page)", desk, () => "/api/inbox/tasks?scope=groups&pageSize=50", rounds),
            ("search tracking number", admin, () => "/api/complaints?q=" + Pick(sample).TrackingNumber, rounds),
            ("search phone", admin, () => "/api/complaints?phone=1390577" + random.Next(2000).ToString("D4", CultureInfo.InvariantCulture), rounds),
            ("search respondent", admin, () => "/api/complaints?respondent=" + Uri.EscapeDataString(Pick(sample).RespondentName), rounds),
            ("search free text q", admin, () => "/api/complaints?q=" + Uri.EscapeDataString(Pick(Words)), rounds),
            ("overdue list", admin, () => "/api/complaints?overdue=true", rounds),
            ("complaint file", admin, () => "/api/complaints/" + Pick(sample).Id, rounds),
            ("KPIs month", admin, () => "/api/kpis?" + month, Math.Max(5, rounds / 10)),
            ("KPIs year", admin, () => "/api/kpis?" + year, Math.Max(3, rounds / 40)),
            ("export month (xlsx)", admin, () => "/api/exports/complaints.xlsx?" + month, Math.Max(3, rounds / 40)),
        };
        output.WriteLine($"queries: host ready; load {SeedBenchmark.Load()}");
        foreach (var (name, client, url, count) in queries)
        {
            var latencies = new List<double>();
            long bytes = 0;
            for (var i = -Math.Min(5, count); i < count; i++)
            {
                var path = url();
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    output.WriteLine($"queries: {name}: {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
                    return 1;
                }

                if (i >= 0)
                {
                    latencies.Add(elapsed);
                    bytes += body.Length;
                }
            }

            latencies.Sort();
            double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queries: {name,-28} p50 {P(0.50),8:F1} ms  p95 {P(0.95),8:F1} ms  p99 {P(0.99),8:F1} ms  ({count} requests, {bytes / count / 1024.0:F1} KiB each; load {SeedBenchmark.Load()})"));
        }

        return 0;
    }

    private static async Task<HttpClient> SignedInAsync(string url, string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-CW-Request", "1");
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = SeedBenchmark.Password });
        if (!login.IsSuccessStatusCode)
        {
            client.Dispose();
            throw new InvalidOperationException($"sign-in as {userName} answered {(int)login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
        }

        return client;
    }
}
