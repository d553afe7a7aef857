using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// The host (<c>ComplaintWorkflows.WorkflowHost.dll</c> beside the test assembly) as a process of its own on a loopback
/// port, for tests about what only a real process shows (a kill in the middle of a run, what it prints). Its standard
/// output and error are kept line by line; <see cref="StartAsync"/> answers once <c>/health/ready</c> does.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>What the host printed on standard output.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>What the host printed on standard error.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the host in <paramref name="folder"/> (its working folder) on <paramref name="port"/> with the settings given as environment variables, and waits until it is ready (the test fails when it stops first or is not ready within a minute).</summary>
    public static async Task<HostProcess> StartAsync(string folder, int port, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ComplaintWorkflows.WorkflowHost.dll")}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var host = new HostProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        host._process.OutputDataReceived += (_, e) => Keep(host.Output, e.Data);
        host._process.ErrorDataReceived += (_, e) => Keep(host.Errors, e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        await host.WaitUntilReadyAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Kills the host (SIGKILL, with its children) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(_process.HasExited, "The host stopped while starting:\n" + string.Join("\n", Errors));
            await Task.Delay(200).ConfigureAwait(false);
        }

        Assert.Fail("The host did not become ready within a minute.");
    }
}
