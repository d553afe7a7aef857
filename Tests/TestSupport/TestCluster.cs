using System.Diagnostics;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// Runs <c>Tests/infra/cluster.sh</c> (hosts on one PostgreSQL database behind nginx) for the cluster test and the
/// fault campaign: its state in <paramref name="folder"/>, the host binary of the caller's build configuration.
/// </summary>
public static class TestCluster
{
    /// <summary>
    /// Runs <c>cluster.sh ARGUMENTS</c>; answers its exit code and its output (stdout, then stderr), or -1 when it outlasted
    /// <paramref name="limit"/> (then killed). <paramref name="environment"/> adds variables (the hosts inherit them: <c>Workflows__...</c>).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string repositoryRoot, string folder, string arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0/
        var start = new ProcessStartInfo("bash", $"{Path.Combine(repositoryRoot, "Tests", "infra", "cluster.sh")} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        start.Environment["CW_CLUSTER_DIR"] = folder;
        start.Environment["CW_HOST_DLL"] = Path.Combine(repositoryRoot, "WorkflowHost", "bin", configuration, "net10.0", "ComplaintWorkflows.WorkflowHost.dll");
        // The test and the fault campaign sign in with the admin password they set and file complaints from one address
        // as fast as they can: neither the forced first password change nor the anonymous rate limits may stand in the way.
        start.Environment["Workflows__Identity__InitialAdminMustChangePassword"] = "false";
        start.Environment["Workflows__RateLimits__Enabled"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"cluster.sh {arguments} did not finish within {limit}:\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
        }

        return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
    }

    /// <summary>The shell variables <c>cluster.sh start</c> wrote to <c>FOLDER/cluster.env</c> (CW_CLUSTER_URL, ...).</summary>
    public static Dictionary<string, string> Environment(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "cluster.env"))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.Ordinal);
}
