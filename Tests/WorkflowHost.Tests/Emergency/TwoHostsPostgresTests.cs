using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

/// <summary>Two hosts on one PostgreSQL database (the server ./test.sh starts) run their detection rounds at the same time.</summary>
public sealed class TwoHostsPostgresTests : IDisposable
{
    private readonly ComplaintHost _first;
    private readonly ComplaintHost _second;

    public TwoHostsPostgresTests()
    {
        var connectionString = TestPostgres.NewDatabase("emergency");

        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Workflows:Database"] = "Postgres",
            ["Workflows:ConnectionString"] = connectionString,

            // The hosts of one database share the personal-data key ring (docs/operations.md).
            ["Workflows:PersonalData:KeyRingFolder"] = TestFiles.NewFolder("keys"),
        };
        _first = EmergencyKit.NewHost(settings);
        _second = EmergencyKit.NewHost(settings);
    }

    [Fact]
    public async Task TwoHostsDetectingTheSameGroupComplaintAtOnce_OpenOneIncident_AndNotifyEachLeaderOnce()
    {
        var first = await new EmergencyKit(_first).WithStaffContactsAsync();
        var second = new EmergencyKit(_second);
        _ = second.Host.Services; // started after the first has migrated the database
        for (var i = 0; i < 6; i++)
        {
            await first.FileAsync("瓯海区星光舞蹈培训中心", "温州市瓯海区梧田街道锦绣路8号", "在星光舞蹈培训中心办了课时卡（预付卡）2000元，机构突然停课关门，负责人失联。", $"1370588{i:0000}", name: $"家长{i}", request: "要求退还剩余学费");
        }

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(first.RunRoundAsync(), second.RunRoundAsync());
        }

        var incidents = await first.IncidentsAsync("kind=GroupComplaint");
        Assert.Equal(1, incidents.GetArrayLength());
        Assert.Equal(6, incidents[0].GetProperty("complaintCount").GetInt32());
        Assert.Equal(1, (await second.IncidentsAsync("kind=GroupComplaint")).GetArrayLength());
        var alerts = first.Notifications().Where(n => n.Key.Contains(":alert:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(alerts);
        foreach (var person in alerts.Select(a => a.UserName).Distinct())
        {
            Assert.Single(alerts, n => n.UserName == person && n.Channel == MessageChannel.Sms);
            Assert.Single(alerts, n => n.UserName == person && n.Channel == MessageChannel.Email);
        }

        Assert.Contains(alerts, n => n.UserName == "zx-leader");
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
