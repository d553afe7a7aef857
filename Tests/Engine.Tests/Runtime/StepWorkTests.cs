using System.Data.Common;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>
/// Step work on a SQLite store: rows of a table of the host's own, in the store's file, are written in the transaction
/// that commits the step (both or neither), the work is told after the commit and always disposed; a store that cannot
/// write the work (the in-memory store, another file) refuses it.
/// </summary>
public sealed class StepWorkTests
{
    /// <summary>Start, a service task enlisting work, a user task to wait at.</summary>
    private const string EnlistAtStart = """
        <bpmn:startEvent id="s" />
        <bpmn:serviceTask id="enlist" camunda:delegateExpression="${enlist}" />
        <bpmn:userTask id="wait" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="enlist" />
        <bpmn:sequenceFlow id="f2" sourceRef="enlist" targetRef="wait" />
        """;

    /// <summary>The work is enlisted in the step completing the review.</summary>
    private const string EnlistAfterReview = """
        <bpmn:startEvent id="s" />
        <bpmn:userTask id="review" />
        <bpmn:serviceTask id="enlist" camunda:delegateExpression="${enlist}" />
        <bpmn:userTask id="wait" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
        <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="enlist" />
        <bpmn:sequenceFlow id="f3" sourceRef="enlist" targetRef="wait" />
        """;

    [Fact]
    public async Task WorkEnlistedByServiceTasks_IsSharedByTheStep_WrittenWithIt_ThenToldOnceAndDisposed()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy("""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="first" camunda:delegateExpression="${enlist}" />
            <bpmn:serviceTask id="second" camunda:delegateExpression="${enlist}" />
            <bpmn:userTask id="wait" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="first" />
            <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
            <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="wait" />
            """);

        var instance = await host.Engine.StartProcessAsync("p");

        var work = Assert.Single(host.Created);
        Assert.Equal([work, work], host.Enlisted);
        Assert.Equal(["first", "second"], await host.RowsAsync());
        Assert.Equal(1, work.Writes);
        Assert.Equal(1, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        Assert.Equal(InstanceStatus.Active, (await host.Engine.GetInstanceAsync(instance.Id)).Status);
        Assert.Equal("wait", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task WorkEnlistedInALaterStep_IsWrittenWithThatStep()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAfterReview);
        var instance = await host.Engine.StartProcessAsync("p");
        Assert.Empty(host.Created);
        Assert.Empty(await host.RowsAsync());

        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).Id);

        var work = Assert.Single(host.Created);
        Assert.Equal(["enlist"], await host.RowsAsync());
        Assert.Equal(1, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        Assert.Equal("wait", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task WhenTheWorkFailsToWrite_TheStartIsNotStored_NorAnyOfTheWorksRows()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        host.Prepare = (work, _) => work.FailWith = new InvalidOperationException("the work's table is full");

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Engine.StartProcessAsync("p"));

        var work = Assert.Single(host.Created);
        Assert.Equal(1, work.Writes); // it wrote its row, then failed: the row is rolled back with the step
        Assert.Empty(await host.RowsAsync());
        Assert.Empty(await host.Engine.GetInstancesAsync());
        Assert.Equal(0, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
    }

    [Fact]
    public async Task WhenTheWorkFailsToWrite_ALaterStepIsNotStored_NorAnyOfTheWorksRows()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAfterReview);
        var instance = await host.Engine.StartProcessAsync("p");
        var review = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id)));
        host.Prepare = (work, _) => work.FailWith = new InvalidOperationException("the work's table is full");

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Engine.CompleteTaskAsync(review.Id));

        var work = Assert.Single(host.Created);
        Assert.Empty(await host.RowsAsync());
        Assert.Equal(0, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        Assert.Equal("review", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task AWorkThatLosesARace_IsNotStored_AndTheStepRunsAgainWithNewWork()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAfterReview);
        var instance = await host.Engine.StartProcessAsync("p");
        var review = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id)));
        host.Prepare = (work, attempt) =>
        {
            if (attempt == 1)
            {
                work.FailWith = new DbUpdateConcurrencyException("the record was changed meanwhile");
            }
        };

        await host.Engine.CompleteTaskAsync(review.Id);

        Assert.Equal(2, host.Created.Count);
        var (lost, won) = (host.Created[0], host.Created[1]);
        Assert.Equal(0, lost.CommittedCount);
        Assert.True(lost.DisposeCount >= 1);
        Assert.Equal(1, won.CommittedCount);
        Assert.True(won.DisposeCount >= 1);
        Assert.Equal(["enlist"], await host.RowsAsync());
        Assert.Equal("wait", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task AWorkThatAlwaysLosesTheRace_IsNeverStored_AndTheConflictIsReported()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAfterReview);
        var instance = await host.Engine.StartProcessAsync("p");
        var review = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id)));
        host.Prepare = (work, _) => work.FailWith = new DbUpdateConcurrencyException("the record was changed meanwhile");

        await Assert.ThrowsAsync<ConcurrencyException>(() => host.Engine.CompleteTaskAsync(review.Id));

        Assert.Equal(host.Engine.Options.MaxConflictRetries + 1, host.Created.Count);
        Assert.All(host.Created, work =>
        {
            Assert.Equal(0, work.CommittedCount);
            Assert.True(work.DisposeCount >= 1);
        });
        Assert.Empty(await host.RowsAsync());
        Assert.Equal("review", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task AStepWhoseInstanceAnotherHostChangedMeanwhile_LeavesNoRows_AndItsRunAgainWritesThemOnce()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy("""
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:userTask id="a" />
            <bpmn:userTask id="b" />
            <bpmn:serviceTask id="enlist" camunda:delegateExpression="${enlist}" />
            <bpmn:endEvent id="endA" />
            <bpmn:endEvent id="endB" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="fork" />
            <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a" />
            <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="b" />
            <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="enlist" />
            <bpmn:sequenceFlow id="f5" sourceRef="enlist" targetRef="endA" />
            <bpmn:sequenceFlow id="f6" sourceRef="b" targetRef="endB" />
            """);
        var other = new WorkflowEngine(new ActivityRegistry(), new ExpressionEngine(), store: host.OtherStore());
        await other.LoadDefinitionsAsync();
        var instance = await host.Engine.StartProcessAsync("p");
        var tasks = await host.Engine.GetTasksAsync(new TaskQuery(instance.Id));
        host.BeforeEnlist = async attempt =>
        {
            if (attempt == 1)
            {
                // Another host completes the other branch while this step runs: this step's commit then conflicts.
                await other.CompleteTaskAsync(tasks.Single(t => t.ElementId == "b").Id);
            }
        };

        await host.Engine.CompleteTaskAsync(tasks.Single(t => t.ElementId == "a").Id);

        Assert.Equal(2, host.Created.Count);
        Assert.Equal(0, host.Created[0].CommittedCount);
        Assert.True(host.Created[0].DisposeCount >= 1);
        Assert.Equal(0, host.Created[0].Writes); // the conflict is found before the work is written
        Assert.Equal(1, host.Created[1].CommittedCount);
        Assert.Equal(["enlist"], await host.RowsAsync());
        Assert.Equal(InstanceStatus.Completed, (await host.Engine.GetInstanceAsync(instance.Id)).Status);
    }

    [Fact]
    public async Task TheInMemoryStore_RefusesWork_AndTheRefusedWorkIsDisposed()
    {
        var host = new StepWorkHost(TestFiles.NewSqliteFile(), new InMemoryWorkflowStore());
        host.Deploy(EnlistAtStart);

        var instance = await host.Engine.StartProcessAsync("p");

        Assert.Equal([null], host.Enlisted);
        var work = Assert.Single(host.Created);
        Assert.Equal(1, work.DisposeCount);
        Assert.Equal(0, work.Writes);
        Assert.Equal(0, work.CommittedCount);
        Assert.False(host.Engine.CommitsStepWorkFor(work.Database));
        Assert.Equal("wait", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task TheInMemoryStore_RefusesAStartWithWork_AndDisposesOfIt()
    {
        var host = new StepWorkHost(TestFiles.NewSqliteFile(), new InMemoryWorkflowStore());
        host.Deploy(EnlistAtStart);
        var work = new RowWork(host.Path);

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => host.Engine.StartProcessAsync("p", null, null, [work]));

        Assert.Equal("invalid", refused.Code);
        Assert.True(work.DisposeCount >= 1);
        Assert.Equal(0, work.CommittedCount);
        Assert.Empty(await host.Engine.GetInstancesAsync());
        Assert.Empty(host.Enlisted);
    }

    [Fact]
    public async Task WorkForAnotherSqliteFile_IsRefused_AndDisposed()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        var elsewhere = TestFiles.NewSqliteFile();
        host.WorkPath = elsewhere;

        var instance = await host.Engine.StartProcessAsync("p");

        Assert.Equal([null], host.Enlisted);
        var work = Assert.Single(host.Created);
        Assert.Equal(1, work.DisposeCount);
        Assert.Equal(0, work.Writes);
        Assert.Empty(await host.RowsAsync());
        Assert.False(File.Exists(elsewhere));
        Assert.Equal("wait", Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(instance.Id))).ElementId);
    }

    [Fact]
    public async Task TheSqliteStore_TakesWorkForItsOwnFileOnly_HoweverThePathIsWritten()
    {
        var host = await StepWorkHost.SqliteAsync();
        using var same = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = host.Path }.ToString());
        using var relative = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetRelativePath(Environment.CurrentDirectory, host.Path), Mode = SqliteOpenMode.ReadWrite }.ToString());
        using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = TestFiles.NewSqliteFile() }.ToString());
        using var memory = new SqliteConnection("Data Source=:memory:");

        Assert.True(host.Engine.CommitsStepWorkFor(same));
        Assert.True(host.Engine.CommitsStepWorkFor(relative));
        Assert.False(host.Engine.CommitsStepWorkFor(other));
        Assert.False(host.Engine.CommitsStepWorkFor(memory));
    }

    [Fact]
    public async Task StartingWithWork_StoresTheWorksRowsAndTheInstanceTogether_AndTheStartStepSharesTheWork()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        var work = new RowWork(host.Path);
        work.Add("intake");

        var instance = await host.Engine.StartProcessAsync("p", null, "TS20261123000001", [work]);

        Assert.Empty(host.Created);
        Assert.Same(work, Assert.Single(host.Enlisted));
        Assert.Equal(["intake", "enlist"], await host.RowsAsync());
        Assert.Equal(1, work.Writes);
        Assert.Equal(1, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        var stored = Assert.Single(await host.Engine.GetInstancesAsync());
        Assert.Equal(instance.Id, stored.Id);
        Assert.Equal("TS20261123000001", stored.BusinessKey);
    }

    [Fact]
    public async Task StartingAnUnknownProcessWithWork_WritesNothing_AndDisposesOfTheWork()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        var work = new RowWork(host.Path);
        work.Add("intake");

        var refused = await Assert.ThrowsAsync<WorkflowException>(() => host.Engine.StartProcessAsync("unknown", null, null, [work]));

        Assert.Equal("not-found", refused.Code);
        Assert.Equal(0, work.Writes);
        Assert.Equal(0, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        Assert.Empty(await host.RowsAsync());
        Assert.Empty(await host.Engine.GetInstancesAsync());
    }

    [Fact]
    public async Task WorkThatFailsAfterTheCommit_LeavesTheStepStored_AndTheStartSucceeds()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        var work = new RowWork(host.Path) { FailAfterCommit = new InvalidOperationException("the worker could not be woken") };
        work.Add("intake");

        var instance = await host.Engine.StartProcessAsync("p", null, null, [work]);

        Assert.Equal(1, work.CommittedCount);
        Assert.Equal(["intake", "enlist"], await host.RowsAsync());
        Assert.Equal(instance.Id, Assert.Single(await host.Engine.GetInstancesAsync()).Id);
    }

    [Fact]
    public async Task StartingWithWorkThatFailsToWrite_StoresNeitherTheInstanceNorTheRows()
    {
        var host = await StepWorkHost.SqliteAsync();
        host.Deploy(EnlistAtStart);
        var work = new RowWork(host.Path) { FailWith = new InvalidOperationException("the work's table is full") };
        work.Add("intake");

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Engine.StartProcessAsync("p", null, null, [work]));

        Assert.Equal(1, work.Writes);
        Assert.Equal(0, work.CommittedCount);
        Assert.True(work.DisposeCount >= 1);
        Assert.Empty(await host.RowsAsync());
        Assert.Empty(await host.Engine.GetInstancesAsync());
    }
}

/// <summary>An engine with an "enlist" activity that adds its element id to the step's <see cref="RowWork"/>.</summary>
internal sealed class StepWorkHost
{
    public StepWorkHost(string path, IWorkflowStore store)
    {
        Path = path;
        WorkPath = path;
        var activities = new ActivityRegistry()
            .Register(new ActivityDescriptor("enlist", "Enlist", "Test", "Adds a row to the step's work.", [], []), new EnlistActivity(this));
        Engine = new WorkflowEngine(activities, new ExpressionEngine(), store: store);
    }

    /// <summary>A host on a new SQLite file with the engine's tables and the work's table (its writes queued at <paramref name="gate"/> when given).</summary>
    public static async Task<StepWorkHost> SqliteAsync(SqliteWriteGate? gate = null)
    {
        var path = TestFiles.NewSqliteFile();
        var store = EfWorkflowStore.Sqlite(path, gate);
        await store.MigrateAsync();
        await using (var connection = new SqliteConnection(RowWork.ConnectionString(path)))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE step_row (value TEXT NOT NULL)";
            await command.ExecuteNonQueryAsync();
        }

        return new StepWorkHost(path, store);
    }

    /// <summary>The SQLite file of the engine's store (and of the work's table).</summary>
    public string Path { get; }

    /// <summary>The file the activity's work says it belongs in.</summary>
    public string WorkPath { get; set; }

    public WorkflowEngine Engine { get; }

    /// <summary>Every work the activity created, in order.</summary>
    public List<RowWork> Created { get; } = [];

    /// <summary>What <see cref="ActivityContext.StepWork{T}"/> gave the activity, each time it ran.</summary>
    public List<RowWork?> Enlisted { get; } = [];

    /// <summary>Called on each work the activity creates, with the number of the attempt (1 for the first).</summary>
    public Action<RowWork, int>? Prepare { get; set; }

    /// <summary>Awaited each time the activity runs, before it enlists, with the number of the run (1 for the first).</summary>
    public Func<int, Task>? BeforeEnlist { get; set; }

    private int _runs;

    public void Deploy(string process)
        => Engine.DeployAsync(Bpmn.Wrap(process), "p.bpmn").GetAwaiter().GetResult();

    /// <summary>A second store on this host's file (another host's).</summary>
    public EfWorkflowStore OtherStore() => EfWorkflowStore.Sqlite(Path);

    public async Task<IReadOnlyList<string>> RowsAsync()
    {
        await using var connection = new SqliteConnection(RowWork.ConnectionString(Path));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM step_row ORDER BY rowid";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private sealed class EnlistActivity(StepWorkHost host) : IActivity
    {
        public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            var run = ++host._runs;
            if (host.BeforeEnlist is { } before)
            {
                await before(run);
            }

            var work = context.StepWork(() =>
            {
                var created = new RowWork(host.WorkPath);
                host.Created.Add(created);
                host.Prepare?.Invoke(created, host.Created.Count);
                return created;
            });
            host.Enlisted.Add(work);
            work?.Add(context.ElementId);
        }
    }
}

/// <summary>Rows for the test's own table, written on the step's transaction; counts what the engine did with it.</summary>
internal sealed class RowWork(string path) : IStepWork
{
    private readonly SqliteConnection _database = new(ConnectionString(path));
    private readonly List<string> _values = [];

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();

    /// <summary>Thrown by <see cref="WriteAsync"/> after it wrote its rows.</summary>
    public Exception? FailWith { get; set; }

    public int Writes { get; private set; }

    public int CommittedCount { get; private set; }

    public int DisposeCount { get; private set; }

    public DbConnection Database => _database;

    public void Add(string value) => _values.Add(value);

    public async Task WriteAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        Writes++;
        foreach (var value in _values)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO step_row (value) VALUES (@value)";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@value";
            parameter.Value = value;
            command.Parameters.Add(parameter);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (FailWith is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Thrown by <see cref="Committed"/>.</summary>
    public Exception? FailAfterCommit { get; set; }

    public void Committed()
    {
        CommittedCount++;
        if (FailAfterCommit is { } failure)
        {
            throw failure;
        }
    }

    public void Dispose()
    {
        DisposeCount++;
        _database.Dispose();
    }
}
