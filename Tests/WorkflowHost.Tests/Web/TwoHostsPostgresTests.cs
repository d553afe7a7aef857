using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.LiveUpdates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

/// <summary>One host of two sharing a PostgreSQL database (needs the server ./test.sh starts) and the personal-data key ring.</summary>
public sealed class SharedPostgresHost(string connectionString, string keyRingFolder) : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Database", "Postgres");
        builder.UseSetting("Workflows:ConnectionString", connectionString);
        builder.UseSetting("Workflows:PersonalData:KeyRingFolder", keyRingFolder);
        builder.UseSetting("Workflows:Timers:UseQuartz", "false");
        builder.UseSetting("Workflows:SeedDemoComplaints", "false");
        builder.UseSetting("Workflows:Identity:DemoPassword", WebStaffHost.DemoPassword);
        builder.UseSetting("Workflows:LiveUpdates:PollInterval", "00:00:00.200");
    }

    public HttpClient As(string? user)
    {
        var client = CreateAnonymousClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = TestCredentials.Basic(user, WebStaffHost.Password(user));
        }

        return client;
    }
}

/// <summary>Two hosts on a new PostgreSQL database: the first is started (and migrates) before the second.</summary>
public sealed class TwoPostgresHosts : IDisposable
{
    public TwoPostgresHosts()
    {
        var connectionString = TestPostgres.NewDatabase("webstaff");
        var keyRing = TestFiles.NewFolder("keys");
        A = new SharedPostgresHost(connectionString, keyRing);
        A.CreateClient().Dispose();
        B = new SharedPostgresHost(connectionString, keyRing);
        B.CreateClient().Dispose();
    }

    public SharedPostgresHost A { get; }

    public SharedPostgresHost B { get; }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}

public sealed class TwoHostsPostgresTests(TwoPostgresHosts hosts) : IClassFixture<TwoPostgresHosts>
{
    [Fact]
    public async Task FileUploadedOnOneHost_IsServedByTheOther()
    {
        var (id, tracking) = await WebStaffHost.FileAsync(hosts.A.As(null), "13966667777", "两台主机附件测试 " + Guid.NewGuid());
        var photo = Files.Png("two-hosts");
        using var form = Files.Form(("发票.png", photo, "image/png"));
        form.Add(new StringContent("13966667777"), "phone");
        using var anonymous = hosts.A.As(null);
        using var upload = await anonymous.PostAsync(new Uri($"/api/public/complaints/{tracking}/attachments", UriKind.Relative), form);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var attachmentId = (await upload.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetString();

        using var admin = hosts.B.As("admin");
        var file = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{id}", UriKind.Relative));
        using var download = await admin.GetAsync(new Uri($"/api/complaints/{id}/attachments/{attachmentId}", UriKind.Relative));

        Assert.Equal("发票.png", file.GetProperty("attachments")[0].GetProperty("fileName").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(photo, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TaskCreatedOnOneHost_ReachesABrowserConnectedToTheOther()
    {
        var got = new TaskCompletionSource<TaskArrived>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<TaskArrived>();
        string? complaintId = null;
        await using var desk = new HubConnectionBuilder()
            .WithUrl(new Uri(hosts.B.Server.BaseAddress, TaskHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => hosts.B.Server.CreateHandler();
                o.Headers["Authorization"] = TestCredentials.Basic("zx-desk-a", WebStaffHost.DemoPassword).ToString();
            })
            .Build();
        desk.On<TaskArrived>("TaskArrived", t =>
        {
            lock (seen)
            {
                seen.Add(t);
                if (t.ComplaintId is not null && t.ComplaintId == complaintId)
                {
                    got.TrySetResult(t);
                }
            }
        });
        await desk.StartAsync();

        var (id, _) = await WebStaffHost.FileAsync(hosts.A.As(null), "13966668888", "两台主机实时通知 " + Guid.NewGuid());
        lock (seen)
        {
            complaintId = id;
            if (seen.FirstOrDefault(t => t.ComplaintId == id) is { } early)
            {
                got.TrySetResult(early);
            }
        }

        var task = await got.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("intake_desk", task.CandidateGroups);
    }
}
