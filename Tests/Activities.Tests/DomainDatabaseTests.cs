using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Tests;

public sealed class DomainDatabaseTests
{
    [Fact]
    public async Task Complaints_AreStoredAndOrderedByReceiptTime_InAnInMemoryDatabase()
    {
        using var database = DomainDatabase.InMemory();
        var start = new DateTimeOffset(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));
        await using (var db = database.CreateDbContext())
        {
            for (var i = 0; i < 3; i++)
            {
                db.Add(new Complaint
                {
                    Id = $"c{i}",
                    TrackingNumber = $"TS{i}",
                    ConsumerName = "张三",
                    ConsumerPhone = "13800000000",
                    RespondentName = "某商店",
                    RespondentAddress = "某市某区",
                    Request = "退款",
                    Facts = "事实",
                    ReceivedAt = start.AddHours(-i),
                });
            }

            await db.SaveChangesAsync();
        }

        await using var read = database.CreateDbContext();
        var ordered = await read.Set<Complaint>().Where(c => c.ReceivedAt > start.AddHours(-1.5)).OrderBy(c => c.ReceivedAt).Select(c => c.Id).ToListAsync();
        Assert.Equal(["c1", "c0"], ordered);
    }
}
