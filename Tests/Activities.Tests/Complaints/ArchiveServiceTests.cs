using ComplaintWorkflows.Activities.Archive;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Complaints;

public sealed class ArchiveServiceTests : IDisposable
{
    private readonly InMemoryDomainDatabase _database = DomainDatabase.InMemory();
    private readonly FakeTimeProvider _time = TestClock.New();

    [Fact]
    public async Task Archive_ChainsEachEntryToThePreviousOne_AndVerifies()
    {
        var archive = new ArchiveService(_database, _time);
        await SeedAsync("a", "b", "c");

        var first = await archive.ArchiveAsync("a");
        var second = await archive.ArchiveAsync("b");
        var third = await archive.ArchiveAsync("c");

        Assert.Equal(ArchiveService.GenesisHash, first.PreviousHash);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(second.Hash, third.PreviousHash);
        Assert.Equal([1L, 2L, 3L], new[] { first.Sequence, second.Sequence, third.Sequence });
        Assert.Contains("张三", first.Content, StringComparison.Ordinal);
        Assert.True((await archive.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Archive_IsDoneOncePerComplaint()
    {
        var archive = new ArchiveService(_database, _time);
        await SeedAsync("a");

        var first = await archive.ArchiveAsync("a");
        var again = await archive.ArchiveAsync("a");

        Assert.Equal(first.Sequence, again.Sequence);
        await using var db = _database.CreateDbContext();
        Assert.Equal(1, await db.Set<ArchiveEntry>().CountAsync());
    }

    [Fact]
    public async Task Verify_NamesTheAlteredEntry_WhenContentWasChangedInTheDatabase()
    {
        var archive = new ArchiveService(_database, _time);
        await SeedAsync("a", "b", "c");
        foreach (var id in new[] { "a", "b", "c" })
        {
            await archive.ArchiveAsync(id);
        }

        // The content is encrypted in its column: alter it as someone holding the key ring would, through the context.
        await using (var db = _database.CreateDbContext())
        {
            var entry = await db.Set<ArchiveEntry>().SingleAsync(e => e.Sequence == 2);
            Assert.Contains("张三", entry.Content, StringComparison.Ordinal);
            entry.Content = entry.Content.Replace("张三", "李四", StringComparison.Ordinal);
            await db.SaveChangesAsync();
        }

        var verification = await archive.VerifyAsync();

        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBrokenSequence);
        Assert.Contains("altered", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReportsAMissingEntry_WhenOneWasDeleted()
    {
        var archive = new ArchiveService(_database, _time);
        await SeedAsync("a", "b", "c");
        foreach (var id in new[] { "a", "b", "c" })
        {
            await archive.ArchiveAsync(id);
        }

        await using (var db = _database.CreateDbContext())
        {
            await db.Set<ArchiveEntry>().Where(e => e.Sequence == 2).ExecuteDeleteAsync();
        }

        var verification = await archive.VerifyAsync();

        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBrokenSequence);
    }

    public void Dispose() => _database.Dispose();

    private async Task SeedAsync(params string[] ids)
    {
        await using var db = _database.CreateDbContext();
        foreach (var id in ids)
        {
            db.Add(new Complaint
            {
                Id = id,
                TrackingNumber = "TS" + id,
                ConsumerName = "张三",
                ConsumerPhone = "13800000000",
                RespondentName = "某商店",
                RespondentAddress = "温州市鹿城区",
                Request = "退款",
                Facts = "商品质量问题",
                ReceivedAt = _time.GetUtcNow(),
            });
            db.Add(new ComplaintEvent { ComplaintId = id, At = _time.GetUtcNow(), Kind = "registered", Text = "投诉已登记", Public = true });
        }

        await db.SaveChangesAsync();
    }
}
