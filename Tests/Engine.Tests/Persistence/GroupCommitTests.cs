using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Tests.Runtime;
using ComplaintWorkflows.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplaintWorkflows.Engine.Tests.Persistence;

/// <summary>
/// Group commit on a real SQLite file: steps that reach their commit while a batch is being written are written
/// together in one transaction; a step that fails there fails alone (what it wrote is undone, the others are
/// committed); a step whose caller gave up before its turn is not written; and under no load a step is written at once.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task StepsWaitingForABatch_AreWrittenTogether_AndOneThatFails_FailsAlone()
    {
        var database = await Database.CreateAsync();
        var group = new GroupCommit(database.Contexts, maxSteps: 32);
        var (first, letFirstFinish) = await HoldABatchAsync(group, (db, token) => Database.InsertAsync(db, "first", token));
        var waiting = Enumerable.Range(1, 5).Select(n => group.WriteAsync((db, token) => Database.InsertAsync(db, $"step {n}", token))).ToList();
        var failing = group.WriteAsync(async (db, token) =>
        {
            await Database.InsertAsync(db, "failing", token);
            throw new InvalidOperationException("the step's work is refused");
        });
        letFirstFinish.SetResult();

        await first.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(20));
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal("the step's work is refused", failure.Message);
        Assert.Equal(["first", "step 1", "step 2", "step 3", "step 4", "step 5"], await database.RowsAsync());
        Assert.Equal(2, database.Transactions);
    }

    [Fact]
    public async Task ABatch_TakesNoMoreThanItsMostSteps()
    {
        var database = await Database.CreateAsync();
        var group = new GroupCommit(database.Contexts, maxSteps: 2);
        var (first, letFirstFinish) = await HoldABatchAsync(group);
        var waiting = Enumerable.Range(1, 5).Select(n => group.WriteAsync((db, token) => Database.InsertAsync(db, $"step {n}", token))).ToList();
        letFirstFinish.SetResult();

        await Task.WhenAll([first, .. waiting]).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(5, (await database.RowsAsync()).Count);
        Assert.Equal(1 + 3, database.Transactions);
    }

    [Fact]
    public async Task AStepWhoseCallerGaveUpWhileWaiting_IsNotWritten()
    {
        var database = await Database.CreateAsync();
        var group = new GroupCommit(database.Contexts, maxSteps: 32);
        var (first, letFirstFinish) = await HoldABatchAsync(group);
        using var giveUp = new CancellationTokenSource();
        var abandoned = group.WriteAsync((db, token) => Database.InsertAsync(db, "abandoned", token), giveUp.Token);
        var kept = group.WriteAsync((db, token) => Database.InsertAsync(db, "kept", token));
        await giveUp.CancelAsync();
        letFirstFinish.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(20)));
        await kept.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["kept"], await database.RowsAsync());
    }

    [Fact]
    public async Task Batches_AreWrittenOnOneConnection_KeptOpenUntilTheGroupIsDisposed()
    {
        var database = await Database.CreateAsync();
        var opensBefore = database.Opens;
        var group = new GroupCommit(database.Contexts, maxSteps: 32);

        for (var n = 1; n <= 3; n++)
        {
            await group.WriteAsync((db, token) => Database.InsertAsync(db, $"step {n}", token)).WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(1, database.Opens - opensBefore);
        Assert.Equal(database.Closes, database.Opens - 1);
        await group.DisposeAsync();

        Assert.Equal(database.Opens, database.Closes);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => group.WriteAsync((db, token) => Database.InsertAsync(db, "late", token)));
        Assert.Equal(["step 1", "step 2", "step 3"], await database.RowsAsync());
    }

    [Fact]
    public async Task WhenTheBatchCannotCommit_EveryStepOfItFails()
    {
        var database = await Database.CreateAsync();
        var group = new GroupCommit(database.Contexts, maxSteps: 32);
        var (first, letFirstFinish) = await HoldABatchAsync(group);

        // The second step ends the batch's transaction behind the group's back: the savepoint and the commit then fail.
        var breaking = group.WriteAsync((db, token) => db.Database.ExecuteSqlRawAsync("COMMIT; BEGIN; ROLLBACK;", token));
        var other = group.WriteAsync((db, token) => Database.InsertAsync(db, "other", token));
        letFirstFinish.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.ThrowsAnyAsync<Exception>(() => breaking.WaitAsync(TimeSpan.FromSeconds(20)));
        await Assert.ThrowsAnyAsync<Exception>(() => other.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Empty(await database.RowsAsync());

        // The group goes on writing afterwards, on a connection of its own again.
        var opens = database.Opens;
        await group.WriteAsync((db, token) => Database.InsertAsync(db, "after", token)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["after"], await database.RowsAsync());
        Assert.Equal(opens + 2, database.Opens);
    }

    [Fact]
    public async Task StartsQueuedBehindAnotherWriter_AreAllStoredWithTheirWork_ExceptTheOneWhoseWorkFails()
    {
        using var gate = new SqliteWriteGate(TimeSpan.FromSeconds(60));
        var host = await WaitingProcessHostAsync(gate);

        // Another writer of this host holds the write turn while the starts reach their commit.
        var holder = new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite(RowWork.ConnectionString(host.Path)).AddInterceptors(gate).Options;
        var starts = new List<Task<ComplaintWorkflows.Engine.Runtime.ProcessInstanceInfo>>();
        var works = new List<RowWork>();
        await using (var other = new SqliteWorkflowDbContext(holder))
        {
            await using var turn = await other.Database.BeginTransactionAsync();
            for (var n = 0; n < 10; n++)
            {
                var work = new RowWork(host.Path) { FailWith = n == 4 ? new InvalidOperationException("complaint 4 cannot be stored") : null };
                work.Add($"complaint {n}");
                works.Add(work);
                starts.Add(host.Engine.StartProcessAsync("p", null, $"bk-{n}", [work]));
            }

            await Task.Delay(200);
            await turn.CommitAsync();
        }

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => starts[4].WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("complaint 4 cannot be stored", failure.Message);
        var stored = await Task.WhenAll(starts.Where((_, n) => n != 4)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            Enumerable.Range(0, 10).Where(n => n != 4).Select(n => $"complaint {n}").Order(StringComparer.Ordinal),
            (await host.RowsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(
            stored.Select(i => i.BusinessKey).Order(StringComparer.Ordinal),
            (await host.Engine.GetInstancesAsync()).Select(i => i.BusinessKey).Order(StringComparer.Ordinal));
        Assert.Equal(9, (await host.Engine.GetTasksAsync()).Count);
        Assert.Equal(0, works[4].CommittedCount);
        Assert.All(works.Where((_, n) => n != 4), w => Assert.Equal(1, w.CommittedCount));
    }

    [Fact]
    public async Task AStepThatFailsAlone_GivesBackTheWriteTurn_ToTheHostsOtherWriters()
    {
        using var gate = new SqliteWriteGate(TimeSpan.FromSeconds(60));
        var host = await WaitingProcessHostAsync(gate);
        var work = new RowWork(host.Path) { FailWith = new InvalidOperationException("the complaint cannot be stored") };
        work.Add("complaint");
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Engine.StartProcessAsync("p", null, "bk", [work]).WaitAsync(TimeSpan.FromSeconds(30)));

        // The batch wrote nothing and its writer's connection stays open: were its turn still held, another writer of
        // the host would wait for the gate's 60 s.
        var other = new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite(RowWork.ConnectionString(host.Path)).AddInterceptors(gate).Options;
        await using (var db = new SqliteWorkflowDbContext(other))
        {
            await using var turn = await db.Database.BeginTransactionAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await turn.CommitAsync();
        }

        var stored = await host.Engine.StartProcessAsync("p", null, "bk-2").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["bk-2"], (await host.Engine.GetInstancesAsync()).Select(i => i.BusinessKey));
        Assert.Empty(await host.RowsAsync());
        Assert.Equal("bk-2", stored.BusinessKey);
    }

    /// <summary>A host on a new SQLite file, its writes queued at <paramref name="gate"/>, with process "p" deployed (it waits at a user task).</summary>
    private static async Task<StepWorkHost> WaitingProcessHostAsync(SqliteWriteGate gate)
    {
        var host = await StepWorkHost.SqliteAsync(gate);
        host.Deploy("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="wait" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
            """);
        return host;
    }

    /// <summary>
    /// Starts a step (writing <paramref name="write"/> first, when given) that keeps its batch open until the returned
    /// source is set: the steps handed to the group meanwhile wait for the next batch.
    /// </summary>
    private static async Task<(Task First, TaskCompletionSource Release)> HoldABatchAsync(GroupCommit group, GroupCommit.StepWriter? write = null)
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = group.WriteAsync(async (db, token) =>
        {
            if (write is not null)
            {
                await write(db, token);
            }

            writing.SetResult();
            await release.Task;
        });
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return (first, release);
    }

    /// <summary>A SQLite file with the engine's schema and a table of rows; counts the transactions begun on it.</summary>
    private sealed class Database : DbTransactionInterceptor
    {
        private readonly Connections _connections = new();
        private int _transactions;

        private Database(string path)
        {
            Path = path;
            var options = new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite(RowWork.ConnectionString(path)).AddInterceptors(this, _connections).Options;
            Contexts = new Factory(new PooledDbContextFactory<SqliteWorkflowDbContext>(options));
        }

        public string Path { get; }

        public IDbContextFactory<WorkflowDbContext> Contexts { get; }

        public int Transactions => Volatile.Read(ref _transactions);

        /// <summary>Connections opened and closed through the contexts (the writer's, and each of the test's own reads).</summary>
        public int Opens => Volatile.Read(ref _connections.Opened);

        public int Closes => Volatile.Read(ref _connections.Closed);

        public static async Task<Database> CreateAsync()
        {
            var path = TestFiles.NewSqliteFile();
            await EfWorkflowStore.Sqlite(path).MigrateAsync();
            var database = new Database(path);
            await using var db = await database.Contexts.CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE step_row (value TEXT NOT NULL)");
            return database;
        }

        public static async Task InsertAsync(WorkflowDbContext db, string value, CancellationToken cancellationToken)
            => await db.Database.ExecuteSqlAsync($"INSERT INTO step_row (value) VALUES ({value})", cancellationToken);

        public async Task<IReadOnlyList<string>> RowsAsync()
        {
            await using var db = await Contexts.CreateDbContextAsync();
            return await db.Database.SqlQueryRaw<string>("SELECT value AS \"Value\" FROM step_row ORDER BY rowid").ToListAsync();
        }

        public override ValueTask<InterceptionResult<System.Data.Common.DbTransaction>> TransactionStartingAsync(
            System.Data.Common.DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<System.Data.Common.DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _transactions);
            return ValueTask.FromResult(result);
        }

        private sealed class Connections : DbConnectionInterceptor
        {
            public int Opened;
            public int Closed;

            public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref Opened);
                return Task.CompletedTask;
            }

            public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Increment(ref Opened);

            public override Task ConnectionClosedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData)
            {
                Interlocked.Increment(ref Closed);
                return Task.CompletedTask;
            }

            public override void ConnectionClosed(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Increment(ref Closed);
        }

        private sealed class Factory(IDbContextFactory<SqliteWorkflowDbContext> inner) : IDbContextFactory<WorkflowDbContext>
        {
            public WorkflowDbContext CreateDbContext() => inner.CreateDbContext();
        }
    }
}
