using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Group commit: the steps that reach their commit while the steps before them are being written wait, and are then
/// written together in one transaction, each under a savepoint of its own. SQLite has one writer at a time, and each
/// write transaction pays for its turn (the hand-over to the next writer), its <c>BEGIN</c> and its <c>COMMIT</c> (the
/// write-ahead log frames of every page it changed, of which steps of new instances change many of the same). Written
/// together, a burst of steps pays for them once. A step that fails (a lost race, a duplicate key, step work that
/// throws) rolls back to its savepoint and fails alone, with the exception it would have failed with on its own; the
/// others are committed. When the transaction as a whole cannot commit, every step of it fails. A step waits for no
/// longer than the batch before it takes to write; under no load each step is written on its own at once.
/// </summary>
/// <remarks>
/// Only the steps of this process are grouped; other hosts on the database write in turns through SQLite's lock (and
/// the revision checks) as before, so nothing here is needed for correctness across hosts.
/// The batches are written on one context whose connection stays open (the writer), so that the statements prepared on
/// it (see <see cref="RowInserter"/>) are compiled once; after a batch whose transaction was lost the writer is replaced.
/// </remarks>
internal sealed class GroupCommit(IDbContextFactory<WorkflowDbContext> contexts, int maxSteps) : IAsyncDisposable
{
    /// <summary>Writes one step on a context whose transaction is open; throwing fails the step alone.</summary>
    public delegate Task StepWriter(WorkflowDbContext db, CancellationToken cancellationToken);

    private const string Savepoint = "step";

    private readonly Lock _lock = new();
    private readonly Queue<Pending> _waiting = new();
    private bool _writing;
    private bool _disposed;

    /// <summary>The context batches are written on, its connection open; used by the one writing leader only.</summary>
    private WorkflowDbContext? _writer;

    /// <summary>The most steps written in one transaction.</summary>
    public int MaxSteps { get; } = maxSteps >= 1 ? maxSteps : throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "At least one step goes in a transaction.");

    /// <summary>Writes a step with the steps committing at the same time; completes when its transaction committed.</summary>
    public Task WriteAsync(StepWriter write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(write, cancellationToken);
        bool lead;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiting.Enqueue(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // On the thread pool: the caller waits for its own step only, not for the batches written after it.
            _ = Task.Run(WriteWaitingAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    private async Task WriteWaitingAsync()
    {
        while (true)
        {
            List<Pending>? batch = null;
            var close = false;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    close = _disposed;
                }
                else
                {
                    batch = new List<Pending>(Math.Min(_waiting.Count, MaxSteps));
                    while (batch.Count < MaxSteps && _waiting.TryDequeue(out var next))
                    {
                        batch.Add(next);
                    }
                }
            }

            if (batch is null)
            {
                if (close)
                {
                    // Disposed while this leader was writing: the writer is closed after the last batch.
                    await CloseWriterAsync().ConfigureAwait(false);
                }

                return;
            }

            await WriteBatchAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a batch; never throws (what fails is handed to the steps it fails).</summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var written = new List<Pending>(batch.Count);
        try
        {
            var db = await WriterAsync().ConfigureAwait(false);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            var alone = batch.Count == 1;
            foreach (var step in batch)
            {
                if (step.CancellationToken.IsCancellationRequested)
                {
                    step.Fail(new OperationCanceledException(step.CancellationToken));
                    continue;
                }

                if (alone)
                {
                    try
                    {
                        await step.Write(db, step.CancellationToken).ConfigureAwait(false);
                        written.Add(step);
                    }
                    catch (Exception ex)
                    {
                        step.Fail(ex);
                    }

                    continue;
                }

                await transaction.CreateSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await step.Write(db, step.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Undo what the step wrote; when even that fails, the transaction is lost and the catch below fails them all.
                    await transaction.RollbackToSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
                    await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
                    step.Fail(ex);
                    continue;
                }

                await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
                written.Add(step);
            }

            if (written.Count > 0)
            {
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                // Rolled back, not just disposed: the writer's connection stays open, and only a rollback ends the write turn (see SqliteWriteGate).
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            foreach (var step in batch)
            {
                step.Fail(ex);
            }

            // The connection may be what failed: the next batch gets a new one.
            await CloseWriterAsync().ConfigureAwait(false);
            return;
        }
        finally
        {
            _writer?.ChangeTracker.Clear();
        }

        foreach (var step in written)
        {
            step.Done.TrySetResult();
        }
    }

    /// <summary>Closes the writer once no batch is being written (at once when idle, else after the last batch).</summary>
    public async ValueTask DisposeAsync()
    {
        bool idle;
        lock (_lock)
        {
            _disposed = true;
            idle = !_writing;
        }

        if (idle)
        {
            await CloseWriterAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<WorkflowDbContext> WriterAsync()
    {
        if (_writer is { } open)
        {
            return open;
        }

        var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Opened here, the connection is not closed after each transaction (EF closes only what it opened itself).
            await db.Database.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return _writer = db;
    }

    private async ValueTask CloseWriterAsync()
    {
        if (Interlocked.Exchange(ref _writer, null) is { } db)
        {
            await using (db.ConfigureAwait(false))
            {
                // Closed explicitly: a pooled context keeps a connection it did not open itself open when it is returned.
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Pending(StepWriter write, CancellationToken cancellationToken)
    {
        public StepWriter Write { get; } = write;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Completed off the writer's thread, so that a step's caller going on does not hold up the batches after it.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                Done.TrySetCanceled(CancellationToken);
            }
            else
            {
                Done.TrySetException(exception);
            }
        }
    }
}
