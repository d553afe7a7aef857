using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Lets this process's write transactions on one SQLite file take turns in a queue instead of colliding on SQLite's
/// write lock. SQLite has one writer at a time; a writer that finds the lock taken sleeps in SQLite's busy handler (1,
/// 2, 5, 10 ... ms) even when the lock is free again a few microseconds later, so under load the cores sit idle while
/// requests wait. Here a transaction waits for the one before it in the process to commit or roll back, then begins at
/// once. It is an optimisation only: other processes on the file are not in the queue and meet SQLite's busy timeout as
/// before, and a transaction that waits longer than <see cref="Timeout"/> begins anyway (SQLite's busy handling applies).
/// One gate serves every context factory of a database file (engine, domain tables), given to each as an interceptor.
/// </summary>
/// <remarks>
/// A turn is given back when its transaction commits, rolls back or fails, and when its connection closes. A transaction
/// disposed without a commit or a rollback raises none of these while its connection stays open (a connection opened
/// by the caller, which a pooled context keeps open when it is returned); <c>SaveChanges</c> that throws (a concurrency
/// conflict, a duplicate key) disposes of the transaction it began in just that way. So a failed save gives back the
/// turn of the transaction it began, and a connection that begins a transaction while it holds the turn keeps it (its
/// transaction before has necessarily ended); otherwise every later write in the process would wait out
/// <see cref="Timeout"/>. Code that begins a transaction itself on such a connection rolls it back when it fails.
/// </remarks>
public sealed class SqliteWriteGate(TimeSpan timeout) : DbTransactionInterceptor, IDbConnectionInterceptor, ISaveChangesInterceptor, IDisposable
{
    private static readonly object Held = new();

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>The connections whose transaction holds the turn (weakly held).</summary>
    private readonly ConditionalWeakTable<DbConnection, object> _holders = [];

    /// <summary>The contexts whose save under way writes in a transaction of its own (weakly held).</summary>
    private readonly ConditionalWeakTable<DbContext, object> _ownSaves = [];

    /// <summary>How long a transaction waits for its turn before it begins regardless.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Told how long each transaction waited for its turn (the host's write-queue figure); null: not measured.</summary>
    public Action<TimeSpan>? Waited { get; init; }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Holds(connection))
        {
            return result;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_turn.Wait(Timeout))
        {
            _holders.AddOrUpdate(connection, Held);
        }

        Waited?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));

        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Holds(connection))
        {
            return result;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await _turn.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false))
        {
            _holders.AddOrUpdate(connection, Held);
        }

        Waited?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));

        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(ConnectionOf(transaction, eventData));

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(transaction, eventData));
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(ConnectionOf(transaction, eventData));

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(transaction, eventData));
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(ConnectionOf(transaction, eventData));

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(transaction, eventData));
        return Task.CompletedTask;
    }

    // A transaction disposed without a commit or a rollback (an exception on its way out) ends when its connection closes.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Release(connection);
        return Task.CompletedTask;
    }

    // A save outside the caller's transaction writes in one it begins itself, and disposes of it when it fails.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteSave(eventData);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteSave(eventData);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ReleaseAfterFailedSave(eventData);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAfterFailedSave(eventData);
        return Task.CompletedTask;
    }

    // A concurrency conflict raises no SaveChangesFailed; the save's own transaction is disposed right after this
    // (the next writer may meet SQLite's lock for that moment, and waits in SQLite's busy handler).
    public InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        ReleaseAfterFailedSave(eventData);
        return result;
    }

    public ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ReleaseAfterFailedSave(eventData);
        return ValueTask.FromResult(result);
    }

    public void Dispose() => _turn.Dispose();

    private bool Holds(DbConnection connection) => _holders.TryGetValue(connection, out _);

    private void NoteSave(DbContextEventData eventData)
    {
        if (eventData?.Context is { } db)
        {
            if (db.Database.CurrentTransaction is null)
            {
                _ownSaves.AddOrUpdate(db, Held);
            }
            else
            {
                _ownSaves.Remove(db);
            }
        }
    }

    private void ReleaseAfterFailedSave(DbContextEventData eventData)
    {
        if (eventData?.Context is { } db && _ownSaves.Remove(db))
        {
            Release(db.Database.GetDbConnection());
        }
    }

    /// <summary>The connection a transaction ran on (a committed ADO.NET transaction no longer names it; its context does).</summary>
    private static DbConnection? ConnectionOf(DbTransaction transaction, TransactionEventData? eventData)
        => eventData?.Context?.Database.GetDbConnection() ?? transaction?.Connection;

    private void Release(DbConnection? connection)
    {
        if (connection is not null && _holders.Remove(connection))
        {
            _turn.Release();
        }
    }
}
