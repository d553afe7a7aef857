using System.Collections.Concurrent;
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
        var host = await HostProcess.StartAsync(_dataFolder, HostProcess.FreePort(), new Dictionary<string, string>
        {
            ["Workflows__DataFolder"] = _dataFolder,
            ["Workflows__SeedDemoData"] = "false",
            ["Logging__Console__LogToStandardErrorThreshold"] = "Trace",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
            return await test(http, host.Output);
        }
        finally
        {
            await host.DisposeAsync();
            var logFile = Path.Combine(_dataFolder, "first-run.log");
            if (!File.Exists(logFile))
            {
                await File.WriteAllLinesAsync(logFile, host.Errors);
            }
        }
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

    [GeneratedRegex(@"首位管理员 \(first administrator\): admin / (?<password>\S+)")]
    private static partial Regex AdminLine();
}
