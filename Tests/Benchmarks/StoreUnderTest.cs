using System.Diagnostics;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>A fresh store per round, and how many bytes it holds.</summary>
internal abstract class StoreUnderTest : IAsyncDisposable
{
    public abstract string Name { get; }

    public abstract Task<IWorkflowStore> CreateAsync();

    /// <summary>Bytes the current round's store occupies, or null when unknown.</summary>
    public abstract Task<long?> BytesAsync();

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes what the benchmark created.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    public static StoreUnderTest InMemory() => new MemoryStore();

    public static StoreUnderTest Sqlite() => new SqliteStore();

    /// <summary>
    /// PostgreSQL from COMPLAINTWORKFLOWS_BENCH_POSTGRES, else a throwaway cluster started with
    /// Tests/infra/postgres.sh (and stopped at the end).
    /// </summary>
    public static async Task<StoreUnderTest> PostgresAsync(TextWriter log)
    {
        if (Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_BENCH_POSTGRES") is { Length: > 0 } given)
        {
            return new PostgresStore(given, null);
        }

        var root = RepositoryRoot();
        var dir = Path.Combine(Path.GetTempPath(), "complaintworkflows-bench-pg-" + Environment.ProcessId);
        var port = 40000 + (Environment.ProcessId % 20000);
        log.WriteLine($"starting a throwaway PostgreSQL cluster on 127.0.0.1:{port}");
        var connection = (await RunAsync(Path.Combine(root, "Tests", "infra", "postgres.sh"), $"start {dir} {port}")).Trim();
        return new PostgresStore(connection, () => RunAsync(Path.Combine(root, "Tests", "infra", "postgres.sh"), $"stop {dir}"));
    }

    /// <summary>The folder of ComplaintWorkflows.sln at or above the working directory (also the fault campaign's).</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComplaintWorkflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (ComplaintWorkflows.sln not found).");
    }

    private static async Task<string> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PG_DURABLE"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments} failed: {error}");
    }

    private sealed class MemoryStore : StoreUnderTest
    {
        public override string Name => "memory";

        public override Task<IWorkflowStore> CreateAsync() => Task.FromResult<IWorkflowStore>(new InMemoryWorkflowStore());

        public override Task<long?> BytesAsync() => Task.FromResult<long?>(null);
    }

    private sealed class SqliteStore : StoreUnderTest
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("complaintworkflows-bench-").FullName;
        private string? _file;

        public override string Name => "sqlite";

        public override async Task<IWorkflowStore> CreateAsync()
        {
            _file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
            var store = EfWorkflowStore.Sqlite(_file);
            await store.MigrateAsync();
            return store;
        }

        public override async Task<long?> BytesAsync()
        {
            await using (var connection = new SqliteConnection($"Data Source={_file}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await command.ExecuteNonQueryAsync();
            }

            return new FileInfo(_file!).Length;
        }

        protected override ValueTask ReleaseAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresStore(string server, Func<Task<string>>? stop) : StoreUnderTest
    {
        private string? _database;

        public override string Name => "postgres";

        public override async Task<IWorkflowStore> CreateAsync()
        {
            _database = "bench_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"CREATE DATABASE {_database} TEMPLATE template0";
                await command.ExecuteNonQueryAsync();
            }

            var store = EfWorkflowStore.Postgres(new NpgsqlConnectionStringBuilder(server) { Database = _database, MaxPoolSize = 64 }.ConnectionString);
            await store.MigrateAsync();
            return store;
        }

        public override async Task<long?> BytesAsync()
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "VACUUM ANALYZE; SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        protected override async ValueTask ReleaseAsync()
        {
            NpgsqlConnection.ClearAllPools();
            if (stop is not null)
            {
                await stop();
            }
        }
    }
}
