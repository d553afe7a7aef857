using System.Net;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.LiveUpdates;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

public sealed class LiveUpdateTests(WebStaffHost host) : IClassFixture<WebStaffHost>
{
    [Fact]
    public async Task DeskOfficer_IsToldOfTheIntakeTask_WhenAConsumerFilesAComplaint()
    {
        await using var desk = Connect("zx-desk-a");
        await using var otherUnit = Connect("lq-handler");
        var arrived = new List<TaskArrived>();
        var seenByOther = new List<TaskArrived>();
        var got = new TaskCompletionSource<TaskArrived>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? complaintId = null;
        desk.On<TaskArrived>("TaskArrived", t =>
        {
            lock (arrived)
            {
                arrived.Add(t);
                if (complaintId is not null && t.ComplaintId == complaintId)
                {
                    got.TrySetResult(t);
                }
            }
        });
        otherUnit.On<TaskArrived>("TaskArrived", t =>
        {
            lock (seenByOther)
            {
                seenByOther.Add(t);
            }
        });
        await desk.StartAsync();
        await otherUnit.StartAsync();

        var (id, _) = await WebStaffHost.FileAsync(host.As(null), "13977778888", "实时通知测试 " + Guid.NewGuid());
        lock (arrived)
        {
            complaintId = id;
            if (arrived.FirstOrDefault(t => t.ComplaintId == id) is { } early)
            {
                got.TrySetResult(early);
            }
        }

        var task = await got.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("intake_desk", task.CandidateGroups);
        Assert.False(string.IsNullOrEmpty(task.Name));
        await Task.Delay(1000);
        lock (seenByOther)
        {
            Assert.DoesNotContain(seenByOther, t => t.ComplaintId == id);
        }

        lock (arrived)
        {
            Assert.Single(arrived, t => t.TaskId == task.TaskId);
        }
    }

    [Theory]
    [InlineData("consumer1", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Hub_RefusesConsumersAndAnonymousCallers(string? user, HttpStatusCode expected)
    {
        await host.IdsAsync();
        await using var connection = Connect(user);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(expected, error.StatusCode);
    }

    private HubConnection Connect(string? user)
        => new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, TaskHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                if (user is not null)
                {
                    o.Headers["Authorization"] = TestCredentials.Basic(user, WebStaffHost.Password(user)).ToString();
                }
            })
            .Build();
}
