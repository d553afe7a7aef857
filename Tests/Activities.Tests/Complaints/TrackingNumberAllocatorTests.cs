using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Complaints;

/// <summary>
/// Tracking numbers handed out from per-host blocks reserved in the counter, on a real SQLite file: consecutive within
/// a block, never one number twice however many hosts share the file, gapless with blocks of one, per prefix and day.
/// </summary>
public sealed class TrackingNumberAllocatorTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 23);

    private readonly string _file = TestFiles.NewSqliteFile("allocator");
    private readonly List<TrackingNumberAllocator> _allocators = [];
    private IDbContextFactory<DomainDbContext> _contexts = null!;

    public async Task InitializeAsync()
    {
        _contexts = DomainDatabase.Sqlite(_file);
        await DomainDatabase.MigrateAsync(_contexts);
    }

    public Task DisposeAsync()
    {
        foreach (var allocator in _allocators)
        {
            allocator.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OneHost_HandsOutTheNumbersOfADayInOrder_ReservingABlockAtATime()
    {
        var allocator = Allocator(block: 20);

        var numbers = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            numbers.Add(await allocator.NextAsync("TS", Day));
        }

        Assert.Equal(Enumerable.Range(1, 45).Select(n => Number("TS", Day, n)), numbers);
        Assert.Equal(60, await CounterAsync("TS", Day)); // three blocks of 20 reserved
    }

    [Fact]
    public async Task OneHost_ConcurrentCallers_GetUniqueNumbers_FromConsecutiveBlocks()
    {
        var allocator = Allocator(block: 20);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => allocator.NextAsync("TS", Day))));

        Assert.Equal(Enumerable.Range(1, 100).Select(n => Number("TS", Day, n)), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(100, await CounterAsync("TS", Day));
    }

    [Fact]
    public async Task TwoHostsOnOneDatabase_EachTakesItsOwnBlocks_AndNoNumberIsHandedOutTwice()
    {
        var first = Allocator(block: 7);
        var second = Allocator(block: 7);

        var calls = Enumerable.Range(0, 100).SelectMany(_ => new[] { first, second })
            .Select(allocator => Task.Run(async () => (Allocator: allocator, Number: await allocator.NextAsync("TS", Day))));
        var handed = await Task.WhenAll(calls);

        Assert.Equal(200, handed.Select(h => h.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.All(handed, h => Assert.StartsWith("TS20261123", h.Number, StringComparison.Ordinal));

        // Each block of 7 (1-7, 8-14, ...) belongs to one host: a host only takes numbers from blocks it reserved.
        foreach (var block in handed.GroupBy(h => (Sequence(h.Number) - 1) / 7))
        {
            Assert.Single(block.Select(h => h.Allocator).Distinct());
        }

        // A host reserves a block only when its last one is used up: 15 blocks each for 100 numbers.
        Assert.Equal(2 * 15 * 7, await CounterAsync("TS", Day));
        Assert.Equal(100, handed.Count(h => h.Allocator == first));
    }

    [Fact]
    public async Task BlocksOfOne_NumberEveryComplaintInOrder_WithoutGaps_AcrossHosts()
    {
        var first = Allocator(block: 1);
        var second = Allocator(block: 1);

        var numbers = new[]
        {
            await first.NextAsync("TS", Day),
            await first.NextAsync("TS", Day),
            await second.NextAsync("TS", Day),
            await first.NextAsync("TS", Day),
        };

        Assert.Equal([Number("TS", Day, 1), Number("TS", Day, 2), Number("TS", Day, 3), Number("TS", Day, 4)], numbers);
        Assert.Equal(4, await CounterAsync("TS", Day));
    }

    [Fact]
    public async Task ANewDay_StartsAtOne_AndTheRestOfTheOldDaysBlockIsNeverHandedOutAgain()
    {
        var allocator = Allocator(block: 20);
        var before = new[] { await allocator.NextAsync("TS", Day), await allocator.NextAsync("TS", Day) };

        var nextDay = await allocator.NextAsync("TS", Day.AddDays(1));
        var nextDaySecond = await allocator.NextAsync("TS", Day.AddDays(1));
        var lateForTheOldDay = await allocator.NextAsync("TS", Day);

        Assert.Equal([Number("TS", Day, 1), Number("TS", Day, 2)], before);
        Assert.Equal("TS20261124000001", nextDay);
        Assert.Equal("TS20261124000002", nextDaySecond);
        Assert.DoesNotContain(lateForTheOldDay, before);
        Assert.StartsWith("TS20261123", lateForTheOldDay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefixes_CountApart_AndKeepTheirOwnBlocks()
    {
        var allocator = Allocator(block: 20);

        var complaint = await allocator.NextAsync("TS", Day);
        var report = await allocator.NextAsync("JB", Day);
        var secondComplaint = await allocator.NextAsync("TS", Day);

        Assert.Equal("TS20261123000001", complaint);
        Assert.Equal("JB20261123000001", report);
        Assert.Equal("TS20261123000002", secondComplaint);
        Assert.Equal(20, await CounterAsync("TS", Day));
    }

    private TrackingNumberAllocator Allocator(int block)
    {
        var allocator = new TrackingNumberAllocator(_contexts, Options.Create(new ComplaintOptions { TrackingNumberBlock = block }));
        _allocators.Add(allocator);
        return allocator;
    }

    private async Task<long> CounterAsync(string prefix, DateOnly day)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var name = TrackingNumbers.CounterName(prefix, day);
        return (await db.Set<Counter>().AsNoTracking().SingleAsync(c => c.Name == name)).Value;
    }

    private static string Number(string prefix, DateOnly day, int sequence) => TrackingNumbers.Format(TrackingNumbers.CounterName(prefix, day), sequence);

    private static long Sequence(string number) => long.Parse(number.AsSpan(number.Length - 6), CultureInfo.InvariantCulture);
}
