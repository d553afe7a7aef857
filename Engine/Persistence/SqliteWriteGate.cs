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
public sealed class SqliteWriteGate(TimeSpan timeout) : DbTransactionInterceptor, IDbConnectionInterceptor, IDisposable
{
    private static readonly object Held = new();

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>The connections whose transaction holds the turn (weakly held).</summary>
    private readonly ConditionalWeakTable<DbConnection, object> _holders = [];

    /// <summary>How long a transaction waits for its turn before it begins regardless.</summary>
    public TimeSpan Timeout { get; } = timeout;

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_turn.Wait(Timeout))
        {
            _holders.AddOrUpdate(connection, Held);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (await _turn.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false))
        {
            _holders.AddOrUpdate(connection, Held);
        }

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

    public void Dispose() => _turn.Dispose();

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
