using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Keeps the engine's state in a relational database through EF Core: SQLite (a file, WAL mode) or
/// PostgreSQL. A step commits its instance snapshot and its task, wait and job rows in one transaction,
/// and only when the instance's revision is still the one it read (optimistic concurrency), so that
/// several hosts can share one database. Disposing it closes the connection its group commit keeps open.
/// </summary>
public sealed partial class EfWorkflowStore(IDbContextFactory<WorkflowDbContext> contexts, int stepsPerTransaction = 1) : IWorkflowStore, IAsyncDisposable, IDisposable
{
    // Where the rest of the store lives (each a part of this class):
    //   EfWorkflowStore.Deployments.cs  deployments and definitions: saved, queried, deleted, loaded
    //   EfWorkflowStore.Instances.cs    instance leases (created, acquired), the instance and journal queries
    //   EfWorkflowStore.Commit.cs       a step's commit: the instance row, the net task, wait and job rows, outbox, work
    //   EfWorkflowStore.Tasks.cs        task lookups and queries, and task rows
    //   EfWorkflowStore.Waits.cs        message and signal waits, timers and start timers
    //   EfWorkflowStore.Jobs.cs         jobs: queried, acquired under a lock, renewed, failed, retried
    //   EfWorkflowStore.Outbox.cs       outbox entries and the deliveries recorded for them
    //   EfWorkflowStore.ExternalTasks.cs external tasks: rows written with a step, locked by conditional updates, queried

    /// <summary>The most steps a SQLite store writes in one transaction when steps commit at the same time (see <see cref="GroupCommit"/>).</summary>
    public const int DefaultStepsPerTransaction = 32;

    private readonly RowInserter _inserter = new();

    /// <summary>Writes steps committing at the same time in one transaction; null: each step in its own.</summary>
    private readonly GroupCommit? _groupCommit = stepsPerTransaction > 1 ? new GroupCommit(contexts, stepsPerTransaction) : null;

    /// <summary>This store's database as <see cref="DatabaseOf"/> names it (read once from a context's connection).</summary>
    private string? _database;

    /// <summary>
    /// The database of each connection string asked about (<see cref="CommitsStepWorkFor"/> is asked at each intake);
    /// null for a SQLite database private to its connection, which is named by the connection.
    /// </summary>
    private readonly ConcurrentDictionary<string, string?> _databases = new(StringComparer.Ordinal);

    /// <summary>A step's work for this store's own database is written in the step's transaction.</summary>
    public bool CommitsStepWorkFor(DbConnection database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (_database is null)
        {
            using var db = contexts.CreateDbContext();
            _database = DatabaseOf(db.Database.GetDbConnection());
        }

        var named = _databases.GetOrAdd(database.ConnectionString, static (_, connection) => connection is SqliteConnection && IsPrivate(connection) ? null : DatabaseOf(connection), database);
        return string.Equals(_database, named ?? DatabaseOf(database), StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _groupCommit?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A SQLite database of one connection only (in memory): its name depends on the connection, not its string.</summary>
    private static bool IsPrivate(DbConnection connection)
        => new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource is not { Length: > 0 } file || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>A connection's database: the provider and, for SQLite, the file's full path, else the server and the database name.</summary>
    private static string DatabaseOf(DbConnection connection) => connection is SqliteConnection
        ? !IsPrivate(connection)
            ? "sqlite:" + Path.GetFullPath(new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource)
            : "sqlite-private:" + connection.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture)
        : connection.GetType().FullName + ":" + connection.DataSource + "/" + connection.Database;

    /// <summary>
    /// A store on a SQLite database file, opened in WAL mode with a busy timeout; write transactions queue at the gate
    /// when one is given, and steps committing at the same time are written up to <paramref name="stepsPerTransaction"/>
    /// in one transaction (1: each in its own).
    /// </summary>
    public static EfWorkflowStore Sqlite(string path, SqliteWriteGate? gate = null, int stepsPerTransaction = DefaultStepsPerTransaction)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var options = new DbContextOptionsBuilder<SqliteWorkflowDbContext>()
            .UseSqlite(connection)
            .AddInterceptors(gate is null ? [new SqlitePragmas()] : [new SqlitePragmas(), gate])
            .Options;
        return new EfWorkflowStore(new Contexts<SqliteWorkflowDbContext>(new PooledDbContextFactory<SqliteWorkflowDbContext>(options)), stepsPerTransaction);
    }

    /// <summary>A store on a PostgreSQL database.</summary>
    public static EfWorkflowStore Postgres(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql(connectionString).Options;
        return new EfWorkflowStore(new Contexts<PostgresWorkflowDbContext>(new PooledDbContextFactory<PostgresWorkflowDbContext>(options)));
    }

    /// <summary>Brings the schema up to date with this version's migrations (creating it in a new database); returns the migrations it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        return pending;
    }

    /// <summary>Hands out contexts of a provider's concrete type as the shared base type.</summary>
    private sealed class Contexts<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<WorkflowDbContext>
        where TContext : WorkflowDbContext
    {
        public WorkflowDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<WorkflowDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
            => await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}
