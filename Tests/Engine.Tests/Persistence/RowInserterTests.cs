using System.Data.Common;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Tests.Runtime;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Tests.Persistence;

/// <summary>
/// The rows written without SaveChanges, on a real SQLite file (statements kept prepared on the connection) and on the
/// test PostgreSQL server (one command of several statements): every value arrives as the model maps it, a database-
/// generated key is left to the database, an update writes only what changed and refuses a row changed meanwhile, and
/// a failed statement leaves the connection able to write the next row.
/// </summary>
public sealed class RowInserterTests
{
    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Rows_AreWrittenWithTheirValues_OnAConnectionKeptOpen_AndAfterItIsOpenedAgain(string provider)
    {
        var contexts = await NoteDb.CreateAsync(provider);
        var rows = new RowInserter();
        var at = new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);
        await using (var db = contexts())
        {
            await db.Database.OpenConnectionAsync();
            await rows.InsertAsync(db, [new Note { Text = "第一条", At = at, Kind = NoteKind.Call }, new Note { Text = "second", At = at.AddDays(1), Kind = NoteKind.Visit, Comment = "带备注" }]);
            await rows.InsertAsync(db, [new Note { Text = "third", At = at.AddDays(2), Kind = NoteKind.Call }]);
            await db.Database.CloseConnectionAsync();

            // The same statements, on the connection opened again (SQLite prepares them again there).
            await db.Database.OpenConnectionAsync();
            await rows.InsertAsync(db, [new Note { Text = "fourth", At = at.AddDays(3), Kind = NoteKind.Visit }]);
            await db.Database.CloseConnectionAsync();
        }

        await using var check = contexts();
        var stored = await check.Notes.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
        Assert.Equal(["第一条", "second", "third", "fourth"], stored.Select(n => n.Text));
        Assert.Equal([at, at.AddDays(1), at.AddDays(2), at.AddDays(3)], stored.Select(n => n.At));
        Assert.Equal([NoteKind.Call, NoteKind.Visit, NoteKind.Call, NoteKind.Visit], stored.Select(n => n.Kind));
        Assert.Equal([null, "带备注", null, null], stored.Select(n => n.Comment));
        Assert.Equal(4, stored.Select(n => n.Id).Distinct().Count());
        Assert.All(stored, n => Assert.True(n.Id > 0));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnUpdate_WritesOnlyTheChangedColumns_AndRefusesARowChangedMeanwhile(string provider)
    {
        var contexts = await NoteDb.CreateAsync(provider);
        var rows = new RowInserter();
        await using (var db = contexts())
        {
            await rows.InsertAsync(db, [new Note { Text = "原文", At = DateTimeOffset.UnixEpoch, Kind = NoteKind.Call }]);
        }

        await using var mine = contexts();
        var note = await mine.Notes.SingleAsync();
        await using (var other = contexts())
        {
            // Someone else sets the comment without touching the version: a column this update does not change.
            await other.Notes.ExecuteUpdateAsync(u => u.SetProperty(n => n.Comment, "别人的备注"));
        }

        note.Text = "改过";
        note.Version++;
        Assert.True(await rows.UpdateAsync(mine, note));
        Assert.False(await rows.UpdateAsync(mine, note));

        await using (var other = contexts())
        {
            await other.Notes.ExecuteUpdateAsync(u => u.SetProperty(n => n.Version, n => n.Version + 1));
        }

        note.Text = "又改";
        note.Version++;
        var refused = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => rows.UpdateAsync(mine, note));
        Assert.Contains("was changed or deleted since it was read", refused.Message, StringComparison.Ordinal);

        await using var check = contexts();
        var stored = await check.Notes.AsNoTracking().SingleAsync();
        Assert.Equal(("改过", "别人的备注", 2), (stored.Text, stored.Comment, stored.Version));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ARowThatBreaksAConstraint_FailsWithTheDatabasesError_AndTheNextRowIsWritten(string provider)
    {
        var contexts = await NoteDb.CreateAsync(provider);
        var rows = new RowInserter();
        await using (var db = contexts())
        {
            await db.Database.OpenConnectionAsync();
            await rows.InsertAsync(db, [new Note { Id = 7, Text = "seven", At = DateTimeOffset.UnixEpoch, Kind = NoteKind.Call }]);
            await Assert.ThrowsAnyAsync<DbException>(() => rows.InsertAsync(db, [new Note { Id = 7, Text = "seven again", At = DateTimeOffset.UnixEpoch, Kind = NoteKind.Call }]));
            await rows.InsertAsync(db, [new Note { Id = 8, Text = "eight", At = DateTimeOffset.UnixEpoch, Kind = NoteKind.Visit }]);
        }

        await using var check = contexts();
        Assert.Equal(["seven", "eight"], await check.Notes.OrderBy(n => n.Id).Select(n => n.Text).ToListAsync());
    }

    public enum NoteKind
    {
        Call,
        Visit,
    }

    public sealed class Note
    {
        public int Id { get; set; }

        public required string Text { get; set; }

        public string? Comment { get; set; }

        public DateTimeOffset At { get; set; }

        public NoteKind Kind { get; set; }

        public int Version { get; set; }
    }

    private sealed class NoteDb(DbContextOptions<NoteDb> options) : DbContext(options)
    {
        public DbSet<Note> Notes => Set<Note>();

        public static async Task<Func<NoteDb>> CreateAsync(string provider)
        {
            var builder = new DbContextOptionsBuilder<NoteDb>();
            var options = (provider == "sqlite"
                ? builder.UseSqlite($"Data Source={TestFiles.NewSqliteFile()};Pooling=true")
                : builder.UseNpgsql(TestPostgres.NewDatabase())).Options;
            await using (var db = new NoteDb(options))
            {
                await db.Database.EnsureCreatedAsync();
            }

            return () => new NoteDb(options);
        }

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Note>(e =>
            {
                e.ToTable("test_note");
                e.Property(n => n.Kind).HasConversion<string>();
                e.Property(n => n.Version).IsConcurrencyToken();
            });
        }
    }
}
