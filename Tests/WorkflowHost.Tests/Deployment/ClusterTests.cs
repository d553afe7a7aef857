using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.LiveUpdates;
using ComplaintWorkflows.WorkflowHost.Tests.Docs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ComplaintWorkflows.WorkflowHost.Tests.Deployment;

/// <summary>
/// <c>Tests/infra/cluster.sh</c>: two host processes on one PostgreSQL database behind Debian's nginx, no sticky
/// sessions. A complaint filed through nginx, a sign-in through nginx and the live-update WebSocket through nginx
/// work, and both hosts answer the signed-in administrator with the complaint, whichever host took each request.
/// </summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TwoHostsBehindNginx_ShareComplaintsSignInAndLiveUpdates_AndStopCleanly()
    {
        _ = TestPostgres.Server; // fails, saying how to get one, when no PostgreSQL server is given
        var folder = Path.Combine(Path.GetTempPath(), "cw-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        var started = await TestCluster.RunAsync(SettingsTableTests.RepositoryRoot(), folder, "start 2", StartLimit);
        Dictionary<string, string> cluster = [];
        List<int> pids;
        (int ExitCode, string Output) stopped;
        try
        {
            Assert.True(started.ExitCode == 0, "cluster.sh start failed:\n" + started.Output);
            cluster = TestCluster.Environment(folder);
            var nginx = new Uri(cluster["CW_CLUSTER_URL"]);
            var hosts = cluster["CW_CLUSTER_HOSTS"].Split(' ').Select(h => new Uri(h)).ToList();
            Assert.Equal(2, hosts.Count);
            Assert.Contains($"sign in: {nginx}login/ as admin / {cluster["CW_CLUSTER_ADMIN_PASSWORD"]}", started.Output, StringComparison.Ordinal);

            // A consumer files a complaint through nginx, without signing in.
            using var anonymous = new HttpClient { BaseAddress = nginx };
            using var filed = await anonymous.PostAsJsonAsync("/api/complaints", new
            {
                consumerName = "集群测试",
                consumerPhone = "13912345678",
                consumerAddress = "温州市鹿城区五马街道",
                respondentName = "鹿城区五马街道某超市",
                respondentAddress = "温州市鹿城区五马街道解放街1号",
                request = "退货退款",
                facts = "买到过期食品 " + Guid.NewGuid().ToString("N")[..8],
            });
            Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
            var complaint = await filed.Content.ReadFromJsonAsync<JsonElement>();
            var id = complaint.GetProperty("id").GetString()!;

            // The administrator signs in through nginx; the cookie is then good on each host directly.
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies };
            using var staff = new HttpClient(handler);
            using (var login = await staff.PostAsJsonAsync(new Uri(nginx, "/api/auth/login"), new { userName = "admin", password = cluster["CW_CLUSTER_ADMIN_PASSWORD"] }))
            {
                Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
            }

            foreach (var host in hosts)
            {
                using var read = await staff.GetAsync(new Uri(host, $"/api/complaints/{id}"));
                Assert.True(read.StatusCode == HttpStatusCode.OK, $"{host}: {read.StatusCode} {await read.Content.ReadAsStringAsync()}");
                var file = await read.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(complaint.GetProperty("trackingNumber").GetString(), file.GetProperty("complaint").GetProperty("trackingNumber").GetString());
            }

            // The inbox's live updates: one WebSocket through nginx, signed in with the same cookie, no negotiate request.
            await using (var live = new HubConnectionBuilder()
                .WithUrl(new Uri(nginx, TaskHub.Path), o =>
                {
                    o.SkipNegotiation = true;
                    o.Transports = HttpTransportType.WebSockets;
                    o.Cookies = cookies;
                })
                .Build())
            {
                await live.StartAsync();
                Assert.Equal(HubConnectionState.Connected, live.State);
            }

            // nginx sent requests to both hosts (round robin): the sign-in was not pinned to the host that made it.
            var access = await File.ReadAllTextAsync(Path.Combine(folder, "nginx", "access.log"));
            Assert.All(hosts, h => Assert.Contains($"upstream={h.Host}:{h.Port}", access, StringComparison.Ordinal));
        }
        finally
        {
            pids = Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "pid", SearchOption.AllDirectories).Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture))] : [];
            stopped = await TestCluster.RunAsync(SettingsTableTests.RepositoryRoot(), folder, "stop", StopLimit);
        }

        Assert.True(stopped.ExitCode == 0, "cluster.sh stop failed:\n" + stopped.Output);
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"host process {pid} still runs after cluster.sh stop"));
        Assert.False(Directory.Exists(folder), $"cluster.sh stop left {folder}");
        var url = new Uri(cluster["CW_CLUSTER_URL"]);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(url.Host, url.Port));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
