using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests;

public sealed class SqliteMaintenanceTests(HostFactory factory) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task Checkpoint_EmptiesTheWriteAheadLog_AfterComplaintsWereFiled()
    {
        using var client = factory.CreateAnonymousClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/complaints", new
            {
                consumerName = "张三", consumerPhone = "13812340000", consumerAddress = "温州市鹿城区", respondentName = "鹿城区小王数码店",
                respondentAddress = "温州市鹿城区五马街道解放街12号", request = "退款", facts = "检查点测试 " + i,
            });
            response.EnsureSuccessStatusCode();
        }

        var wal = Path.Combine(factory.DataFolder, "complaintworkflows.db-wal");
        Assert.True(new FileInfo(wal).Length > 0);

        var done = await factory.Services.GetRequiredService<SqliteMaintenance>().CheckpointAsync();

        Assert.True(done);
        Assert.Equal(0, new FileInfo(wal).Length);
    }
}
