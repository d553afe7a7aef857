using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

/// <summary>
/// The KPIs of a year on SQLite with more complaints than SQLite binds parameters in one statement (32,766): the
/// queries benchmark's year on 100,000 complaints answered 500 when the KPIs loaded the year's complaints and then
/// asked for their survey answers by a list of every id.
/// </summary>
public sealed class KpiYearTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 40_000;

    private readonly ComplaintHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task YearKpis_CountEveryComplaint_WhenTheYearHoldsMoreThanSqliteBindsParameters()
    {
        var now = _host.Time.GetUtcNow();
        var first = now.AddDays(-360);
        var step = TimeSpan.FromDays(359).TotalMilliseconds / Count;
        await SeedAsync(first, step);

        using var admin = _host.As("admin");
        string Time(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));
        var year = new Uri($"/api/kpis?from={Time(now.AddYears(-1))}&to={Time(now)}", UriKind.Relative);
        var watch = Stopwatch.StartNew();
        using var response = await admin.GetAsync(year);
        var cold = watch.Elapsed;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        watch.Restart();
        using (await admin.GetAsync(year))
        {
            output.WriteLine($"GET /api/kpis for a year of {Count} complaints: first {cold.TotalMilliseconds:F0} ms, again {watch.Elapsed.TotalMilliseconds:F0} ms (load {File.ReadAllText("/proc/loadavg").Trim()})");
        }

        var total = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total");
        var rows = Enumerable.Range(0, Count).ToList();
        static bool Closed(int i) => i % 4 is 0 or 2;
        static bool Accepted(int i) => i % 4 != 3;
        Assert.Equal(Count, total.GetProperty("received").GetInt32());
        AssertFigure(total, "onTime", rows.Count(i => Closed(i) && i % 8 != 0), rows.Count(Closed));
        AssertFigure(total, "acceptanceWithinLimit", rows.Count(i => Accepted(i) && i % 10 != 0), rows.Count(Accepted));
        AssertFigure(total, "closure", rows.Count(Closed), rows.Count(Accepted));
        AssertFigure(total, "mediationSuccess", rows.Count(i => i % 3 == 1), rows.Count(i => i % 3 != 0));
        AssertFigure(total, "satisfaction", rows.Count(i => i % 5 + 1 >= 4), Count);
        Assert.Equal(Math.Round(rows.Average(i => i % 5 + 1.0), 2), total.GetProperty("averageSatisfaction").GetDouble());

        // The year's months, one grouped query each, add up to the year.
        var trend = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/dashboard/trends?period=month&from={Time(first)}", UriKind.Relative));
        var points = trend.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("figures")).ToList();
        Assert.Equal(Count, points.Sum(p => p.GetProperty("received").GetInt32()));
        Assert.Equal(rows.Count(Closed), points.Sum(p => p.GetProperty("onTime").GetProperty("of").GetInt32()));
    }

    private static void AssertFigure(JsonElement set, string name, int count, int of)
    {
        var figure = set.GetProperty(name);
        Assert.Equal((count, of), (figure.GetProperty("count").GetInt32(), figure.GetProperty("of").GetInt32()));
    }

    /// <summary>One complaint written through EF (its encrypted columns as the host writes them), copied <see cref="Count"/> times in SQL with varying figures.</summary>
    private async Task SeedAsync(DateTimeOffset first, double stepMilliseconds)
    {
        var contexts = _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.Add(new Complaint
        {
            Id = "template", TrackingNumber = "T-template", ConsumerName = "张三", ConsumerPhone = "13812345678", RespondentName = "鹿城区小王数码店",
            RespondentAddress = "温州市鹿城区五马街道解放街12号", Request = "退货退款", Facts = "屏幕出现竖线", UnitId = "wz-lucheng", ReceivedAt = first, RegisteredAt = first,
        });
        await db.SaveChangesAsync();
        var columns = (await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('cw_complaint')").ToListAsync()).ToList();
        var start = first.ToUnixTimeMilliseconds();
        var step = stepMilliseconds.ToString("F3", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Id"] = "'kpi-' || i",
            ["TrackingNumber"] = "'K' || i",
            ["ReceivedAt"] = $"{start} + CAST(i * {step} AS INTEGER)",
            ["RegisteredAt"] = $"{start} + CAST(i * {step} AS INTEGER)",
            ["Status"] = $"CASE i % 4 WHEN 0 THEN '{ComplaintStatus.Closed}' WHEN 1 THEN '{ComplaintStatus.Handling}' WHEN 2 THEN '{ComplaintStatus.Archived}' ELSE '{ComplaintStatus.Registered}' END",
            ["AcceptedAt"] = $"CASE WHEN i % 4 = 3 THEN NULL ELSE {start} + CAST(i * {step} AS INTEGER) + 3600000 END",
            ["AcceptanceDueAt"] = $"{start} + CAST(i * {step} AS INTEGER) + CASE WHEN i % 10 = 0 THEN 1800000 ELSE 86400000 END",
            ["ClosedOnTime"] = "CASE WHEN i % 8 = 0 THEN 0 ELSE 1 END",
            ["MediationSucceeded"] = "CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN 1 ELSE 0 END",
            ["SatisfactionScore"] = "i % 5 + 1",
        };
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        var select = string.Join(", ", columns.Select(c => values.TryGetValue(c, out var v) ? v : $"t.\"{c}\""));
        // Column names from the table itself and figures of this test: nothing from outside reaches the SQL.
        var copy = $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Count - 1}) INSERT INTO cw_complaint ({list}) SELECT {select} FROM cw_complaint t, n WHERE t.\"Id\" = 'template'";
        await db.Database.ExecuteSqlRawAsync(copy);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM cw_complaint WHERE \"Id\" = 'template'");
    }
}
