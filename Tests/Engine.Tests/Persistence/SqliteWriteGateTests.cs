using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplaintWorkflows.Engine.Tests.Persistence;

/// <summary>
/// The write queue on a real SQLite file: concurrent write transactions take turns (never two at once, none refused as
/// busy), and a turn is given back however a transaction ends: commit, rollback, disposed mid-way by an exception, or
/// disposed by a failed SaveChanges on a connection that stays open.
/// </summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly string _folder = TestFiles.NewFolder("gate");
    private readonly SqliteWriteGate _gate = new(TimeSpan.FromSeconds(60));


    [Fact]
    public async Task ConcurrentWriters_TakeTurns_AndAllCommit()
    {
        await CreateAsync();
        var inside = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var db = Open();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                db.Rows.Add(new Row { Name = $"{n}-{i}" });
                await db.SaveChangesAsync();
                await Task.Yield();
                Interlocked.Decrement(ref inside);
                await transaction.CommitAsync();
            }
        })));

        await using var check = Open();
        Assert.Equal(80, await check.Rows.CountAsync());
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task ATurn_IsGivenBack_AfterRollback_AndAfterATransactionLeftByAnException()
    {
        await CreateAsync();
        await using (var db = Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Rows.Add(new Row { Name = "rolled back" });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var db = Open();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Rows.Add(new Row { Name = "abandoned" });
            await db.SaveChangesAsync();
            throw new InvalidOperationException("the work failed before the commit");
        });

        // Were a turn still held, this would wait for the gate's 60 s.
        await WriteAsync("after").WaitAsync(TimeSpan.FromSeconds(20));
        await using var check = Open();
        Assert.Equal(["after"], await check.Rows.Select(r => r.Name).ToListAsync());
    }

    [Fact]
    public async Task ATurn_IsGivenBack_WhenSaveChangesFails_OnAConnectionThatStaysOpen()
    {
        await CreateAsync();
        await WriteAsync("first");

        // As the domain contexts are: pooled, their connection opened by the caller and kept open when returned.
        var contexts = new PooledDbContextFactory<GateContext>(Options());
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            var row = await db.Rows.SingleAsync();
            await using (var other = Open())
            {
                await other.Rows.ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, 7));
            }

            // Two statements: SaveChanges writes them in a transaction of its own, which the conflict leaves undone.
            row.Version++;
            db.Rows.Add(new Row { Name = "lost" });
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        }

        // Were the turn still held, this would wait for the gate's 60 s; the same pooled connection writes again too.
        await WriteAsync("after").WaitAsync(TimeSpan.FromSeconds(20));
        await using (var again = await contexts.CreateDbContextAsync())
        {
            await again.Database.OpenConnectionAsync();
            again.Rows.Add(new Row { Name = "again" });
            again.Rows.Add(new Row { Name = "and again" });
            await again.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        await using var check = Open();
        Assert.Equal(["after", "again", "and again", "first"], await check.Rows.Select(r => r.Name).OrderBy(n => n).ToListAsync());
    }

    public void Dispose()
    {
        _gate.Dispose();
        TestFiles.DeleteFolder(_folder);
    }

    private async Task WriteAsync(string name)
    {
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Rows.Add(new Row { Name = name });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private async Task CreateAsync()
    {
        await using var db = Open();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    private GateContext Open() => new(Options());

    private DbContextOptions<GateContext> Options() => new DbContextOptionsBuilder<GateContext>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "gate.db"), Pooling = true }.ToString())
        .AddInterceptors(new SqlitePragmas(), _gate)
        .Options;

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class GateContext(DbContextOptions<GateContext> options) : DbContext(options)
    {
        public DbSet<Row> Rows => Set<Row>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Row>().Property(r => r.Version).IsConcurrencyToken();
    }

    private sealed class Row
    {
        public int Id { get; set; }

        public required string Name { get; set; }

        public long Version { get; set; }
    }
}
