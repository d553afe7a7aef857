using System.Diagnostics;
using System.Globalization;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>waiting --instances N [--db sqlite|postgres] [--samples 400] [--threads T]</c>: fills one engine's store (SQLite file
/// or a database of its own on the PostgreSQL server) with N instances, each waiting at a user task with a timer on it
/// (an interrupting boundary timer due in 30 days), then prints this process's working set and managed heap (after a
/// full collection) and the p50/p99 of completing the task of, or firing the timer of, randomly chosen waiting
/// instances, one after another. The engine is the one the host runs (the same store and commit path); the
/// timers are fired as the host's Quartz job fires them (<see cref="WorkflowEngine.FireTimerByIdAsync"/>).
/// </summary>
internal static class WaitingBenchmark
{
    private const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          id="waiting-definitions" targetNamespace="http://complaintworkflows/bench">
          <bpmn:process id="waiting" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="handle" name="Handle" camunda:candidateGroups="bench" />
            <bpmn:boundaryEvent id="late" attachedToRef="handle">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:endEvent id="done" />
            <bpmn:endEvent id="expired" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="handle" />
            <bpmn:sequenceFlow id="f1" sourceRef="handle" targetRef="done" />
            <bpmn:sequenceFlow id="f2" sourceRef="late" targetRef="expired" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    public static async Task<int> RunAsync(int instances, string database, int samples, int threads, TextWriter output)
    {
        await using var target = await Target.CreateAsync(database).ConfigureAwait(false);
        var engine = new WorkflowEngine(new ActivityRegistry(), store: target.Store);
        await engine.DeployAsync(Xml, "waiting.bpmn").ConfigureAwait(false);
        var (baseWorkingSet, baseHeap) = Memory();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{instances} instances on {database} from {threads} threads; empty engine: working set {baseWorkingSet:F0} MiB, managed heap {baseHeap:F0} MiB"));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        long next = 0;
        var reported = 0L;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= instances)
            {
                await engine.StartProcessAsync("waiting").ConfigureAwait(false);
                var done = Interlocked.Read(ref next);
                if (done % 50_000 == 0 && Interlocked.Exchange(ref reported, done) != done)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done} started, {done / stopwatch.Elapsed.TotalSeconds:F0}/s, working set {Environment.WorkingSet / 1048576.0:F0} MiB, {File.ReadAllText("/proc/loadavg").Trim()}"));
                }
            }
        }))).ConfigureAwait(false);
        var fillSeconds = stopwatch.Elapsed.TotalSeconds;
        var fillCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / instances;
        var (workingSet, heap) = Memory();
        var databaseMiB = await target.BytesAsync().ConfigureAwait(false) / 1048576.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled: {instances} waiting instances in {fillSeconds:F0} s = {instances / fillSeconds:F0}/s, {fillCpu:F2} ms CPU each; database {databaseMiB:F0} MiB"));

        var chosen = await target.RandomInstancesAsync(samples).ConfigureAwait(false);
        var completions = new List<double>();
        var firings = new List<double>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var instanceId = chosen[i];
            if (i % 2 == 0)
            {
                var task = (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId)).ConfigureAwait(false)).Single();
                var started = Stopwatch.GetTimestamp();
                await engine.CompleteTaskAsync(task.Id).ConfigureAwait(false);
                completions.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                var timer = (await engine.GetTimersAsync(instanceId).ConfigureAwait(false)).Single();
                var started = Stopwatch.GetTimestamp();
                if (!await engine.FireTimerByIdAsync(timer.Id, onlyIfDue: false).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The timer {timer.Id} of instance {instanceId} did not fire.");
                }

                firings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var after = await engine.GetInstanceAsync(instanceId).ConfigureAwait(false);
            if (after.Status == InstanceStatus.Active)
            {
                throw new InvalidOperationException($"Instance {instanceId} still waits after its task was completed or its timer fired.");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"task completion: p50 {Percentiles.Of(completions, 0.50):F1} ms, p99 {Percentiles.Of(completions, 0.99):F1} ms ({completions.Count}); timer firing: p50 {Percentiles.Of(firings, 0.50):F1} ms, p99 {Percentiles.Of(firings, 0.99):F1} ms ({firings.Count})"));
        var all = completions.Concat(firings).ToList();
        output.WriteLine(File.ReadAllText("/proc/loadavg").Trim());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiting: {instances} instances, working set {workingSet:F0} MiB, managed heap {heap:F0} MiB, p99 {Percentiles.Of(all, 0.99):F1} ms to complete a task or fire a timer"));
        return 0;
    }

    /// <summary>This process's working set and, after a full blocking collection, its managed heap, in MiB.</summary>
    private static (double WorkingSet, double Heap) Memory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64 / 1048576.0, heap);
    }

    /// <summary>The store the instances wait in, and what the benchmark reads from it directly.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly Func<string> _connection;
        private readonly bool _postgres;
        private readonly Func<Task> _drop;

        private Target(EfWorkflowStore store, Func<string> connection, bool postgres, Func<Task> drop)
        {
            Store = store;
            _connection = connection;
            _postgres = postgres;
            _drop = drop;
        }

        public EfWorkflowStore Store { get; }

        public static async Task<Target> CreateAsync(string database)
        {
            if (database == "postgres")
            {
                var created = await BenchDatabase.CreateAsync("bench_waiting_").ConfigureAwait(false);
                var store = EfWorkflowStore.Postgres(created.ConnectionString);
                await store.MigrateAsync().ConfigureAwait(false);
                return new Target(store, () => created.ConnectionString, postgres: true, async () => await created.DisposeAsync().ConfigureAwait(false));
            }

            var folder = Directory.CreateTempSubdirectory("complaintworkflows-waiting-").FullName;
            var file = Path.Combine(folder, "waiting.db");
            var sqlite = EfWorkflowStore.Sqlite(file);
            await sqlite.MigrateAsync().ConfigureAwait(false);
            return new Target(sqlite, () => $"Data Source={file}", postgres: false, () =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }

        public async Task<long> BytesAsync()
        {
            var sql = _postgres ? "SELECT pg_database_size(current_database())" : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
            return Convert.ToInt64(await ScalarAsync(sql).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        public async Task<List<string>> RandomInstancesAsync(int count)
        {
            await using var connection = Open();
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT \"InstanceId\" FROM wf_task ORDER BY random() LIMIT {count}");
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public async ValueTask DisposeAsync() => await _drop().ConfigureAwait(false);

        private System.Data.Common.DbConnection Open() => _postgres ? new NpgsqlConnection(_connection()) : new SqliteConnection(_connection());

        private async Task<object?> ScalarAsync(string sql)
        {
            await using var connection = Open();
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync().ConfigureAwait(false);
        }

    }
}

/// <summary>
/// A database of its own on the PostgreSQL server of COMPLAINTWORKFLOWS_BENCH_POSTGRES (else COMPLAINTWORKFLOWS_TEST_POSTGRES),
/// dropped when disposed.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 64 }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string prefix)
    {
        var server = Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_BENCH_POSTGRES") is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_POSTGRES") ?? throw new InvalidOperationException("Set COMPLAINTWORKFLOWS_BENCH_POSTGRES (or COMPLAINTWORKFLOWS_TEST_POSTGRES) to a PostgreSQL server for --db postgres.");
        var database = new BenchDatabase(server, prefix + Guid.NewGuid().ToString("N")[..12]);
        await ExecuteAsync(server, $"CREATE DATABASE {database._name} TEMPLATE template0").ConfigureAwait(false);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)").ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}

/// <summary>The nearest-rank percentile of a list of figures (NaN when empty).</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
