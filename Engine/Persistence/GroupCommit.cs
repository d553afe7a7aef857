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
/// </remarks>
internal sealed class GroupCommit(IDbContextFactory<WorkflowDbContext> contexts, int maxSteps)
{
    /// <summary>Writes one step on a context whose transaction is open; throwing fails the step alone.</summary>
    public delegate Task StepWriter(WorkflowDbContext db, CancellationToken cancellationToken);

    private const string Savepoint = "step";

    private readonly Lock _lock = new();
    private readonly Queue<Pending> _waiting = new();
    private bool _writing;

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
            List<Pending> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = new List<Pending>(Math.Min(_waiting.Count, MaxSteps));
                while (batch.Count < MaxSteps && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
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
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
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
        }
        catch (Exception ex)
        {
            foreach (var step in batch)
            {
                step.Fail(ex);
            }

            return;
        }

        foreach (var step in written)
        {
            step.Done.TrySetResult();
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
