using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>The host as a separate process on a loopback port with a fresh data folder.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly bool _keepFolder;

    private HostProcess(Process process, string folder, string url, bool keepFolder)
    {
        _process = process;
        _folder = folder;
        _keepFolder = keepFolder;
        Url = url;
    }

    public string Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>The host's data folder (its SQLite database).</summary>
    public string Folder => _folder;

    /// <summary>The host's user plus system CPU time so far (from /proc on Linux), or null elsewhere.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime in clock ticks.
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Starts the host on a fresh data folder, removed when disposed, or on <paramref name="folder"/>, kept (the seeded database of <c>seed</c> and <c>queries</c>).</summary>
    public static async Task<HostProcess> StartAsync(TextWriter output, IReadOnlyDictionary<string, string>? environment = null, string? folder = null, TimeSpan? startTimeout = null)
    {
        var keepFolder = folder is not null;
        folder ??= Path.Combine(Path.GetTempPath(), "cw-intake-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ComplaintWorkflows.WorkflowHost.dll")}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Workflows__DataFolder"] = folder;
        start.Environment["Workflows__SeedDemoData"] = "true";

        // A load test from loopback: no rate limits; the designer benchmark signs in as admin with a known password.
        start.Environment["Workflows__RateLimits__Enabled"] = "false";
        start.Environment["Workflows__Identity__InitialAdminMustChangePassword"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // Experiments: INTAKE_HOST_ENV="Workflows__Expressions__Timeout=00:00:00;DOTNET_gcServer=0" passes settings to the host.
        foreach (var extra in (Environment.GetEnvironmentVariable("INTAKE_HOST_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = extra.Split('=', 2);
            start.Environment[pair[0]] = pair.Length == 2 ? pair[1] : "";
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("host: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        var timeout = startTimeout ?? TimeSpan.FromSeconds(300);
        while (deadline.Elapsed < timeout)
        {
            try
            {
                using var health = await http.GetAsync(new Uri(url + "/health/ready"));
                if (health.IsSuccessStatusCode)
                {
                    return new HostProcess(process, folder, url, keepFolder);
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} while starting.");
            }

            await Task.Delay(250);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The host did not become ready within {timeout.TotalSeconds:F0} s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        if (_keepFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
