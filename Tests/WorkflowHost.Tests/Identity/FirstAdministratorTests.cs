using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>
/// The host as a process on a new database: it prints the first administrator's random password once, on
/// standard output; the password signs in; a second start on the same database prints nothing about it.
/// </summary>
public sealed partial class FirstAdministratorTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("cw-first-admin-").FullName;

    [Fact]
    public async Task FirstStart_PrintsARandomAdministratorPasswordOnce_ThatSignsIn_AndTheSecondStartPrintsNothing()
    {
        var first = await RunHostAsync(async (http, output) =>
        {
            var line = await WaitForAsync(output, l => l.Contains("首位管理员", StringComparison.Ordinal));
            var match = AdminLine().Match(line);
            Assert.True(match.Success, line);
            var password = match.Groups["password"].Value;
            Assert.True(password.Length >= 16, line);
            Assert.Contains(http.BaseAddress!.ToString().TrimEnd('/'), line, StringComparison.Ordinal);

            http.DefaultRequestHeaders.Authorization = TestCredentials.Basic("admin", password);
            var me = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/auth/me", UriKind.Relative))).RootElement;
            Assert.Equal(["administrator"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            return password;
        });

        var second = await RunHostAsync(async (http, output) =>
        {
            // Ready and answering: start-up is over, and whatever it printed is in.
            using var version = await http.GetAsync(new Uri("/engine-rest/version", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, version.StatusCode);
            await Task.Delay(500);
            return string.Join("\n", output);
        });

        Assert.DoesNotContain("首位管理员", second, StringComparison.Ordinal);
        Assert.DoesNotContain(first, second, StringComparison.Ordinal);
        Assert.DoesNotContain(first, await File.ReadAllTextAsync(Path.Combine(_dataFolder, "first-run.log")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    /// <summary>Runs the host until <paramref name="test"/> is done; its log (standard error) of the first run is kept in first-run.log.</summary>
    private async Task<T> RunHostAsync<T>(Func<HttpClient, ConcurrentQueue<string>, Task<T>> test)
    {
        var port = FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "ComplaintWorkflows.WorkflowHost.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{hostDll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataFolder,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Workflows__DataFolder"] = _dataFolder;
        start.Environment["Workflows__SeedDemoData"] = "false";
        start.Environment["Logging__Console__LogToStandardErrorThreshold"] = "Trace";
        var output = new ConcurrentQueue<string>();
        var log = new ConcurrentQueue<string>();
        using var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilReadyAsync(http, host);
            return await test(http, output);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            var logFile = Path.Combine(_dataFolder, "first-run.log");
            if (!File.Exists(logFile))
            {
                await File.WriteAllLinesAsync(logFile, log);
            }
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.False(host.HasExited, "The host stopped while starting.");
            await Task.Delay(200);
        }

        Assert.Fail("The host did not become ready within a minute.");
    }

    private static async Task<string> WaitForAsync(ConcurrentQueue<string> output, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (output.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        Assert.Fail("Not printed: " + string.Join("\n", output));
        return "";
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"首位管理员 \(first administrator\): admin / (?<password>\S+)")]
    private static partial Regex AdminLine();
}
