using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.Activities.Tests.Complaints;

public sealed class TrackingNumberTests
{
    [Fact]
    public async Task TrackingNumbers_CountPerPrefixAndDay_WithoutGaps()
    {
        using var database = DomainDatabase.InMemory();
        await using var db = database.CreateDbContext();
        var day = new DateOnly(2026, 11, 23);

        var first = await TrackingNumbers.NextAsync(db, "TS", day);
        var second = await TrackingNumbers.NextAsync(db, "TS", day);
        var report = await TrackingNumbers.NextAsync(db, "JB", day);
        var nextDay = await TrackingNumbers.NextAsync(db, "TS", day.AddDays(1));

        Assert.Equal("TS20261123000001", first);
        Assert.Equal("TS20261123000002", second);
        Assert.Equal("JB20261123000001", report);
        Assert.Equal("TS20261124000001", nextDay);
    }

    [Fact]
    public async Task TrackingNumbers_AreUnique_UnderConcurrentIntakeOnOneFile()
    {
        var file = TestFiles.NewSqliteFile("counter");
        try
        {
            var contexts = DomainDatabase.Sqlite(file);
            await DomainDatabase.MigrateAsync(contexts);
            var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                return await TrackingNumbers.NextAsync(db, "TS", new DateOnly(2026, 11, 23));
            }));

            Assert.Equal(200, numbers.Distinct().Count());
            Assert.Contains("TS20261123000200", numbers);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
